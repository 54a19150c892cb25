# iafq - Illicit Arms Flows Questionnaire pipeline.  See README.md.
#
#   make            build build/iafq
#   make test       every test (CUnit suites + end-to-end runs of the binary + SQL)
#   make test-serve the web page's tests alone (HTTP clients, headless Chromium)
#   make test-sql   the SQL tests alone, on a throwaway PostgreSQL 15 cluster
#   make test-asan  the same under AddressSanitizer and UBSan (build-asan/)
#   make bench      benchmarks under bench/, side by side with the alternatives
#   make demo       the README's first command, after `make deps`
#   make deps       install the Debian packages the build, tests and benches use
#   make format     clang-format every C file
#   make po         refresh po/iafq.pot from the sources, merge it into po/*.po

CC ?= cc
BUILD ?= build
SAN ?=
OPT ?= -O2
PYTHON ?= /usr/bin/python3
space := $(subst ,, )
comma := ,

PKGS := xlsxwriter expat libzip libcjson libpq libmicrohttpd
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
# Layers include only downward: each directory is compiled with the include
# paths of its own layer and those below, so that a wrong include does not
# compile (and `make check-layers` says which).
LAYER_common := common
LAYER_ingest := $(LAYER_common) ingest
LAYER_validate := $(LAYER_ingest) validate
LAYER_db := $(LAYER_validate) db
LAYER_aggregate := $(LAYER_db) aggregate
LAYER_export := $(LAYER_db) export
# serve/ (the web page, issue 13) sits above the database, aggregation and
# export layers and below cli/.
LAYER_serve := $(LAYER_db) aggregate export serve
LAYER_cli := $(LAYER_serve) cli
LAYERS := common ingest validate db aggregate export serve cli
layer_dirs = $(LAYER_$(firstword $(subst /, ,$(1)))) $(LAYER_EXTRA_$(1))
INCS := $(addprefix -I,$(LAYER_cli))
# Positional initialisers may leave trailing fields out (they are zero): a
# shared struct grows at its end (cell.shared) without breaking them.
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -pthread $(OPT) -g -Wall -Wextra -Werror \
	-Wno-missing-field-initializers \
	$(PKG_CFLAGS) $(SAN) $(CFLAGS)
CFLAGS_ALL = $(CFLAGS_BASE) $(INCS)
LDFLAGS_ALL = -pthread $(SAN) $(LDFLAGS)

LIB_SRC := $(wildcard common/*.c ingest/*.c validate/*.c db/*.c aggregate/*.c export/*.c \
	serve/*.c)
# The message catalogs (po/LANG.po), compiled by msgfmt and embedded.
PO_LANGS := fr es
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/m49_data.o \
	$(BUILD)/obj/gen/sqlfiles_data.o $(BUILD)/obj/gen/pagefiles_data.o \
	$(PO_LANGS:%=$(BUILD)/obj/gen/mo_%.o)
# The web page's templates, serve/pages/*.html, embedded as sql/ is (the
# same tool, its table renamed: serve/pagefiles.h).
PAGE_FILES := $(sort $(patsubst serve/pages/%,%,$(wildcard serve/pages/*.html serve/pages/*.css)))
# Every sql/**/*.sql, relative to sql/, embedded by tools/embed_sql.
SQL_FILES := $(sort $(patsubst sql/%,%,$(shell find sql -name '*.sql' -type f)))
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_UTIL := tests/unit/testutil.c tests/unit/pgtest.c
# Drivers the database tests (tests/db) run: tests/db/drv_*.c.
DRV_BIN := $(patsubst tests/db/%.c,$(BUILD)/tests/%,$(wildcard tests/db/drv_*.c))
# The fault-injection shim (tests/fault): LD_PRELOAD, never linked into iafq;
# not built or run under ASan (its malloc and the shim's do not mix).
FAULT_SO := $(if $(SAN),,$(BUILD)/tests/libiafqfault.so)

DEPS_PKGS := build-essential pkg-config libxlsxwriter-dev libcsv-dev \
	libpq-dev libcjson-dev libcunit1-dev libzip-dev libexpat1-dev \
	postgresql-15 python3 python3-openpyxl python3-psycopg2 unzip zip time clang-format \
	valgrind python3-xlsxwriter libmicrohttpd-dev chromium chromium-driver python3-selenium \
	gettext

.PHONY: all test test-unit test-e2e test-sql test-serve test-asan bench demo deps format clean fixtures \
	check-layers po FORCE

all: $(BUILD)/iafq

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(addprefix -I,$(call layer_dirs,$*)) -MMD -MP -c $< -o $@

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gen/m49_data.c: data/m49.csv $(BUILD)/embed
	@mkdir -p $(dir $@)
	$(BUILD)/embed $< m49_csv > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/m49_data.o: $(BUILD)/gen/m49_data.c
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) -c $< -o $@

# --check: c-format placeholders of each translation match its msgid's.
$(BUILD)/gen/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

$(BUILD)/gen/mo_%.c: $(BUILD)/gen/%.mo $(BUILD)/embed
	$(BUILD)/embed $< i18n_mo_$* > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/mo_%.o: $(BUILD)/gen/mo_%.c
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) -c $< -o $@

$(BUILD)/embed_sql: tools/embed_sql.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $<

# The list of sql files, rewritten only when a file is added or removed, so
# that both a changed and a new/deleted .sql file regenerate the table.
$(BUILD)/gen/sqlfiles.list: FORCE
	@mkdir -p $(dir $@)
	@echo "$(SQL_FILES)" > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/gen/sqlfiles_data.c: $(BUILD)/gen/sqlfiles.list $(addprefix sql/,$(SQL_FILES)) $(BUILD)/embed_sql
	$(BUILD)/embed_sql sql $(SQL_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/sqlfiles_data.o: $(BUILD)/gen/sqlfiles_data.c db/sqlfiles.h
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) -Idb -c $< -o $@

$(BUILD)/gen/pagefiles.list: FORCE
	@mkdir -p $(dir $@)
	@echo "$(PAGE_FILES)" > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/gen/pagefiles_data.c: $(BUILD)/gen/pagefiles.list $(addprefix serve/pages/,$(PAGE_FILES)) $(BUILD)/embed_sql
	$(BUILD)/embed_sql serve/pages $(PAGE_FILES) > $@.raw && \
	  sed 's/sqlfiles/pagefiles/g; s/sqlfile/pagefile/g' $@.raw > $@.tmp && \
	  rm -f $@.raw && mv $@.tmp $@

$(BUILD)/obj/gen/pagefiles_data.o: $(BUILD)/gen/pagefiles_data.c serve/pagefiles.h
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) -Iserve -c $< -o $@

