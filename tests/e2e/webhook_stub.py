#!/usr/bin/env python3
"""Stand-in webhook receiver for the pushguard reporting tests (loopback only).

    webhook_stub.py --log FILE --port-file FILE [--port N] [--secret-file FILE] [--mode-file FILE]

Binds 127.0.0.1 (a free port unless --port) and writes the port to --port-file once
listening. Every POST is appended to --log as one JSON line:
  {"path", "headers": {lower-case name: value}, "body": text,
   "github_sig_ok": bool|null, "std_sig_ok": bool|null, "status": N}
Signatures are checked here with Python's hmac (constant-time compare) against the
secret's first line: X-Pushguard-Signature-256 (GitHub scheme, HMAC-SHA256 of the body)
and webhook-signature (Standard Webhooks, HMAC of "id.timestamp.body", whsec_ secrets
base64-decoded). null when there is no secret file.
The mode is read from --mode-file at every request (default normal):
  normal 200 | down 503 | gone 410 | hang (never answers within 120 s)
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--secret-file")
    ap.add_argument("--mode-file")
    args = ap.parse_args()

    def secret():
        if not args.secret_file:
            return None
        with open(args.secret_file, "rb") as f:
            return f.read().split(b"\n")[0].rstrip(b" \t\r")

    def mode():
        if args.mode_file and os.path.exists(args.mode_file):
            with open(args.mode_file) as f:
                return f.read().strip() or "normal"
        return "normal"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            m = mode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            key = secret()
            gh = std = None
            if key is not None:
                want = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
                gh = hmac.compare_digest(want, headers.get("x-pushguard-signature-256", ""))
                skey = base64.b64decode(key[6:]) if key.startswith(b"whsec_") else key
                msg = ("%s.%s." % (headers.get("webhook-id", ""), headers.get("webhook-timestamp", ""))).encode() + body
                want2 = "v1," + base64.b64encode(hmac.new(skey, msg, hashlib.sha256).digest()).decode()
                std = any(hmac.compare_digest(want2, s) for s in headers.get("webhook-signature", "").split(" "))
            status = {"normal": 200, "down": 503, "gone": 410}.get(m, 200)
            rec = {"path": self.path, "headers": headers, "body": body.decode("utf-8", "replace"),
                   "github_sig_ok": gh, "std_sig_ok": std, "status": status if m != "hang" else None,
                   "mode": m}
            with LOCK:
                with open(args.log, "a") as f:
                    f.write(json.dumps(rec) + "\n")
            if m == "hang":
                time.sleep(120)
                return
            data = b'{"ok":true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
