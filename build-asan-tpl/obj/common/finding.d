build-asan-tpl/obj/common/finding.o: common/finding.c common/finding.h \
 common/str.h
common/finding.h:
common/str.h:
