"""Traffic between containers on user networks: names and aliases through the embedded DNS
server (127.0.0.11), isolation between networks, --internal networks, and the way out
(routing to the host and masquerading towards an outside address)."""
import http.server
import secrets
import socket
import struct
import subprocess
import threading

import pytest

from net_helpers import FETCH, HOST_PYTHON, host_primary_ip


@pytest.fixture(scope="module")
def web_net(net):
    """A user network with two web servers: web1 (alias 'www') and web2 (alias 'pool'); web3
    shares alias 'pool' too."""
    name = "front-" + net.tag
    net.ok("network", "create", name)
    net.web("web1", "--network", name, "--network-alias", "www", "--network-alias", "pool")
    net.web("web2", "--network", name, "--network-alias", "pool")
    yield name
    net.rm("web1", "web2")
    net.docker("network", "rm", name)


def test_containers_reach_each_other_by_name_and_alias(net, web_net):
    by_name = net.fetch("http://web1/", "--network", web_net)
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout.strip() == "hello web1"
    by_alias = net.fetch("http://www/", "--network", web_net)
    assert by_alias.stdout.strip() == "hello web1", by_alias.stderr
    # And between two long-running containers (not only from a fresh one).
    p = net.docker("exec", "web2", "sh", "-c", FETCH, "http://web1/")
    assert p.stdout.strip() == "hello web1", p.stderr


def test_embedded_dns_answers_names_and_aliases(net, web_net):
    ip1, ip2 = net.ip("web1", web_net), net.ip("web2", web_net)
    assert ip1 and ip2 and ip1 != ip2
    p = net.docker("run", "--rm", "--network", web_net, "busybox", "sh", "-c",
                   "cat /etc/resolv.conf; nslookup web2 127.0.0.11; nslookup www 127.0.0.11")
    assert "nameserver 127.0.0.11" in p.stdout
    assert ip2 in p.stdout and ip1 in p.stdout, p.stdout + p.stderr
    # A short id resolves as well (Docker registers the 12-character id).
    short = net.ok("inspect", "-f", "{{.Id}}", "web2")[:12]
    p = net.docker("run", "--rm", "--network", web_net, "busybox", "nslookup", short, "127.0.0.11")
    assert ip2 in p.stdout, p.stdout + p.stderr


def test_alias_shared_by_several_containers_returns_every_address(net, web_net):
    ip1, ip2 = net.ip("web1", web_net), net.ip("web2", web_net)
    p = net.docker("run", "--rm", "--network", web_net, "busybox", "nslookup", "pool",
                   "127.0.0.11")
    assert p.returncode == 0, p.stdout + p.stderr
    assert ip1 in p.stdout and ip2 in p.stdout, p.stdout


def test_unknown_name_fails_to_resolve(net, web_net):
    p = net.docker("run", "--rm", "--network", web_net, "busybox", "nslookup",
                   "no-such-container", "127.0.0.11")
    assert p.returncode != 0
    assert "NXDOMAIN" in p.stdout + p.stderr or "can't find" in p.stdout + p.stderr


def test_other_network_cannot_reach_or_resolve(net, web_net):
    ip1 = net.ip("web1", web_net)
    # Shown to work from the right network first, so failure below means isolation.
    assert net.fetch(f"http://{ip1}/", "--network", web_net).returncode == 0
    other = "back-" + net.tag
    net.ok("network", "create", other)
    try:
        p = net.docker("run", "--rm", "--network", other, "busybox", "sh", "-c",
                       f"timeout 3 wget -qO- http://{ip1}/; echo rc=$?; nslookup web1 127.0.0.11")
        assert "rc=0" not in p.stdout and "hello" not in p.stdout, p.stdout
        assert ip1 not in p.stdout.split("rc=")[1], p.stdout
        # Nor from the default bridge.
        # (Not `timeout` as pid 1: the init of a pid namespace ignores its SIGTERM.)
        p = net.docker("run", "--rm", "busybox", "sh", "-c",
                       f"timeout 3 wget -qO- http://{ip1}/; echo rc=$?")
        assert "rc=0" not in p.stdout and "hello" not in p.stdout, p.stdout
    finally:
        net.docker("network", "rm", other)


def test_internal_network_has_no_way_out(net):
    name = "inner-" + net.tag
    net.ok("network", "create", "--internal", name)
    try:
        assert net.ok("network", "inspect", "-f", "{{.Internal}}", name) == "true"
        net.web("inner-web", "--network", name)
        # Inside the network, traffic flows ...
        p = net.fetch("http://inner-web/", "--network", name)
        assert p.stdout.strip() == "hello inner-web", p.stderr
        # ... but there is no default route, and the host is not reachable.
        p = net.docker("run", "--rm", "--network", name, "busybox", "sh", "-c",
                       "ip route; echo ---; timeout 3 wget -qO- http://%s:9/ ; echo rc=$?"
                       % (host_primary_ip() or "192.0.2.2"))
        routes = p.stdout.split("---")[0]
        assert "default" not in routes, routes
        assert "rc=0" not in p.stdout
    finally:
        net.rm("inner-web")
        net.docker("network", "rm", name)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers with the client's address, so a test sees which source address arrived."""

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        body = self.client_address[0].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(address):
    server = http.server.ThreadingHTTPServer((address, 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_container_reaches_a_server_on_the_hosts_address(net):
    address = host_primary_ip()
    if address is None:
        pytest.skip("the host has no default route")
    server = _serve(address)
    try:
        port = server.server_address[1]
        p = net.fetch(f"http://{address}:{port}/")
        assert p.returncode == 0, p.stderr
        # The host saw the container's own address (no NAT needed for a local destination).
        assert p.stdout.strip() != address
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def outside():
    """A network namespace standing for 'the internet': a veth from the host with a /30, and no
    route back to any container subnet, so only masqueraded traffic can be answered."""
    tag = secrets.token_hex(2)
    ns, host_if, ns_if = f"bout{tag}", f"bo{tag}h", f"bo{tag}n"
    octet = int(tag, 16) % 250 + 1
    host_ip, ns_ip = f"198.18.{octet}.1", f"198.18.{octet}.2"
    cmds = [["ip", "netns", "add", ns],
            ["ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if],
            ["ip", "link", "set", ns_if, "netns", ns],
            ["ip", "addr", "add", host_ip + "/30", "dev", host_if],
            ["ip", "link", "set", host_if, "up"],
            ["ip", "-n", ns, "addr", "add", ns_ip + "/30", "dev", ns_if],
            ["ip", "-n", ns, "link", "set", ns_if, "up"],
            ["ip", "-n", ns, "link", "set", "lo", "up"]]
    try:
        for cmd in cmds:
            subprocess.run(cmd, check=True, capture_output=True)
        yield ns, host_ip, ns_ip
    finally:
        subprocess.run(["ip", "link", "del", host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def test_outbound_traffic_is_masqueraded(net, outside):
    ns, host_ip, ns_ip = outside
    # A one-shot server in the outside namespace that answers with the peer's address.
    script = ("import socket,sys\n"
              "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
              f"s.bind(('{ns_ip}', 8088)); s.listen(); print('ready', flush=True)\n"
              "c,a=s.accept(); c.recv(4096)\n"
              "b=a[0].encode(); c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(b) + b)\n"
              "c.close()\n")
    server = subprocess.Popen(["ip", "netns", "exec", ns, "python3", "-c", script],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        name = "out-" + net.tag
        net.ok("network", "create", name)
        try:
            p = net.fetch(f"http://{ns_ip}:8088/", "--network", name)
            assert p.returncode == 0, p.stderr
            # The outside saw the host's address on that link, not the container's.
            assert p.stdout.strip() == host_ip
        finally:
            net.docker("network", "rm", name)
    finally:
        server.kill()
        server.wait()


def test_udp_between_containers(net, web_net):
    """UDP works between containers too, by name (resolved by glibc through 127.0.0.11)."""
    net.udp_sink("udp-sink", 9999, "--network", web_net)
    # Datagrams may be sent before the listener is up: keep sending until one arrives.
    sender = ("import socket,time\n"
              "s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
              "for _ in range(200): s.sendto(b'ping-udp', ('udp-sink', 9999)); time.sleep(0.1)\n")
    proc = net.clients.docker_popen("run", "--rm", "--name", "udp-src", "--network", web_net,
                                    *HOST_PYTHON, "busybox", "/usr/bin/python3", "-c", sender,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert "ping-udp" in net.wait_logs("udp-sink", "ping-udp")
    finally:
        net.rm("udp-src", "udp-sink")
        proc.wait(timeout=60)


def _fake_dns(address):
    """A UDP DNS server on address:53 answering every A query with 203.0.113.7 (or None when
    the port is taken). Enough of RFC 1035 for one question without EDNS."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((address, 53))
    except OSError:
        sock.close()
        return None

    def serve():
        while True:
            try:
                query, peer = sock.recvfrom(512)
            except OSError:
                return  # closed by the test
            end = 12
            while query[end]:
                end += query[end] + 1
            question = query[12:end + 5]
            is_a = struct.unpack("!H", query[end + 1:end + 3])[0] == 1
            answer = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) +
                      socket.inet_aton("203.0.113.7")) if is_a else b""
            header = query[:2] + struct.pack("!HHHHH", 0x8180, 1, 1 if is_a else 0, 0, 0)
            sock.sendto(header + question + answer, peer)

    threading.Thread(target=serve, daemon=True).start()
    return sock


def test_embedded_dns_forwards_to_dns_servers(net):
    address = host_primary_ip()
    server = _fake_dns(address) if address else None
    if server is None:
        pytest.skip("no address with a free port 53 for a fake DNS server")
    name, internal = "fwd-" + net.tag, "fwdi-" + net.tag
    net.ok("network", "create", name)
    net.ok("network", "create", "--internal", internal)
    try:
        # Unknown names go to --dns, from inside the container's namespace (through NAT).
        p = net.docker("run", "--rm", "--network", name, "--dns", address, "busybox",
                       "nslookup", "-type=a", "anything.example", "127.0.0.11")
        assert "203.0.113.7" in p.stdout, p.stdout + p.stderr
        # Without a way out nothing is forwarded, but container names still resolve.
        p = net.docker("run", "--rm", "--name", "lonely", "--network", internal, "--dns",
                       address, "busybox", "sh", "-c",
                       "nslookup -type=a anything.example 127.0.0.11; nslookup lonely 127.0.0.11")
        assert "203.0.113.7" not in p.stdout, p.stdout
        assert "Name:\tlonely" in p.stdout, p.stdout
    finally:
        server.close()
        net.docker("network", "rm", name, internal)
