"""check_lang.py IAFQ TMP - `iafq check --lang` end to end: the same
findings (codes, sheets, cells, counts, exit status) in every language, each
message in French or Spanish where the catalogs translate it (all of these
samples' messages), English by default, and the feedback workbook in French
(sheet name, headers, severities, messages, cell comments) read back with
openpyxl.  Exits 1 with a line per problem."""
import json
import os
import subprocess
import sys

import openpyxl

IAFQ, TMP = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
SAMPLES = [os.path.join(ROOT, "samples", s)
           for s in ("mar-2021-errors.xlsx", "fra-2021-warnings.xlsx")]
problems = []


def run(*args):
    p = subprocess.run([IAFQ, "check"] + list(args), capture_output=True)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def report(path, lang):
    args = ["--format", "json", path]
    if lang:
        args = ["--lang", lang] + args
    rc, out, err = run(*args)
    return rc, json.loads(out)


def where(f):
    return (f["code"], f["severity"], f["sheet"], f["cell"], f["row"],
            f["column"], f["value"])


def expect(cond, what):
    if not cond:
        problems.append(what)


# an empty file: E-FILE, its detail a msgid itself
empty = os.path.join(TMP, "empty.xlsx")
open(empty, "wb").close()
SAMPLES.append(empty)
PHRASES = {"fr": {"mar-2021-errors.xlsx": "n'est pas un nombre entier",
                  "empty.xlsx": "le fichier est vide"},
           "es": {"mar-2021-errors.xlsx": "no es un número entero",
                  "empty.xlsx": "el archivo está vacío"}}

for path in SAMPLES:
    name = os.path.basename(path)
    rc_def, default = report(path, None)
    rc_en, en = report(path, "en")
    expect(default == en and rc_def == rc_en,
           "%s: the default is not English" % name)
    expect(len(en["findings"]) > 0, "%s: no findings to compare" % name)
    for lang in ("fr", "es"):
        rc, tr = report(path, lang)
        expect(rc == rc_en, "%s %s: exit %d, English %d" % (name, lang, rc,
                                                             rc_en))
        expect(tr["counts"] == en["counts"] and tr["valid"] == en["valid"],
               "%s %s: other counts" % (name, lang))
        expect([where(f) for f in tr["findings"]] ==
               [where(f) for f in en["findings"]],
               "%s %s: other codes or places than in English" % (name, lang))
        for a, b in zip(en["findings"], tr["findings"]):
            expect(a["message"] != b["message"],
                   "%s %s: %s message is still English: %s" %
                   (name, lang, a["code"], b["message"]))
        phrase = PHRASES[lang].get(name)
        if phrase:
            expect(any(phrase in f["message"] for f in tr["findings"]),
                   "%s %s: no message says '%s'" % (name, lang, phrase))

# the text report's fixed words
mar = SAMPLES[0]
rc, out, err = run("--lang", "fr", mar)
expect("rejeté: 3 erreurs, 0 avertissement" in out and "erreur  E-NOT-INTEGER"
       in out, "text report in French: %r" % out[:200])
rc, out, err = run("--lang", "es", mar)
expect("rechazado: 3 errores, 0 advertencias" in out,
       "text report in Spanish: %r" % out[:200])
rc, out, err = run(mar)
expect("rejected: 3 errors, 0 warnings" in out, "text report in English")
rc, out, err = run("--lang", "de", mar)
expect(rc == 2 and "unknown language" in err, "--lang de is not refused")

# the feedback workbook in French and Spanish
for lang, sheet, headers, sev in (
        ("fr", "Constats", ["Code", "Gravité", "Feuille", "Cellule",
                            "Code de ligne", "Code de colonne", "Valeur",
                            "Message"], "erreur"),
        ("es", "Observaciones", ["Código", "Gravedad", "Hoja", "Celda",
                                 "Código de fila", "Código de columna",
                                 "Valor", "Mensaje"], "error")):
    out = os.path.join(TMP, "feedback-%s.xlsx" % lang)
    rc, _, err = run("--lang", lang, "--feedback", out, mar)
    expect(rc == 1, "feedback %s: exit %d %s" % (lang, rc, err))
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    expect(ws.title == sheet, "feedback %s: first sheet %r" % (lang, ws.title))
    got = [ws.cell(row=10, column=c).value for c in range(1, 9)]
    expect(got == headers, "feedback %s: headers %r" % (lang, got))
    expect(ws["A11"].value == "E-NOT-INTEGER" and ws["B11"].value == sev,
           "feedback %s: first finding %r %r" % (lang, ws["A11"].value,
                                                ws["B11"].value))
    verdict = {"fr": ("Verdict", "Rejeté"), "es": ("Resultado", "Rechazado")}
    expect((ws["A4"].value, ws["B4"].value) == verdict[lang],
           "feedback %s: verdict row %r %r" % (lang, ws["A4"].value,
                                               ws["B4"].value))
    phrase = PHRASES[lang]["mar-2021-errors.xlsx"]
    expect(phrase in (ws["H11"].value or ""),
           "feedback %s: message %r" % (lang, ws["H11"].value))
    expect(("erreurs" if lang == "fr" else "errores") in ws["A7"].value,
           "feedback %s: summary %r" % (lang, ws["A7"].value))
    comments = [c.comment.text for s in wb.worksheets[1:]
                for row in s.iter_rows() for c in row if c.comment]
    expect(any(phrase in t for t in comments),
           "feedback %s: no comment in the language: %r" % (lang, comments))

for p in problems:
    print("check_lang: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
