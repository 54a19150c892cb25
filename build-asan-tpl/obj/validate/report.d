build-asan-tpl/obj/validate/report.o: validate/report.c validate/report.h \
 common/err.h common/ret.h common/finding.h common/schema.h \
 common/cells.h validate/check.h common/limits.h ingest/source.h
validate/report.h:
common/err.h:
common/ret.h:
common/finding.h:
common/schema.h:
common/cells.h:
validate/check.h:
common/limits.h:
ingest/source.h:
