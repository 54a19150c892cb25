build-asan-tpl/obj/validate/rules.o: validate/rules.c validate/rules.h \
 common/cells.h common/ret.h common/finding.h common/schema.h \
 common/m49.h common/str.h ingest/xlsx.h common/err.h common/limits.h
validate/rules.h:
common/cells.h:
common/ret.h:
common/finding.h:
common/schema.h:
common/m49.h:
common/str.h:
ingest/xlsx.h:
common/err.h:
common/limits.h:
