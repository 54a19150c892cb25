build-asan-tpl/obj/ingest/source.o: ingest/source.c ingest/source.h \
 common/cells.h common/err.h common/limits.h ingest/csvin.h \
 common/schema.h common/str.h ingest/xlsx.h ingest/zipguard.h
ingest/source.h:
common/cells.h:
common/err.h:
common/limits.h:
ingest/csvin.h:
common/schema.h:
common/str.h:
ingest/xlsx.h:
ingest/zipguard.h:
