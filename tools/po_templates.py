"""po_templates.py OUT.pot PAGE... - the msgids of the web page's templates
({{t "English text"}}, serve/tmpl.h) as a PO template, for po_extract.sh.
The text between the quotes is the msgid exactly (no escapes inside)."""
import re
import sys

TAG = re.compile(r'\{\{t\s+"([^"]*)"\s*\}\}')


def po_quote(s):
    return '"' + (s.replace("\\", "\\\\").replace('"', '\\"')
                  .replace("\n", "\\n").replace("\t", "\\t")) + '"'


def main():
    out, pages = sys.argv[1], sys.argv[2:]
    seen = {}
    order = []
    for page in pages:
        with open(page, encoding="utf-8") as f:
            text = f.read()
        for m in TAG.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            msgid = m.group(1)
            if msgid not in seen:
                seen[msgid] = []
                order.append(msgid)
            seen[msgid].append("%s:%d" % (page, line))
    with open(out, "w", encoding="utf-8") as f:
        f.write('msgid ""\nmsgstr ""\n'
                '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                '"Content-Transfer-Encoding: 8bit\\n"\n\n')
        for msgid in order:
            if not msgid:
                continue
            f.write("#: %s\n" % " ".join(seen[msgid]))
            if "%" in msgid:
                f.write("#, no-c-format\n")
            f.write("msgid %s\nmsgstr \"\"\n\n" % po_quote(msgid))


if __name__ == "__main__":
    main()
