#!/usr/bin/env python3
"""Stand-in issue tracker for the pushguard ticket tests (loopback only).

    tracker_stub.py --data FILE --log FILE --port-file FILE [--mode MODE]

Serves, from the JSON data file:
  Jira        GET /rest/api/2/issue/KEY                 {"jira": {"KEY": ["Status name", "category key"]}}
  ServiceNow  GET /api/now/table/change_request?sysparm_query=number=CHG...
                                                        {"servicenow": {"CHG...": {"state": "-2", "approval": ...}}}
  GitHub      GET /repos/OWNER/REPO/issues/N            {"github": {"N": "open"}}
  GitLab      GET /api/v4/projects/ID/issues/N          {"gitlab": {"N": "opened"}}
  plain HTTP  GET /check/TICKET                         {"http": ["TICKET", ...]}  (204, else 404)
MODE: normal (default) | hang (never answers) | down (503) | unauthorized (401, and the
body echoes the Authorization header, as a careless server might) | malformed (200, not JSON).
Binds 127.0.0.1 on a free port and writes the port to --port-file once listening. Every
request is appended to --log as one JSON line: {"path": ..., "authorization": ...}.
"""
import argparse
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--mode", default="normal")
    args = ap.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def reply(self, code, body=None, raw=None):
            data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            auth = self.headers.get("Authorization", "")
            with LOCK:
                with open(args.log, "a") as f:
                    f.write(json.dumps({"path": self.path, "authorization": auth}) + "\n")
            if args.mode == "hang":
                time.sleep(120)
                return
            if args.mode == "down":
                return self.reply(503, {"error": "maintenance"})
            if args.mode == "unauthorized":
                return self.reply(401, {"error": "bad credentials", "you sent": auth})
            if args.mode == "malformed":
                return self.reply(200, raw=b"<html>this is not json{")
            with open(args.data) as f:
                data = json.load(f)
            url = urllib.parse.urlsplit(self.path)
            parts = [urllib.parse.unquote(p) for p in url.path.split("/")]
            query = urllib.parse.parse_qs(url.query)
            if url.path.startswith("/rest/api/2/issue/") and len(parts) == 6:
                t = data.get("jira", {}).get(parts[5])
                if not t:
                    return self.reply(404, {"errorMessages": ["Issue does not exist"]})
                return self.reply(200, {"key": parts[5], "fields": {"status": {
                    "name": t[0], "statusCategory": {"key": t[1]}}}})
            if url.path == "/api/now/table/change_request":
                q = query.get("sysparm_query", [""])[0]
                if not q.startswith("number="):
                    return self.reply(400, {"error": "bad query"})
                rec = data.get("servicenow", {}).get(q[len("number="):])
                if not rec:
                    return self.reply(200, {"result": []})
                return self.reply(200, {"result": [dict(rec, number=q[len("number="):])]})
            if url.path.startswith("/repos/") and len(parts) == 6 and parts[4] == "issues":
                st = data.get("github", {}).get(parts[5])
                if not st:
                    return self.reply(404, {"message": "Not Found"})
                return self.reply(200, {"number": int(parts[5]), "state": st})
            if url.path.startswith("/api/v4/projects/") and len(parts) == 7 and parts[5] == "issues":
                st = data.get("gitlab", {}).get(parts[6])
                if not st:
                    return self.reply(404, {"message": "404 Not found"})
                return self.reply(200, {"iid": int(parts[6]), "state": st})
            if url.path.startswith("/check/"):
                return self.reply(204 if parts[2] in data.get("http", []) else 404)
            return self.reply(404, {"error": "no such endpoint"})

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
