build-asan-tpl/obj/ingest/xlsx.o: ingest/xlsx.c ingest/xlsx.h \
 common/cells.h common/err.h common/limits.h common/str.h \
 ingest/zipguard.h
ingest/xlsx.h:
common/cells.h:
common/err.h:
common/limits.h:
common/str.h:
ingest/zipguard.h:
