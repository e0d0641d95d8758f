"""`docker network` commands against berthd, the network modes (host, none, container:<name>)
and the files berthd writes into containers (/etc/hosts, /etc/resolv.conf)."""
import json
import os
import subprocess

from net_helpers import FETCH


def link_addresses(ifname):
    p = subprocess.run(["ip", "-o", "-4", "addr", "show", "dev", ifname], capture_output=True,
                       text=True)
    return p.returncode, p.stdout


def test_create_with_options_then_inspect_ls_rm(net):
    s = net.subnet()
    name, bridge = "opts-" + net.tag, "bo" + net.tag
    net.ok("network", "create", "--subnet", f"{s}.0/24", "--gateway", f"{s}.254",
           "--ip-range", f"{s}.128/25", "--label", "purpose=test", "--label", "tier",
           "-o", f"com.docker.network.bridge.name={bridge}", name)
    info = json.loads(net.ok("network", "inspect", name))[0]
    assert info["Name"] == name and info["Driver"] == "bridge" and info["Scope"] == "local"
    assert info["IPAM"]["Config"] == [{"Subnet": f"{s}.0/24", "IPRange": f"{s}.128/25",
                                       "Gateway": f"{s}.254"}]
    assert info["Labels"] == {"purpose": "test", "tier": ""}
    assert info["Options"]["com.docker.network.bridge.name"] == bridge
    assert info["Internal"] is False
    # The bridge exists on the host with the gateway's address.
    rc, out = link_addresses(bridge)
    assert rc == 0 and f"{s}.254/24" in out, out
    # Containers get addresses from the IP range, and the gateway as their route.
    p = net.docker("run", "--rm", "--network", name, "busybox", "sh", "-c",
                   "ip -4 -o addr show eth0; ip route")
    assert f"inet {s}.128/24" in p.stdout, p.stdout + p.stderr
    assert f"default via {s}.254" in p.stdout
    # ls, with filters and formats the CLI builds.
    assert name in net.ok("network", "ls", "--format", "{{.Name}}").split()
    assert net.ok("network", "ls", "-q", "--filter", "label=purpose=test") == info["Id"][:12]
    assert net.ok("network", "ls", "--filter", f"name={name}", "--format",
                  "{{.Name}} {{.Driver}} {{.Scope}}") == f"{name} bridge local"
    predefined = net.ok("network", "ls", "--format", "{{.Name}}").split()
    assert {"bridge", "host", "none"} <= set(predefined)
    # rm takes the bridge with it.
    assert net.ok("network", "rm", name) == name
    assert link_addresses(bridge)[0] != 0
    p = net.docker("network", "inspect", name)
    assert p.returncode != 0 and "not found" in p.stderr


def test_bad_and_conflicting_creates_are_refused(net):
    s = net.subnet()
    first = "ov1-" + net.tag
    net.ok("network", "create", "--subnet", f"{s}.0/24", first)
    try:
        p = net.docker("network", "create", "--subnet", f"{s}.128/25", "ov2-" + net.tag)
        assert p.returncode != 0 and "overlap" in p.stderr.lower(), p.stderr
        p = net.docker("network", "create", first)
        assert p.returncode != 0 and "already exists" in p.stderr, p.stderr
        p = net.docker("network", "create", "--subnet", "10.1.2.0/24", "--gateway", "10.9.9.9",
                       "bad-" + net.tag)
        assert p.returncode != 0, p.stdout
        for builtin in ("bridge", "host", "none"):
            p = net.docker("network", "rm", builtin)
            assert p.returncode != 0 and "pre-defined" in p.stderr, p.stderr
    finally:
        net.docker("network", "rm", first)
    assert "ov2-" + net.tag not in net.ok("network", "ls", "--format", "{{.Name}}")


def test_prune_removes_only_unused_networks(net):
    used, unused = "used-" + net.tag, "unused-" + net.tag
    net.ok("network", "create", used)
    net.ok("network", "create", unused)
    # Only a running container has an endpoint (Docker's rule too: a created one does not).
    net.ok("run", "-d", "--name", "holder", "--network", used, "busybox", "sleep", "60")
    try:
        p = net.docker("network", "rm", used)
        assert p.returncode != 0 and "active endpoints" in p.stderr, p.stderr
        out = net.ok("network", "prune", "-f").split()
        assert unused in out and used not in out
        names = net.ok("network", "ls", "--format", "{{.Name}}").split()
        assert used in names and unused not in names
        assert {"bridge", "host", "none"} <= set(names)
    finally:
        net.rm("holder")
        net.docker("network", "rm", used)


def test_fixed_ip_on_run_and_connect_disconnect(net):
    s1, s2 = net.subnet(), net.subnet()
    n1, n2 = "c1-" + net.tag, "c2-" + net.tag
    net.ok("network", "create", "--subnet", f"{s1}.0/24", n1)
    net.ok("network", "create", "--subnet", f"{s2}.0/24", n2)
    try:
        net.web("hub", "--network", n1, "--ip", f"{s1}.77")
        assert net.ip("hub", n1) == f"{s1}.77"
        p = net.docker("exec", "hub", "ip", "-4", "-o", "addr", "show", "eth0")
        assert f"{s1}.77/24" in p.stdout
        # A fixed address cannot be taken twice.
        p = net.docker("run", "--rm", "--network", n1, "--ip", f"{s1}.77", "busybox", "true")
        assert p.returncode != 0
        # --ip on the default bridge is refused, as by Docker.
        p = net.docker("run", "--rm", "--ip", "172.17.0.99", "busybox", "true")
        assert p.returncode != 0 and "user defined networks" in p.stderr, p.stderr

        # Hot-plug into a second network with an alias and a fixed address.
        net.ok("network", "connect", "--alias", "hubby", "--ip", f"{s2}.50", n2, "hub")
        p = net.docker("exec", "hub", "ip", "-4", "-o", "addr")
        assert f"{s2}.50/24" in p.stdout, p.stdout
        assert net.ip("hub", n2) == f"{s2}.50"
        p = net.fetch("http://hubby/", "--network", n2)
        assert p.stdout.strip() == "hello hub", p.stderr
        p = net.docker("run", "--rm", "--network", n2, "busybox", "nslookup", "hubby",
                       "127.0.0.11")
        assert f"{s2}.50" in p.stdout, p.stdout
        containers = json.loads(net.ok("network", "inspect", n2))[0]["Containers"]
        assert [c["Name"] for c in containers.values()] == ["hub"]
        # Connecting twice is an error.
        p = net.docker("network", "connect", n2, "hub")
        assert p.returncode != 0 and "already exists" in p.stderr, p.stderr

        net.ok("network", "disconnect", n2, "hub")
        p = net.docker("exec", "hub", "ip", "-4", "-o", "addr")
        assert f"{s2}.50" not in p.stdout
        assert n2 not in net.ok("inspect", "-f", "{{json .NetworkSettings.Networks}}", "hub")
        assert json.loads(net.ok("network", "inspect", n2))[0]["Containers"] == {}
        p = net.docker("run", "--rm", "--network", n2, "busybox", "nslookup", "hubby",
                       "127.0.0.11")
        assert p.returncode != 0
        # Still reachable on the first network.
        assert net.fetch(f"http://{s1}.77/", "--network", n1).stdout.strip() == "hello hub"

        # Connecting a stopped container takes effect at its next start.
        net.ok("create", "--name", "later", "--network", n1, "busybox", "sleep", "60")
        net.ok("network", "connect", "--ip", f"{s2}.60", n2, "later")
        net.ok("start", "later")
        p = net.docker("exec", "later", "ip", "-4", "-o", "addr")
        assert f"{s2}.60/24" in p.stdout, p.stdout
    finally:
        net.rm("hub", "later")
        net.docker("network", "rm", n1, n2)


def ns_of(pid):
    return os.readlink(f"/proc/{pid}/ns/net")


def test_host_none_and_container_modes(net):
    p = net.docker("run", "--rm", "--network", "host", "busybox", "readlink", "/proc/self/ns/net")
    assert p.stdout.strip() == ns_of("self"), p.stderr
    p = net.docker("run", "--rm", "--network", "none", "busybox", "sh", "-c",
                   "ls /sys/class/net; ip route")
    assert p.stdout.split() == ["lo"], p.stdout + p.stderr
    net.web("ns-owner")
    try:
        owner_ns = ns_of(net.pid("ns-owner"))
        p = net.docker("run", "--rm", "--network", "container:ns-owner", "busybox", "sh", "-c",
                       "readlink /proc/self/ns/net; " + FETCH, "http://127.0.0.1/")
        lines = p.stdout.split()
        assert lines[0] == owner_ns and lines[-1] == "ns-owner", p.stdout + p.stderr
        # A container-mode container cannot join networks of its own.
        p = net.docker("run", "--rm", "--network", "container:ns-owner", "-p", "8080:80",
                       "busybox", "true")
        assert p.returncode != 0
    finally:
        net.rm("ns-owner")
    p = net.docker("run", "--rm", "--network", "container:no-such", "busybox", "true")
    assert p.returncode != 0 and "No such container" in p.stderr, p.stderr


