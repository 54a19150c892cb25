build-asan-tpl/obj/common/cells.o: common/cells.c common/cells.h
common/cells.h:
