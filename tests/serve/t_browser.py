"""A real browser: headless Chromium (Debian chromium + chromium-driver,
python3-selenium) against `iafq serve`: sign in with a token link, upload
a valid and a faulty return, read the findings, download the feedback
workbook and read it back, see both in history, switch to French.
Screenshots of each page in build/test-output/serve/browser/."""
import os
import shutil
import time

import sv

ESP = os.path.join(sv.ROOT, "samples", "esp-2021.xlsx")


def _driver(download_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1280,1000",
              "--lang=en-GB"):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
        "intl.accept_languages": "en-GB,en"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.implicitly_wait(20)
    return d


def _until(f):
    """Poll f() until true (a page after a click loads on its own time)."""
    for _ in range(200):
        try:
            if f():
                return True
        except Exception:  # noqa: BLE001 (stale element while loading)
            pass
        time.sleep(0.1)
    raise AssertionError("never true: %r" % f)


def _msgstr(lang, msgid):
    """The translation of msgid in po/LANG.po (one-line entries)."""
    with open(os.path.join(sv.ROOT, "po", lang + ".po"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        if line == 'msgid "%s"' % msgid and lines[i + 1].startswith("msgstr "):
            return lines[i + 1][8:-1]
    return None


def _wait_file(d, n=1):
    """The first finished download in d (polls the folder, at most 60 s)."""
    for _ in range(600):
        names = os.listdir(d)
        done = [f for f in names if f.endswith(".xlsx")]
        busy = [f for f in names if f.endswith(".crdownload") or f.startswith(".")]
        if len(done) >= n and not busy:
            return sorted(os.path.join(d, f) for f in done)
        time.sleep(0.1)
    raise AssertionError("no download in %s" % d)


def test_browser_focal_point():
    import openpyxl
    from selenium.webdriver.common.by import By
    out = os.path.join(sv.OUT, "browser")
    dl = os.path.join(out, "downloads")
    os.makedirs(dl, exist_ok=True)
    db = "serve_browser"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP", "--note", "Spain")
    bad = sv.faulty(ESP, os.path.join(out, "esp-2021-faulty.xlsx"), "twelve")
    srv = sv.Server(ci, "browser")
    base = "http://127.0.0.1:%d" % srv.port
    # Chromium leaves files in TMPDIR: give it a folder of the test's own
    old_tmp = os.environ.get("TMPDIR")
    ctmp = os.path.join(out, "chromium-tmp")
    os.makedirs(ctmp, exist_ok=True)
    os.environ["TMPDIR"] = ctmp
    try:
        drv = _driver(dl)
    finally:
        if old_tmp is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_tmp
    shots = []

    def shot(name):
        p = os.path.join(out, name + ".png")
        drv.save_screenshot(p)
        shots.append(p)

    try:
        drv.get(base + "/")
        assert drv.find_element(By.ID, "token")
        shot("01-signin")
        drv.get(base + "/signin?token=" + sec)
        # the sign-in page moves on to the upload page by itself
        for _ in range(100):
            if drv.find_elements(By.ID, "upload-form"):
                break
            time.sleep(0.1)
        assert drv.find_element(By.ID, "upload-form")
        shot("02-upload")

        def send(path, action):
            drv.get(base + "/")
            drv.find_element(By.ID, "file").send_keys(path)
            drv.find_element(By.ID, "action-" + action).click()
            drv.find_element(By.ID, "send").click()
            return drv.find_element(By.ID, "verdict")

        v = send(ESP, "submit")
        assert v.find_element(By.CSS_SELECTOR, "[data-verdict]").get_attribute(
            "data-verdict") in ("accepted", "warnings")
        good_id = drv.find_element(By.CSS_SELECTOR, ".sub-id").text
        shot("03-submitted-valid")

        v = send(bad, "submit")
        assert v.find_element(By.CSS_SELECTOR, "[data-verdict]").get_attribute(
            "data-verdict") == "rejected"
        codes = [e.text for e in drv.find_elements(By.CSS_SELECTOR, "table.findings td.code")]
        assert "E-NEGATIVE" in codes and "E-NOT-NUMBER" in codes, codes
        msgs = [e.text for e in drv.find_elements(By.CSS_SELECTOR, "table.findings td.msg")]
        assert all(msgs), msgs
        en_msgs = dict((r.find_element(By.CSS_SELECTOR, "td.code").text,
                        r.find_element(By.CSS_SELECTOR, "td.msg").text)
                       for r in drv.find_elements(By.CSS_SELECTOR, "table.findings tbody tr"))
        bad_id = drv.find_element(By.CSS_SELECTOR, ".sub-id").text
        shot("04-submitted-faulty")
        drv.find_element(By.CSS_SELECTOR, ".receipt a.feedback").click()
        (wb_path,) = _wait_file(dl)
        wb = openpyxl.load_workbook(wb_path)
        assert wb.sheetnames[0] == "Findings"
        found = [str(c.value) for row in wb["Findings"].iter_rows() for c in row
                 if c.value is not None]
        assert "E-NEGATIVE" in found, found[:40]

        # check only: findings at once, nothing stored
        before = sv.count(db)
        send(bad, "check")
        assert "E-NEGATIVE" in drv.page_source
        assert sv.count(db) == before
        shot("05-checked")

        drv.find_element(By.ID, "nav-history").click()
        _until(lambda: drv.find_elements(By.CSS_SELECTOR, "table.history"))
        ids = [e.get_attribute("id") for e in drv.find_elements(By.CSS_SELECTOR, "tr.sub")]
        assert ids[:2] == ["sub-" + bad_id, "sub-" + good_id], ids
        shot("06-history")

        drv.find_element(By.ID, "lang-fr").click()
        _until(lambda: drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr")
        # the choice sticks (cookie) on the next page
        drv.get(base + "/")
        assert drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        shot("07-french")
        # the pages' texts and the finding messages in French (po/fr.po)
        fr_upload = _msgstr("fr", "Upload a return")
        assert fr_upload and fr_upload != "Upload a return"
        assert drv.find_element(By.ID, "nav-upload").text == fr_upload
        send(bad, "check")
        assert drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        fr_msgs = dict((r.find_element(By.CSS_SELECTOR, "td.code").text,
                        r.find_element(By.CSS_SELECTOR, "td.msg").text)
                       for r in drv.find_elements(By.CSS_SELECTOR, "table.findings tbody tr"))
        assert fr_msgs["E-NEGATIVE"] and fr_msgs["E-NEGATIVE"] != en_msgs["E-NEGATIVE"], \
            (fr_msgs["E-NEGATIVE"], en_msgs["E-NEGATIVE"])
        shot("08-french-findings")
        assert len(shots) == 8 and all(os.path.getsize(p) > 0 for p in shots)
    finally:
        drv.quit()
        srv.stop()
        shutil.rmtree(ctmp, ignore_errors=True)
    shutil.rmtree(dl, ignore_errors=True)


TESTS = [test_browser_focal_point]