def test_hosts_file(net):
    gateway = json.loads(net.ok("network", "inspect", "bridge"))[0]["IPAM"]["Config"][0]["Gateway"]
    p = net.docker("run", "--rm", "--hostname", "box1", "--add-host", "db.example:10.1.2.3",
                   "--add-host", "gw.example:host-gateway", "busybox", "sh", "-c",
                   "cat /etc/hosts; echo ---; ip -4 -o addr show eth0")
    hosts, addr = p.stdout.split("---")
    lines = [line.split() for line in hosts.splitlines() if line.strip()]
    assert ["127.0.0.1", "localhost"] in lines, hosts
    assert ["10.1.2.3", "db.example"] in lines, hosts
    assert [gateway, "gw.example"] in lines, hosts
    own_ip = addr.split()[3].split("/")[0]
    assert [own_ip, "box1"] in lines, hosts
    # On a user network the container's own entry is there too; host mode keeps the host's
    # /etc/hosts (plus --add-host entries).
    p = net.docker("run", "--rm", "--network", "host", "--add-host", "x.example:10.9.8.7",
                   "busybox", "cat", "/etc/hosts")
    assert "10.9.8.7\tx.example" in p.stdout or "10.9.8.7 x.example" in p.stdout, p.stdout
    p = net.docker("run", "--rm", "--add-host", "bad:not-an-ip", "busybox", "true")
    assert p.returncode != 0


def test_resolv_conf(net):
    p = net.docker("run", "--rm", "--dns", "192.0.2.53", "--dns-search", "corp.example",
                   "--dns-option", "ndots:3", "busybox", "cat", "/etc/resolv.conf")
    lines = [line.split() for line in p.stdout.splitlines()]
    assert ["nameserver", "192.0.2.53"] in lines, p.stdout
    assert ["search", "corp.example"] in lines, p.stdout
    assert ["options", "ndots:3"] in lines, p.stdout
    assert sum(1 for line in lines if line and line[0] == "nameserver") == 1
    # On a user network the embedded server is the nameserver; the options still apply.
    name = "dns-" + net.tag
    net.ok("network", "create", name)
    try:
        p = net.docker("run", "--rm", "--network", name, "--dns", "192.0.2.53",
                       "--dns-search", "corp.example", "--dns-option", "ndots:3", "busybox",
                       "cat", "/etc/resolv.conf")
        lines = [line.split() for line in p.stdout.splitlines()]
        assert ["nameserver", "127.0.0.11"] in lines, p.stdout
        assert ["search", "corp.example"] in lines and ["options", "ndots:3"] in lines
        assert ["nameserver", "192.0.2.53"] not in lines
    finally:
        net.docker("network", "rm", name)
    # The host network gets the host's resolv.conf.
    p = net.docker("run", "--rm", "--network", "host", "busybox", "cat", "/etc/resolv.conf")
    host_ns = [line.split()[1] for line in open("/etc/resolv.conf")
               if line.startswith("nameserver") and not line.split()[1].startswith("127.")]
    for server in host_ns:
        assert server in p.stdout


def test_mac_address_and_network_mtu(net):
    name = "mtu-" + net.tag
    net.ok("network", "create", "-o", "com.docker.network.driver.mtu=1400", name)
    try:
        p = net.docker("run", "--rm", "--network", name, "--mac-address", "02:42:0a:0b:0c:0d",
                       "busybox", "sh", "-c",
                       "cat /sys/class/net/eth0/address /sys/class/net/eth0/mtu")
        assert p.returncode == 0, p.stderr
        assert p.stdout.split() == ["02:42:0a:0b:0c:0d", "1400"]
        assert net.ok("network", "inspect", "-f",
                      '{{index .Options "com.docker.network.driver.mtu"}}', name) == "1400"
    finally:
        net.docker("network", "rm", name)
