"""Shared helpers of the web page's tests (tests/serve/run.py): a throwaway
cluster, a database per test group, `iafq serve` started and stopped, an
HTTP client with a cookie jar, multipart uploads, return files."""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
IAFQ = None      # the binary
FIXTURES = None  # build/fixtures
ADMIN = None     # host=... port=... of the throwaway cluster
OUT = None       # build/test-output/serve (screenshots, logs, files)
PY = "/usr/bin/python3"


def psql(db, sql):
    out = subprocess.run(
        ["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
         ADMIN + " dbname=%s user=postgres" % db, "-c", sql],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return [line.split("\t") for line in out.stdout.splitlines()]


def fresh(db):
    psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
    psql("postgres", "CREATE DATABASE %s" % db)
    return ADMIN + " dbname=%s user=postgres" % db


def iafq(conninfo, *args):
    return subprocess.run([IAFQ, "--db", conninfo] + list(args),
                          capture_output=True, text=True)


def issue(conninfo, *args):
    """Issue a token; (id, secret)."""
    r = iafq(conninfo, "token", "issue", *args)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    tid = re.search(r"^token (\d+)$", r.stdout, re.M).group(1)
    sec = re.search(r"^secret ([0-9a-f]{64})$", r.stdout, re.M).group(1)
    return int(tid), sec


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """`iafq serve` on a free loopback port; stderr kept in a file."""

    def __init__(self, conninfo, name, *extra):
        self.port = free_port()
        self.log_path = os.path.join(OUT, name + ".stderr")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [IAFQ, "--db", conninfo, "serve", "--listen",
             "127.0.0.1:%d" % self.port] + list(extra),
            stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("serve exited: " + self.stderr())
                time.sleep(0.05)
        raise RuntimeError("serve did not listen")

    def stderr(self):
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def vmhwm_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return None


class Client:
    """One browser-like session: cookies kept, Accept-Language given."""

    def __init__(self, port, lang=None):
        self.port = port
        self.cookies = {}
        self.lang = lang

    def _headers(self, extra=None):
        h = {}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if self.lang:
            h["Accept-Language"] = self.lang
        h.update(extra or {})
        return h

    def _keep(self, resp):
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                val = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        c.request(method, path, body=body, headers=self._headers(headers))
        r = c.getresponse()
        data = r.read()
        self._keep(r)
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def get(self, path):
        return self.request("GET", path)

    def text(self, path):
        st, _, data = self.get(path)
        return st, data.decode("utf-8")

    def signin(self, secret):
        st, _, data = self.get("/signin?token=" + secret)
        return st

    def csrf(self, path="/"):
        st, page = self.text(path)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
        return m.group(1) if m else None

    def upload(self, path, action="check", csrf=True, name=None):
        token = self.csrf() if csrf is True else csrf
        fields = [("action", action)]
        if token:
            fields.insert(0, ("csrf", token))
        with open(path, "rb") as f:
            content = f.read()
        body, ctype = multipart(fields, "file", name or os.path.basename(path),
                                content)
        st, h, data = self.request("POST", "/upload", body,
                                   {"Content-Type": ctype})
        return st, data.decode("utf-8")


BOUNDARY = "----iafqtestboundary7d93a"


def multipart(fields, file_field, file_name, content):
    parts = []
    for k, v in fields:
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                      % (BOUNDARY, k, v)).encode())
    head = ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
            % (BOUNDARY, file_field, file_name)).encode("utf-8")
    parts.append(head + content + b"\r\n")
    parts.append(("--%s--\r\n" % BOUNDARY).encode())
    return b"".join(parts), "multipart/form-data; boundary=" + BOUNDARY


def variant(src, dst, i):
    """src with one more unrelated zip entry: other bytes, same return."""
    shutil.copyfile(src, dst)
    with zipfile.ZipFile(dst, "a") as z:
        z.writestr("docProps/iafq-test-%d.txt" % i, "copy %d" % i)
    return dst


def faulty(src, dst, text):
    """src with T1 SEIZED of PISTOL negative and of REVOLVER holding text."""
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = wb["T1 Arms by type"]
    ws["C4"] = -5
    ws["C5"] = text
    wb.save(dst)
    return dst


def count(db, where="true"):
    return int(psql(db, "SELECT count(*) FROM iafq.submission WHERE " + where)[0][0])