$(BUILD)/libiafq.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/iafq: $(CLI_OBJ) $(BUILD)/libiafq.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/libiafq.a $(PKG_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(TEST_UTIL) tests/unit/testutil.h $(BUILD)/libiafq.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(TEST_UTIL) $(BUILD)/libiafq.a $(PKG_LIBS) -lcunit $(LDFLAGS_ALL)

$(BUILD)/tests/drv_%: tests/db/drv_%.c $(BUILD)/libiafq.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libiafq.a $(PKG_LIBS) $(LDFLAGS_ALL)

# The workbook driver of the database tests and the bench (export/gswb.h).
GSWB_WRITE := $(BUILD)/tests/gswb_write
$(GSWB_WRITE): tests/db/gswb_write.c $(BUILD)/libiafq.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libiafq.a $(PKG_LIBS) $(LDFLAGS_ALL)

# Fixtures generated by scripts (openpyxl, zipfile, libxlsxwriter via iafq).
fixtures: $(BUILD)/iafq
	@mkdir -p $(BUILD)/fixtures
	$(PYTHON) tests/fixtures/make_fixtures.py $(BUILD)/fixtures $(BUILD)/iafq

$(BUILD)/tests/libiafqfault.so: tests/fault/fault.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -fPIC -shared \
	  -Wl,-soname,libiafqfault.so -o $@ $< -ldl

# Every suite runs, each with a private TMPDIR that it must leave empty
# (tests/tmpcheck.sh), even when one fails; tests/suites.sh then prints the
# totals of all of them on one line, and last a line "N passed, M failed".
test: all $(TEST_BIN) $(DRV_BIN) $(GSWB_WRITE) fixtures $(FAULT_SO) check-layers
	@sh tests/suites.sh \
	  i18n "sh tests/i18n/run.sh $(BUILD)/iafq" \
	  unit "sh tests/run-unit.sh $(BUILD)" \
	  db "$(PYTHON) tests/db/run.py $(BUILD)/iafq" \
	  e2e "$(PYTHON) tests/e2e/run.py $(BUILD)/iafq $(BUILD)/fixtures" \
	  sql "sh tests/sql/run.sh" \
	  serve "$(PYTHON) tests/serve/run.py $(BUILD)/iafq $(BUILD)/fixtures" \
	  $(if $(FAULT_SO),fault "$(PYTHON) tests/fault/run.py $(BUILD)/iafq $(FAULT_SO) $(BUILD)/fixtures")

test-sql:
	@sh tests/sql/run.sh

test-serve: all fixtures
	@sh tests/tmpcheck.sh $(PYTHON) tests/serve/run.py $(BUILD)/iafq $(BUILD)/fixtures

test-asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

# Every #include against the layer table, and proof that the build refuses
# one: a file of each layer that includes a header of the layer above does
# not compile with its layer's include paths.
LAYER_PROBES := common:ingest/xlsx.h ingest:validate/rules.h \
	validate:db/load.h db:aggregate/agg.h db:export/template.h \
	aggregate:export/template.h export:aggregate/agg.h export:cli/cli.h \
	export:serve/serve.h serve:cli/cli.h
check-layers:
	@$(PYTHON) tools/check_layers.py \
	  $(foreach l,$(LAYERS),$(l):$(subst $(space),$(comma),$(strip $(LAYER_$(l)))))
	@$(foreach p,$(LAYER_PROBES),\
	  if printf '#include "%s"\n' $(notdir $(word 2,$(subst :, ,$(p)))) | \
	    $(CC) $(CFLAGS_BASE) $(addprefix -I,$(LAYER_$(word 1,$(subst :, ,$(p))))) \
	    -fsyntax-only -x c - 2>/dev/null; then \
	    echo "check-layers: $(word 1,$(subst :, ,$(p)))/ can include $(word 2,$(subst :, ,$(p)))"; exit 1; \
	  fi; \
	  printf '#include "%s"\n' $(notdir $(word 2,$(subst :, ,$(p)))) | \
	    $(CC) $(CFLAGS_BASE) $(addprefix -I,$(LAYER_$(firstword $(subst /, ,$(word 2,$(subst :, ,$(p))))))) \
	    -fsyntax-only -x c - || { echo "check-layers: probe $(p) does not compile in its own layer"; exit 1; };)
	@echo "check-layers: every include goes downward"

bench: all $(GSWB_WRITE)
	@rc=0; sh bench/run.sh $(BUILD)/iafq || rc=1; \
	  sh bench/db_run.sh $(BUILD)/iafq || rc=1; \
	  sh bench/gswb_bench.sh $(BUILD)/iafq $(GSWB_WRITE) || rc=1; \
	  sh bench/incr_run.sh $(BUILD)/iafq || rc=1; \
	  sh bench/changes_run.sh $(BUILD)/iafq || rc=1; exit $$rc

demo: all
	@sh tools/demo.sh $(BUILD)/iafq

deps:
	@missing=""; for p in $(DEPS_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "make deps: all packages present"; fi

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# The translators' files: the template from the sources (tools/po_extract.sh),
# merged into each catalog (new messages empty, changed ones fuzzy: both
# fail tests/i18n until translated).
po:
	sh tools/po_extract.sh po/iafq.pot
	@for l in $(PO_LANGS); do \
	  msgmerge --quiet --update --backup=none --no-wrap po/$$l.po po/iafq.pot || exit 1; \
	done

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
