build-asan-tpl/obj/common/limits.o: common/limits.c common/limits.h
common/limits.h:
