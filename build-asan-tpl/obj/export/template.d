build-asan-tpl/obj/export/template.o: export/template.c export/template.h \
 common/err.h common/cells.h common/m49.h common/schema.h common/str.h \
 export/xlsxw.h
export/template.h:
common/err.h:
common/cells.h:
common/m49.h:
common/schema.h:
common/str.h:
export/xlsxw.h:
