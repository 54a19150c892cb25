build-asan-tpl/obj/validate/check.o: validate/check.c validate/check.h \
 common/limits.h common/ret.h common/finding.h common/schema.h \
 ingest/source.h common/cells.h common/err.h validate/layout.h \
 ingest/longfmt.h validate/rules.h
validate/check.h:
common/limits.h:
common/ret.h:
common/finding.h:
common/schema.h:
ingest/source.h:
common/cells.h:
common/err.h:
validate/layout.h:
ingest/longfmt.h:
validate/rules.h:
