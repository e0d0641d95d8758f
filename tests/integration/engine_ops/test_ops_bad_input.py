"""Bad input on berthd's API socket (raw HTTP): each gets a clear 4xx, and berthd keeps
answering /_ping afterwards."""
import io
import json
import socket
import tarfile
import time

import pytest


def connect(daemon, timeout=30):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(daemon.socket)
    return s


def read_response(s):
    """(status, headers dict, body bytes) of one response; reads to EOF or Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        want = int(headers["content-length"])
        while len(body) < want:
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
    elif headers.get("transfer-encoding") == "chunked":
        while not body.endswith(b"0\r\n\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line, 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return status, headers, body


def request(daemon, method, path, body=b"", headers=None):
    s = connect(daemon)
    try:
        hdrs = {"Host": "docker", "Connection": "close", "Content-Length": str(len(body))}
        if body:
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        raw = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
        s.sendall(raw.encode() + b"\r\n" + body)
        return read_response(s)
    finally:
        s.close()


def error_message(body):
    return json.loads(body)["message"]


def assert_alive(daemon):
    status, _, body = request(daemon, "GET", "/_ping")
    assert (status, body) == (200, b"OK")


def test_malformed_request_line(daemon):
    for garbage, want in ((b"THIS IS NOT HTTP\r\n\r\n", 400), (b"GET\r\n\r\n", 400),
                          (b"\x00\x01\x02\xff\r\n\r\n", 400), (b"GET /_ping HTTP/9.9\r\n\r\n", 505),
                          (b"GET /_ping HTTP/1.1\r\nBad Header\r\n\r\n", 400)):
        s = connect(daemon)
        s.sendall(garbage)
        status, _, body = read_response(s)
        s.close()
        assert status == want, (garbage, status)
        assert error_message(body)
        assert_alive(daemon)


def test_malformed_json_body(daemon):
    status, _, body = request(daemon, "POST", "/containers/create", b'{"Image": "busybox",')
    assert status == 400
    assert error_message(body)
    status, _, body = request(daemon, "POST", "/containers/create", b"[1, 2]")
    assert status == 400
    status, _, body = request(daemon, "POST", "/containers/create", b'{"Image": 5}')
    assert status == 400 and "cannot unmarshal number" in error_message(body)
    status, _, body = request(daemon, "POST", "/containers/create", b"\xff\xfe{")
    assert status == 400
    assert_alive(daemon)


def test_unknown_json_fields_are_accepted(daemon):
    body = json.dumps({"Image": "busybox", "Cmd": ["true"], "NoSuchField": {"x": 1},
                       "HostConfig": {"AlsoUnknown": True}}).encode()
    status, _, resp = request(daemon, "POST", "/containers/create", body)
    assert status == 201, resp
    cid = json.loads(resp)["Id"]
    status, _, _ = request(daemon, "DELETE", f"/containers/{cid}?force=1")
    assert status == 204


def test_huge_body_is_rejected_quickly(daemon):
    size = 100 << 20
    rss_before = daemon_rss_kb(daemon)
    s = connect(daemon)
    start = time.monotonic()
    s.sendall(f"POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: "
              f"application/json\r\nContent-Length: {size}\r\n\r\n".encode())
    sent = 0
    chunk = b" " * (1 << 20)
    status = None
    try:
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before taking it all: what we want
    status, _, body = read_response(s)
    s.close()
    assert status in (400, 413), status
    assert time.monotonic() - start < 20
    assert daemon_rss_kb(daemon) - rss_before < 200 * 1024  # never held the 100 MB body twice
    assert_alive(daemon)


def test_huge_chunked_body_is_rejected(daemon):
    """No Content-Length to refuse up front: berthd must stop reading at its limit."""
    s = connect(daemon)
    s.sendall(b"POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: "
              b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"100000\r\n" + b" " * 0x100000 + b"\r\n"
    try:
        for _ in range(100):
            s.sendall(chunk)
        s.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, _, body = read_response(s)
    s.close()
    assert status == 413, (status, body)
    assert "larger than the limit" in error_message(body)
    assert_alive(daemon)


def daemon_rss_kb(daemon):
    for line in open(f"/proc/{daemon.proc.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_bad_query_values(daemon):
    for path, needle in (("/containers/json?filters=%7Bbad", "filters"),
                         ("/containers/json?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D", "bogus"),
                         ("/containers/json?limit=abc", "limit"),
                         ("/system/df?type=bogus", "unknown object type: bogus"),
                         ("/v0.1/version", "too old"),
                         ("/containers/%zz/json", "escape")):
        status, _, body = request(daemon, "GET", path)
        assert status == 400 and needle in error_message(body), (path, status, body)
    status, _, body = request(daemon, "POST", "/containers/prune?filters=%7B%22until%22%3A%5B%22xx%22%5D%7D")
    assert status == 400
    status, _, body = request(daemon, "GET", "/v1.24/containers/json")
    assert status == 200 and isinstance(json.loads(body), list)
    assert_alive(daemon)


def test_unknown_container(daemon):
    for method, path in (("GET", "/containers/x/json"), ("POST", "/containers/x/start"),
                         ("POST", "/containers/x/stop"), ("DELETE", "/containers/x"),
                         ("GET", "/containers/x/top"), ("GET", "/containers/x/changes"),
                         ("GET", "/containers/x/export"), ("POST", "/containers/x/update"),
                         ("HEAD", "/containers/x/archive?path=/"),
                         ("GET", "/containers/x/archive?path=/"),
                         ("GET", "/containers/x/stats?stream=0")):
        status, _, body = request(daemon, method, path,
                                  b"{}" if path.endswith("update") else b"")
        assert status == 404, (method, path, status)
        if method != "HEAD":
            assert error_message(body) == "No such container: x", (method, path)
    assert_alive(daemon)


def test_archive_path_traversal(daemon):
    cid = daemon.run_bg("sleep", "600")
    # ".." in the path stays at the container's root: this is the container's /etc/passwd.
    status, headers, body = request(daemon, "GET",
                                    f"/containers/{cid}/archive?path=../../../../etc/passwd")
    assert status == 200
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        assert tar.extractfile("passwd").read().startswith(b"root:x:0:0:")
    assert "x-docker-container-path-stat" in headers
    # A tar entry that climbs out of the destination is refused.
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("../../../../../../tmp/bt-traversal")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    status, _, body = request(daemon, "PUT", f"/containers/{cid}/archive?path=/tmp", buf.getvalue(),
                              {"Content-Type": "application/x-tar"})
    assert 400 <= status < 500, (status, body)
    # An extraction point that is not a directory, and a missing one.
    status, _, body = request(daemon, "PUT", f"/containers/{cid}/archive?path=/etc/passwd",
                              buf.getvalue(), {"Content-Type": "application/x-tar"})
    assert 400 <= status < 500, (status, body)
    status, _, body = request(daemon, "PUT", f"/containers/{cid}/archive?path=/nonexistent",
                              buf.getvalue(), {"Content-Type": "application/x-tar"})
    assert status == 404, (status, body)
    status, _, body = request(daemon, "GET", f"/containers/{cid}/archive")
    assert status == 400 and "path" in error_message(body)
    # Not a tar at all.
    status, _, body = request(daemon, "PUT", f"/containers/{cid}/archive?path=/tmp",
                              b"this is not a tar archive" * 40,
                              {"Content-Type": "application/x-tar"})
    assert 400 <= status < 500, (status, body)
    assert_alive(daemon)
