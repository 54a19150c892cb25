#!/bin/sh
# po_extract.sh OUT.pot - every msgid of iafq's sources into OUT.pot
# (xgettext over the C sources, and the web page's templates serve/pages/*.html
# when they exist).  The keywords are the functions and macros that take a msgid:
# i18n_tr(lang, MSGID), i18n_trn(lang, SINGULAR, PLURAL, n), N_(MSGID), and
# the finding functions whose format is the msgid (common/finding.h and the
# local wrappers of validate/).  Formats are flagged c-format so that
# `msgfmt --check` verifies each translation's placeholders.
# Used by `make po` (po/iafq.pot) and tests/i18n/run.sh.
set -eu
out=${1:?usage: po_extract.sh OUT.pot}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null | grep -v '^tests/' || true)
[ -n "$files" ] || files=$(find common ingest validate db aggregate export \
    cli serve -name '*.[ch]' 2>/dev/null | sort)
# shellcheck disable=SC2086
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file \
    --package-name=iafq --msgid-bugs-address=none \
    --add-comments=TRANSLATORS: \
    --keyword= --keyword=i18n_tr:2 --keyword=i18n_trn:2,3 --keyword=N_:1 \
    --keyword=findings_add:9 --keyword=findings_addv:9 \
    --keyword=ADD:7 --keyword=_add:8 --keyword=_row_finding:5 \
    --flag=i18n_tr:2:c-format --flag=i18n_trn:2:c-format \
    --flag=i18n_trn:3:c-format --flag=findings_add:9:c-format \
    --flag=findings_addv:9:c-format --flag=ADD:7:c-format \
    --flag=_add:8:c-format --flag=_row_finding:5:c-format \
    -o "$out.c.pot" $files
# the web page's templates (serve/pages/*.html, when present): each
# {{t "TEXT"}} is a msgid (serve/tmpl.h)
tpl=$(find serve/pages -name "*.html" -type f 2>/dev/null | sort || true)
if [ -n "$tpl" ]; then
    python3 "$root/tools/po_templates.py" "$out.t.pot" $tpl
    msgcat --no-wrap --use-first -o "$out" "$out.c.pot" "$out.t.pot"
    rm -f "$out.t.pot"
else
    mv "$out.c.pot" "$out"
fi
rm -f "$out.c.pot"
