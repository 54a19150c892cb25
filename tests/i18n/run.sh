#!/bin/sh
# tests/i18n/run.sh IAFQ - the languages (docs/decisions.md, "Languages"):
#  1. every msgid of the sources (tools/po_extract.sh: the C sources and the
#     web page's templates) is translated in po/fr.po and po/es.po, not
#     fuzzy, not empty: a message that exists in English only fails here;
#  2. msgfmt --check accepts each catalog (c-format placeholders of every
#     translation match its msgid's);
#  3. po/iafq.pot, the translators' template, lists the same msgids as the
#     sources (`make po` regenerates it);
#  4. the test can fail: a catalog missing one message is refused;
#  5. `iafq check --lang fr|es` prints French / Spanish messages with the
#     same codes, and the feedback workbook has French headers
#     (check_lang.py).
set -u
iafq=${1:?usage: run.sh IAFQ}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iafq-i18n.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0; ran=0
ok() { ran=$((ran + 1)); echo "ok   $1"; }
bad() { ran=$((ran + 1)); failed=$((failed + 1)); echo "FAIL $1" >&2; }

if sh "$root/tools/po_extract.sh" "$tmp/src.pot" 2>"$tmp/x.err"; then
    ok "extract msgids ($(grep -c '^msgid ' "$tmp/src.pot") with the header)"
else
    cat "$tmp/x.err" >&2
    bad "extract msgids"
fi
for lang in fr es; do
    po="$root/po/$lang.po"
    # msgcmp counts neither untranslated nor fuzzy entries of $po
    if msgcmp "$po" "$tmp/src.pot" 2>"$tmp/cmp.err"; then
        ok "$lang: every msgid translated"
    else
        grep -v 'this message is not used' "$tmp/cmp.err" >&2
        bad "$lang: a message is not translated (see above; run 'make po' and translate po/$lang.po)"
    fi
    if msgfmt --check -o /dev/null "$po" 2>"$tmp/fmt.err"; then
        ok "$lang: msgfmt --check"
    else
        cat "$tmp/fmt.err" >&2
        bad "$lang: msgfmt --check"
    fi
    if msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null | grep -q '^msgid'; then
        bad "$lang: fuzzy entries left in po/$lang.po"
    else
        ok "$lang: no fuzzy entry"
    fi
done
# the template: the same msgids as the sources, both ways
if msgcmp --use-untranslated "$root/po/iafq.pot" "$tmp/src.pot" 2>/dev/null &&
    msgcmp --use-untranslated "$tmp/src.pot" "$root/po/iafq.pot" 2>/dev/null; then
    ok "po/iafq.pot is up to date"
else
    bad "po/iafq.pot is out of date: run 'make po'"
fi
# the check itself can fail: fr.po without its first translated message
msgattrib --no-obsolete "$root/po/fr.po" >"$tmp/fr.po" 2>/dev/null
first=$(sed -n 's/^msgid "\(..*\)"$/\1/p' "$tmp/src.pot" | head -n 1)
"$py" - "$tmp/fr.po" "$first" <<'PY'
import sys
path, msgid = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
key = 'msgid "%s"\nmsgstr "' % msgid
i = text.index(key) + len(key)
j = text.index('"\n', i)
open(path, "w", encoding="utf-8").write(text[:i] + text[j:])
PY
if msgcmp "$tmp/fr.po" "$tmp/src.pot" 2>/dev/null; then
    bad "a catalog missing '$first' is not refused"
else
    ok "a catalog missing one message is refused"
fi

if "$py" "$here/check_lang.py" "$iafq" "$tmp"; then
    ok "check --lang fr|es (check_lang.py)"
else
    bad "check --lang fr|es (check_lang.py)"
fi
echo "i18n: $((ran - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
