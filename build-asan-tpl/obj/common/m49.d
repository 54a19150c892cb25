build-asan-tpl/obj/common/m49.o: common/m49.c common/m49.h common/str.h
common/m49.h:
common/str.h:
