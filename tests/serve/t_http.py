"""HTTP client tests of `iafq serve`: access per country, tokens, CSRF,
50 uploads at once, a slow sender, hostile files, escaping, SIGTERM."""
import http.client
import os
import re
import signal
import socket
import threading
import time

import sv

SAMPLES = os.path.join(sv.ROOT, "samples")
ESP = os.path.join(SAMPLES, "esp-2021.xlsx")
MAR = os.path.join(SAMPLES, "mar-2021-errors.xlsx")


def _work(name):
    d = os.path.join(sv.OUT, name)
    os.makedirs(d, exist_ok=True)
    return d


def test_other_country_refused():
    db = "serve_access"
    ci = sv.fresh(db)
    _, esp = sv.issue(ci, "ESP", "--note", "Spain focal point")
    srv = sv.Server(ci, "access")
    try:
        c = sv.Client(srv.port)
        assert c.signin(esp) == 200
        # another country's return: refused, nothing stored, either mode
        for action in ("submit", "check"):
            st, page = c.upload(MAR, action)
            assert st == 403, (action, st)
            assert "another country" in page, page
        long_file = os.path.join(sv.FIXTURES, "long_sample.xlsx")
        st, page = c.upload(long_file, "submit")
        assert st == 403 and "long-format" in page, (st, page)
        assert sv.count(db) == 0
        assert int(sv.psql(db, "SELECT count(*) FROM iafq.upload")[0][0]) == 0
        # its history is not ours to see
        st, _ = c.text("/history?country=MAR")
        assert st == 403, st
        # a MAR submission made by iafq ingest: no feedback through ESP
        r = sv.iafq(ci, "ingest", MAR)
        assert r.returncode in (0, 1), r.stderr
        mar_id = sv.psql(db, "SELECT id FROM iafq.submission WHERE country = 'MAR'")[0][0]
        st, _ = c.text("/feedback?s=" + mar_id)
        assert st == 403, st
        st, page = c.text("/history")
        assert st == 200 and "mar-2021" not in page
        # our own return goes in, with its receipt
        st, page = c.upload(ESP, "submit")
        assert st == 200, page
        sid = re.search(r'class="sub-id">(\d+)<', page).group(1)
        assert sv.psql(db, "SELECT country, file_name FROM iafq.submission WHERE id = %s"
                       % sid) == [["ESP", "esp-2021.xlsx"]]
        # the sign-in secret never reaches the log
        assert esp not in srv.stderr()
    finally:
        srv.stop()


def test_revoked_expired_refused():
    db = "serve_tokens"
    ci = sv.fresh(db)
    tid, sec = sv.issue(ci, "ESP")
    _, old = sv.issue(ci, "ESP", "--expires", "2000-01-01")
    srv = sv.Server(ci, "tokens")
    try:
        c = sv.Client(srv.port)
        assert c.signin(old) == 403
        assert "iafq_session" not in c.cookies
        assert c.signin("0" * 64) == 403
        assert c.signin(sec) == 200
        st, _ = c.text("/history")
        assert st == 200
        r = sv.iafq(ci, "token", "revoke", str(tid))
        assert r.returncode == 0, r.stderr
        # the session made before the revocation ends with it
        st, _ = c.text("/history")
        assert st == 403, st
        st, page = c.upload(ESP, "submit", csrf="0" * 64)
        assert st == 403
        assert c.signin(sec) == 403
        assert sv.count(db) == 0
        lst = sv.iafq(ci, "token", "list")
        assert re.search(r"^%d\s+ESP\s+no\s+revoked" % tid, lst.stdout, re.M), lst.stdout
        assert re.search(r"\sexpired\s", lst.stdout), lst.stdout
        assert sec not in lst.stdout
        # only the hash is stored
        assert sv.psql(db, "SELECT count(*) FROM iafq.token WHERE secret_sha256 = '%s'"
                       % sec) == [["0"]]
    finally:
        srv.stop()


def test_csrf_required():
    db = "serve_csrf"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    srv = sv.Server(ci, "csrf")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        st, page = c.upload(ESP, "submit", csrf=None)
        assert st == 403 and "did not come from this site" in page, (st, page)
        st, page = c.upload(ESP, "submit", csrf="a" * 64)
        assert st == 403
        # sign-out without it is refused too; sign-in form without it
        st, _, _ = c.request("POST", "/signout", b"x=1",
                             {"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 403
        c2 = sv.Client(srv.port)
        st, _, _ = c2.request("POST", "/signin", ("token=" + sec).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 403 and "iafq_session" not in c2.cookies
        assert sv.count(db) == 0
        # with it: stored
        st, page = c.upload(ESP, "submit")
        assert st == 200 and sv.count(db) == 1
        # headers on every page
        st, h, _ = c.get("/")
        assert h["content-security-policy"] == "default-src 'self'; frame-ancestors 'none'"
        assert h["x-content-type-options"] == "nosniff"
        sc = [v for k, v in c.cookies.items()]
        assert sc
    finally:
        srv.stop()


def test_cookie_flags():
    db = "serve_cookie"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    for base, secure in (("http://localhost", False), ("https://iafq.example.org", True)):
        srv = sv.Server(ci, "cookie", "--base-url", base)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", srv.port)
            conn.request("GET", "/signin?token=" + sec)
            r = conn.getresponse()
            r.read()
            cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"
                       and v.startswith("iafq_session=")]
            assert len(cookies) == 1
            ck = cookies[0]
            assert "HttpOnly" in ck and "SameSite=Strict" in ck, ck
            assert ("Secure" in ck) == secure, ck
        finally:
            srv.stop()


def test_fifty_uploads_at_once():
    db = "serve_fifty"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    work = _work("fifty")
    files = [sv.variant(ESP, os.path.join(work, "esp-%02d.xlsx" % i), i)
             for i in range(45)]
    bad = sv.faulty(ESP, os.path.join(work, "bad.xlsx"), "many")
    files += [sv.variant(bad, os.path.join(work, "bad-%02d.xlsx" % i), i)
              for i in range(5)]
    srv = sv.Server(ci, "fifty", "--rate", "1000", "--max-uploads", "4")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        token = c.csrf()
        results = [None] * len(files)

        def one(i):
            cl = sv.Client(srv.port)
            cl.cookies = dict(c.cookies)
            try:
                results[i] = cl.upload(files[i], "submit", csrf=token)
            except Exception as e:  # noqa: BLE001
                results[i] = (0, repr(e))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(files))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ids = []
        for st, page in results:
            assert st == 200, (st, page[:300])
            ids.append(int(re.search(r'class="sub-id">(\d+)<', page).group(1)))
        assert len(set(ids)) == 50
        rows = sv.psql(db, "SELECT status, count(*), count(DISTINCT sha256) "
                       "FROM iafq.submission GROUP BY status ORDER BY status")
        assert rows == [["accepted", "45", "45"], ["rejected", "5", "5"]], rows
        assert sorted(int(r[0]) for r in sv.psql(db, "SELECT id FROM iafq.submission")) \
            == sorted(ids)
        assert sv.psql(db, "SELECT count(*) FROM iafq.token_submission") == [["50"]]
        # memory bounded: 4 returns at a time, bodies on disk
        hwm = srv.vmhwm_kb()
        assert hwm < 256 * 1024, hwm
    finally:
        srv.stop()


def test_slow_sender_dropped():
    db = "serve_slow"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    srv = sv.Server(ci, "slow", "--timeout", "2")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        s = socket.create_connection(("127.0.0.1", srv.port))
        head = ("POST /upload HTTP/1.1\r\nHost: x\r\nCookie: iafq_session=%s\r\n"
                "Content-Type: multipart/form-data; boundary=%s\r\n"
                "Content-Length: 100000\r\n\r\n"
                % (c.cookies["iafq_session"], sv.BOUNDARY)).encode()
        s.sendall(head)
        sent, dropped = 0, False
        s.settimeout(1.0)
        while sent < 60:  # a minute of one byte a second at most
            try:
                s.send(b"-")
                sent += 1
            except OSError:
                dropped = True
                break
            try:
                if s.recv(1) == b"":
                    dropped = True
                    break
            except socket.timeout:
                pass
            except OSError:
                dropped = True
                break
            # others are served meanwhile
            if sent == 1:
                st, _ = sv.Client(srv.port).text("/")
                assert st == 200
        s.close()
        assert dropped and sent < 60, sent
        st, _ = sv.Client(srv.port).text("/")
        assert st == 200
    finally:
        srv.stop()


def test_hostile_uploads():
    db = "serve_hostile"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    srv = sv.Server(ci, "hostile", "--rate", "1000", "--max-file-size", "20M")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        for name in ("bomb.xlsx", "billion_laughs.xlsx"):
            st, page = c.upload(os.path.join(sv.FIXTURES, name), "check")
            assert st == 200, (name, st)
            assert 'data-verdict="rejected"' in page and "E-FILE" in page, (name, page)
        # 2 GB of zeros, streamed: refused with a message, nothing stored
        token = c.csrf()
        pre = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
               "--%s\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nsubmit\r\n"
               "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n"
               "Content-Type: application/octet-stream\r\n\r\n"
               % (sv.BOUNDARY, token, sv.BOUNDARY, sv.BOUNDARY)).encode()
        post = ("\r\n--%s--\r\n" % sv.BOUNDARY).encode()
        size = 2 << 30
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=300)
        conn.putrequest("POST", "/upload")
        conn.putheader("Cookie", "iafq_session=" + c.cookies["iafq_session"])
        conn.putheader("Content-Type", "multipart/form-data; boundary=" + sv.BOUNDARY)
        conn.putheader("Content-Length", str(len(pre) + size + len(post)))
        conn.endheaders()
        conn.send(pre)
        zeros = bytes(1 << 20)
        for _ in range(size >> 20):
            conn.send(zeros)
        conn.send(post)
        r = conn.getresponse()
        page = r.read().decode()
        assert r.status == 413 and "too large" in page, (r.status, page)
        assert sv.count(db) == 0
        # <script> in a file name and in a cell: shown as text
        bad = sv.faulty(os.path.join(sv.ROOT, "samples", "esp-2021.xlsx"),
                        os.path.join(_work("hostile"), "script.xlsx"),
                        "<script>alert(1)</script>")
        st, page = c.upload(bad, "submit", name="<script>alert(2)&amp;.xlsx")
        assert st == 200, page
        assert "<script" not in page.lower(), page
        assert "&lt;script&gt;alert(2)&amp;amp;.xlsx" in page, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, page
        st, page = c.text("/history")
        assert st == 200 and "<script" not in page.lower()
        assert "&lt;script&gt;alert(2)" in page
    finally:
        srv.stop()


def test_sigterm_finishes_upload():
    db = "serve_sigterm"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    srv = sv.Server(ci, "sigterm")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        token = c.csrf()
        with open(ESP, "rb") as f:
            content = f.read()
        body, ctype = sv.multipart([("csrf", token), ("action", "submit")], "file",
                                   "esp.xlsx", content)
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
        conn.putrequest("POST", "/upload")
        conn.putheader("Cookie", "iafq_session=" + c.cookies["iafq_session"])
        conn.putheader("Content-Type", ctype)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        half = len(body) // 2
        conn.send(body[:half])
        # the server has the request once its log... wait on the bytes: a
        # second connection proves the first has been accepted and read
        time.sleep(0.5)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        conn.send(body[half:])
        r = conn.getresponse()
        page = r.read().decode()
        assert r.status == 200 and 'class="sub-id"' in page, (r.status, page[:300])
        assert srv.proc.wait(60) == 0
        assert sv.count(db) == 1
        # and it no longer listens
        try:
            socket.create_connection(("127.0.0.1", srv.port), 1).close()
            listening = True
        except OSError:
            listening = False
        assert not listening
    finally:
        srv.stop()


def test_status_command():
    db = "serve_status"
    ci = sv.fresh(db)
    tid, sec = sv.issue(ci, "ESP", "--note", "Madrid")
    srv = sv.Server(ci, "status")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        st, _ = c.upload(ESP, "submit")
        assert st == 200
    finally:
        srv.stop()
    r = sv.iafq(ci, "ingest", MAR)
    import json
    r = sv.iafq(ci, "status", "--year", "2021", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {x["country"]: x for x in json.loads(r.stdout)}
    assert rows["ESP"]["status"] == "accepted" and rows["ESP"]["token"] == tid
    assert rows["ESP"]["token_note"] == "Madrid"
    assert rows["MAR"]["status"] == "rejected" and rows["MAR"]["token"] is None
    assert rows["FRA"]["status"] == "not submitted"
    r = sv.iafq(ci, "status", "--year", "2021", "--region", "150", "--format", "json")
    codes = {x["country"] for x in json.loads(r.stdout)}
    assert "ESP" in codes and "MAR" not in codes
    r = sv.iafq(ci, "status", "--region", "999")
    assert r.returncode == 2
    # the analysts' page, and only theirs
    _, an = sv.issue(ci, "--analyst", "--note", "HQ")
    srv = sv.Server(ci, "status2")
    try:
        a = sv.Client(srv.port)
        assert a.signin(an) == 200
        st, page = a.text("/tracker?year=2021&region=002")
        assert st == 200 and "MAR" in page and "ESP Spain" not in page
        f = sv.Client(srv.port)
        assert f.signin(sec) == 200
        st, _ = f.text("/tracker")
        assert st == 403
    finally:
        srv.stop()


def test_rate_limit():
    db = "serve_rate"
    ci = sv.fresh(db)
    _, sec = sv.issue(ci, "ESP")
    srv = sv.Server(ci, "rate", "--rate", "2")
    try:
        c = sv.Client(srv.port)
        assert c.signin(sec) == 200
        codes = [c.upload(ESP, "check")[0] for _ in range(3)]
        assert codes == [200, 200, 429], codes
    finally:
        srv.stop()


TESTS = [test_other_country_refused, test_revoked_expired_refused, test_csrf_required,
         test_cookie_flags, test_fifty_uploads_at_once, test_slow_sender_dropped,
         test_hostile_uploads, test_sigterm_finishes_upload, test_status_command,
         test_rate_limit]
