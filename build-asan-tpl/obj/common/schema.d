build-asan-tpl/obj/common/schema.o: common/schema.c common/schema.h \
 common/str.h
common/schema.h:
common/str.h:
