build-asan-tpl/obj/validate/layout.o: validate/layout.c validate/layout.h \
 common/cells.h common/limits.h common/ret.h common/finding.h \
 common/schema.h validate/rules.h common/str.h
validate/layout.h:
common/cells.h:
common/limits.h:
common/ret.h:
common/finding.h:
common/schema.h:
validate/rules.h:
common/str.h:
