build-asan-tpl/obj/ingest/zipguard.o: ingest/zipguard.c ingest/zipguard.h \
 common/err.h common/limits.h
ingest/zipguard.h:
common/err.h:
common/limits.h:
