"""The web page in the focal point's language (issue 13 item 5): findings
of a check and of a stored submission in French and Spanish with the same
codes, the language chosen by Accept-Language or ?lang=, the feedback
workbook in the page's language."""
import html
import io
import os
import re

import openpyxl

import sv

MAR = os.path.join(sv.ROOT, "samples", "mar-2021-errors.xlsx")
FR = "n'est pas un nombre entier"
ES = "no es un número entero"
EN = "is not a whole number"


def _codes(page):
    return re.findall(r'<td class="code">([A-Z-]+)</td>', page)


def test_findings_in_the_viewers_language():
    db = "serve_i18n"
    ci = sv.fresh(db)
    _, mar = sv.issue(ci, "MAR", "--note", "Morocco focal point")
    srv = sv.Server(ci, "i18n")
    try:
        # Accept-Language picks French: the check's findings in French
        c = sv.Client(srv.port, lang="fr-FR,fr;q=0.9,en;q=0.5")
        assert c.signin(mar) == 200
        st, page = c.upload(MAR, "check")
        assert st == 200, page
        page = html.unescape(page)
        assert FR in page and EN not in page, page
        assert "Constats" in page, page
        codes = _codes(page)
        assert "E-NOT-INTEGER" in codes and len(codes) == 3, codes
        # submitted, then shown from the stored report in Spanish (?lang=)
        st, page = c.upload(MAR, "submit")
        assert st == 200, page
        assert sv.count(db) == 1
        st, page = c.text("/history?lang=es")
        assert st == 200, page
        page = html.unescape(page)
        assert ES in page and FR not in page and EN not in page, page
        assert _codes(page) == codes, _codes(page)
        # English again: the same stored findings in English
        st, page = c.text("/history?lang=en")
        page = html.unescape(page)
        assert EN in page and ES not in page, page
        # the feedback workbook in the page's language (the cookie: es)
        sid = sv.psql(db, "SELECT id FROM iafq.submission")[0][0]
        c.text("/history?lang=es")
        st, h, data = c.get("/feedback?s=" + sid)
        assert st == 200, (st, data[:200])
        out = os.path.join(sv.OUT, "i18n-feedback-es.xlsx")
        with open(out, "wb") as f:
            f.write(data)
        wb = openpyxl.load_workbook(io.BytesIO(data))
        ws = wb.worksheets[0]
        assert ws.title == "Observaciones", ws.title
        assert ws["B10"].value == "Gravedad" and ES in ws["H11"].value, (
            ws["B10"].value, ws["H11"].value)
    finally:
        srv.stop()


TESTS = [test_findings_in_the_viewers_language]
