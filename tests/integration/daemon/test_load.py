"""Many concurrent API requests: 50 create+start of busybox `sleep 1000` at once, then 50
`rm -f` at once. Every request must succeed, and nothing may be left behind: no container, no
cgroup, no mount under the data or exec root, no shim, no veth on the bridge."""
import http.client
import json
import socket
import threading

from daemon_helpers import bridge_ports, cgroups_of, mounts_under, shim_pids, wait_for

N = 50


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=180):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def request(sock_path, method, url, body=None):
    conn = UnixConnection(sock_path)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, "/v1.47" + url, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, data
    finally:
        conn.close()


def run_all(fn, n):
    """Runs fn(i) for i in range(n) on n threads released together; returns the results."""
    results = [None] * n
    barrier = threading.Barrier(n)

    def worker(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as e:  # reported as a failed request below
            results[i] = ("exception", repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_create_start_and_remove_leave_nothing(daemon):
    sock = daemon.socket

    def create_and_start(i):
        # No name: berthd generates them, and concurrent creates must not pick the same one.
        status, data = request(sock, "POST", "/containers/create",
                               {"Image": "busybox", "Cmd": ["sleep", "1000"]})
        if status != 201:
            return ("create", status, data)
        cid = json.loads(data)["Id"]
        status, data = request(sock, "POST", f"/containers/{cid}/start")
        if status != 204:
            return ("start", status, data, cid)
        return cid

    created = run_all(create_and_start, N)
    failures = [r for r in created if not isinstance(r, str)]
    ids = [r for r in created if isinstance(r, str)] + [r[3] for r in failures if len(r) > 3]
    try:
        assert not failures, f"{failures[:3]}\nberthd log:\n{daemon.log_tail()}"
        status, data = request(sock, "GET", "/containers/json")
        assert status == 200
        running = {c["Id"] for c in json.loads(data)}
        assert running == set(ids)
        assert len(shim_pids(daemon)) == N
        assert len(bridge_ports(daemon.bridge)) == N
    finally:
        removed = run_all(lambda i: request(sock, "DELETE", f"/containers/{ids[i]}?force=1"),
                          len(ids))
    bad = [(ids[i], r) for i, r in enumerate(removed) if r[0] != 204]
    assert not bad, f"{len(bad)} removals failed: {bad[:3]}\nberthd log:\n{daemon.log_tail()}"

    status, data = request(sock, "GET", "/containers/json?all=1")
    assert (status, json.loads(data)) == (200, [])
    # The shims exit on their own once their container is gone: poll, then check the rest.
    wait_for(lambda: not shim_pids(daemon), 30, "every shim to exit")
    assert cgroups_of(ids) == []
    # Rootfs overlays name the data root too. <exec-root>/netns itself is berthd's own (a
    # shared mount for the network namespaces' bind mounts), not a container's.
    assert [m for m in mounts_under(daemon.tmp) if m != daemon.tmp + "/exec/netns"] == []
    assert bridge_ports(daemon.bridge) == []
