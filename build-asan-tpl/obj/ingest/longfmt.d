build-asan-tpl/obj/ingest/longfmt.o: ingest/longfmt.c ingest/longfmt.h \
 common/err.h common/limits.h common/ret.h common/finding.h \
 common/schema.h common/m49.h validate/rules.h common/cells.h \
 ingest/source.h common/str.h
ingest/longfmt.h:
common/err.h:
common/limits.h:
common/ret.h:
common/finding.h:
common/schema.h:
common/m49.h:
validate/rules.h:
common/cells.h:
ingest/source.h:
common/str.h:
