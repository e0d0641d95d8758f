#!/usr/bin/env python3
"""Published-port benchmark: HTTP requests/s and latency to a busybox httpd in a container,
through a published port on 127.0.0.1 (nftables DNAT, route_localnet) and directly to the
container's address on the bridge, alternating the two targets round by round. Run by hand as
root (see README.md); not in CI.

It starts a berthd of its own (private roots, bridge and nftables table, as the integration
tests do: tests/integration/berthd_fixture.py) and stops it at the end.
"""
import argparse
import http.client
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "integration"))

HTTPD = "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www"
# A keep-alive HTTP/1.1 server (the host's python3, bound read-only into the busybox container):
# connections are reused, so rounds measure forwarding of established flows, not connection
# churn (busybox httpd closes every connection, and TIME_WAIT exhausts the client's ports).
KEEPALIVE = (
    "import http.server\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    protocol_version = 'HTTP/1.1'\n"
    "    disable_nagle_algorithm = True\n"
    "    def do_GET(self):\n"
    "        self.send_response(200); self.send_header('Content-Length', '6'); self.end_headers()\n"
    "        self.wfile.write(b'hello\\n')\n"
    "    def log_message(self, *a): pass\n"
    "http.server.ThreadingHTTPServer(('0.0.0.0', 80), H).serve_forever()\n")
HOST_PYTHON = ["-v", "/usr:/usr:ro", "-v", "/usr/lib64:/lib64:ro", "-v", "/usr/lib:/lib:ro"]


def wrk_round(url, seconds, connections):
    """One wrk run: (requests/s, mean latency in ms)."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return rps, float(m.group(1)) * scale


def python_round(host, port, seconds, connections):
    """The same without wrk: `connections` threads, one request per connection (busybox httpd
    closes each one anyway). (requests/s, mean latency in ms)."""
    latencies, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        mine = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / seconds, statistics.mean(latencies) * 1000


def wait_http(host, port, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # polling until httpd answers


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds per target (default 5)")
    ap.add_argument("--seconds", type=int, default=5, help="length of one round (default 5)")
    ap.add_argument("--connections", type=int, default=16, help="concurrent connections")
    ap.add_argument("--bin-dir", help="berthd/berth/berth-shim (default build/bin, else "
                    "build-asan/bin)")
    ap.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    ap.add_argument("--server", choices=["keepalive", "httpd"], default="keepalive",
                    help="keep-alive python server (default) or busybox httpd (a connection "
                    "per request)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root")
    if not args.bin_dir:
        release = REPO / "build" / "bin"
        args.bin_dir = str(release if (release / "berthd").exists() else
                           REPO / "build-asan" / "bin")
    os.environ["BERTH_BIN_DIR"] = args.bin_dir
    from berthd_fixture import start_berthd  # noqa: E402 (needs BERTH_BIN_DIR)

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    print(f"binaries: {args.bin_dir}; client: {client}; server: {args.server}; {args.rounds} rounds x "
          f"{args.seconds}s x {args.connections} connections per target")

    daemon = start_berthd(prefix="bb")
    try:
        docker = daemon.clients.docker
        if args.server == "httpd":
            server = ["busybox", "sh", "-c", HTTPD]
        else:
            server = [*HOST_PYTHON, "busybox", "/usr/bin/python3", "-c", KEEPALIVE]
        docker("run", "-d", "--name", "bench-web", "-p", "80", *server, check=True)
        port = int(docker("port", "bench-web", "80", check=True).stdout.split()[0].split(":")[-1])
        ip = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "bench-web",
                    check=True).stdout.strip()
        route = subprocess.run(["ip", "-o", "route", "get", "1.1.1.1"], capture_output=True,
                               text=True).stdout.split()
        host_ip = route[route.index("src") + 1] if "src" in route else None
        # The host's own address needs no source NAT (the container can answer it); 127.0.0.1
        # does (route_localnet DNAT plus masquerade to the bridge's gateway).
        targets = {"container %s:80" % ip: (ip, 80),
                   "published 127.0.0.1:%d" % port: ("127.0.0.1", port)}
        if host_ip:
            targets["published %s:%d" % (host_ip, port)] = (host_ip, port)
        for host, p in targets.values():
            wait_http(host, p)
        results = {name: [] for name in targets}
        for r in range(args.rounds):
            for name, (host, p) in targets.items():
                if client == "wrk":
                    res = wrk_round(f"http://{host}:{p}/", args.seconds, args.connections)
                else:
                    res = python_round(host, p, args.seconds, args.connections)
                results[name].append(res)
                print(f"round {r + 1} {name}: {res[0]:.0f} req/s, {res[1]:.2f} ms mean latency")
        medians = {}
        for name, rows in results.items():
            rps = statistics.median(x[0] for x in rows)
            lat = statistics.median(x[1] for x in rows)
            medians[name] = (rps, lat)
            print(f"median {name}: {rps:.0f} req/s, {lat:.2f} ms")
        (direct_name, (dir_rps, dir_lat)), *published = medians.items()
        for name, (pub_rps, pub_lat) in published:
            print(f"ratio {name} / direct: throughput {pub_rps / dir_rps:.3f}, "
                  f"latency {pub_lat / dir_lat:.3f}")
    finally:
        daemon.stop()


if __name__ == "__main__":
    main()
