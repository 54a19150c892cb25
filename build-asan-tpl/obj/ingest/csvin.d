build-asan-tpl/obj/ingest/csvin.o: ingest/csvin.c ingest/csvin.h \
 common/cells.h common/err.h common/limits.h common/str.h
ingest/csvin.h:
common/cells.h:
common/err.h:
common/limits.h:
common/str.h:
