#!/usr/bin/env python3
"""Records what the real docker CLI sends for `docker create`/`docker run` command lines.

For each case in create_cases.txt, runs /usr/local/bin/docker against a tiny capture server
on a unix socket and writes create/<name>.json: the arguments, the create request's query and
body (when one was sent), docker's stdout/stderr and exit code. The unit tests compare berth's
flag parsing against these files; they do not need docker. Re-run after changing the cases:

    python3 record_create_goldens.py
"""
import http.server
import json
import os
import shlex
import socketserver
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
DOCKER = os.environ.get("DOCKER", "/usr/local/bin/docker")
CAPTURED = []
FAKE_ID = "0123456789abcdef" * 4


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        path, _, query = self.path.partition("?")
        CAPTURED.append({"method": self.command, "path": path, "query": query,
                         "body": body.decode()})
        if path.endswith("/_ping"):
            self.reply(200, b"OK", "text/plain", {"Api-Version": "1.47", "Ostype": "linux"})
        elif path.endswith("/containers/create"):
            self.reply(201, json.dumps({"Id": FAKE_ID, "Warnings": []}).encode())
        else:
            self.reply(404, b'{"message":"not captured"}\n')

    do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = handle_any

    def reply(self, code, body, ctype="application/json", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)


def main():
    tmp = tempfile.mkdtemp()
    sock = os.path.join(tmp, "d.sock")
    server = Server(sock, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": tmp,
        "DOCKER_CONFIG": tmp,
        "DOCKER_HOST": "unix://" + sock,
        "BERTH_GOLDEN_ENV": "from-environment",
        "TZ": "UTC",
    }
    os.makedirs(os.path.join(HERE, "create"), exist_ok=True)
    with open(os.path.join(HERE, "create_cases.txt")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, _, args = line.rstrip("\n").partition("\t")
            command = "create"
            if name.startswith("run:"):
                command, name = "run", "run_" + name[4:]
            argv = shlex.split(args)
            CAPTURED.clear()
            p = subprocess.run([DOCKER, command] + argv, cwd=HERE, env=env, capture_output=True,
                               stdin=subprocess.DEVNULL, text=True)
            create = next((c for c in CAPTURED if c["path"].endswith("/containers/create")), None)
            record = {
                "command": command,
                "args": argv,
                "exit": p.returncode,
                "stdout": p.stdout,
                "stderr": p.stderr,
            }
            if create:
                record["query"] = create["query"]
                record["body"] = json.loads(create["body"])
            with open(os.path.join(HERE, "create", name + ".json"), "w") as out:
                json.dump(record, out, indent=1)
                out.write("\n")
            print(name, p.returncode)
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
