build-asan-tpl/obj/common/ret.o: common/ret.c common/ret.h \
 common/finding.h common/schema.h common/str.h
common/ret.h:
common/finding.h:
common/schema.h:
common/str.h:
