build-asan-tpl/obj/export/xlsxw.o: export/xlsxw.c export/xlsxw.h \
 common/err.h common/str.h
export/xlsxw.h:
common/err.h:
common/str.h:
