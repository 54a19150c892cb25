build-asan-tpl/obj/validate/feedback.o: validate/feedback.c \
 validate/feedback.h common/err.h common/finding.h common/limits.h \
 ingest/source.h common/cells.h common/str.h export/xlsxw.h
validate/feedback.h:
common/err.h:
common/finding.h:
common/limits.h:
ingest/source.h:
common/cells.h:
common/str.h:
export/xlsxw.h:
