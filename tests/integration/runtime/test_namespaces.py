"""linux.namespaces: new ones, ones joined by path, user namespaces with id mappings."""

import os



NS_TYPES = {"pid": "pid", "network": "net", "ipc": "ipc", "uts": "uts", "mount": "mnt",
            "cgroup": "cgroup", "user": "user"}
LONG_RUNNING = 'trap "exit 0" TERM; sleep 1000 & wait'
USERNS_MAPS = {"uidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}],
               "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}]}


def ns_ids(text):
    """{"net": "net:[4026...]", ...} from the output of `readlink /proc/self/ns/*`."""
    ids = {}
    for line in text.split():
        kind = line.split(":", 1)[0]
        ids[kind] = line
    return ids


def print_ns(b, extra=""):
    return b.sh(extra + "for n in pid net ipc uts mnt cgroup user; do "
                "readlink /proc/self/ns/$n; done")


def host_ns(pid="self"):
    return {n: os.readlink(f"/proc/{pid}/ns/{n}") for n in NS_TYPES.values()}


def start_long_running(rt, bundle, configure=None):
    b = bundle().sh(LONG_RUNNING)
    if configure:
        configure(b)
    b.save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    return cid, rt.state(cid)["pid"]


def test_new_namespaces_differ_from_the_hosts(rt, bundle):
    b = print_ns(bundle()).save()
    ids = ns_ids(rt.run(b).stdout)
    host = host_ns()
    for kind in ("pid", "net", "ipc", "uts", "mnt", "cgroup"):
        assert ids[kind] != host[kind], kind
    assert ids["user"] == host["user"]


def test_network_namespace_has_only_loopback(rt, bundle):
    b = bundle().sh("cat /proc/net/dev | tail -n +3 | cut -d: -f1").save()
    assert [x.strip() for x in rt.run(b).stdout.splitlines()] == ["lo"]


def test_shared_namespaces_when_not_listed(rt, bundle):
    b = print_ns(bundle())
    for kind in ("network", "ipc", "uts", "cgroup"):
        b.drop_namespace(kind)
    del b.config["hostname"]  # needs a UTS namespace of the container's own
    b.save()
    ids = ns_ids(rt.run(b).stdout)
    host = host_ns()
    for kind in ("net", "ipc", "uts", "cgroup"):
        assert ids[kind] == host[kind], kind


def test_mount_namespace_is_required(rt, bundle):
    b = bundle().sh("true")
    b.drop_namespace("mount")
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "linux.namespaces" in p.stderr and "mount" in p.stderr
    assert rt.list_ids() == []


def test_join_namespaces_by_path(rt, bundle):
    cid_a, pid_a = start_long_running(rt, bundle)
    b = print_ns(bundle())
    for kind in ("network", "ipc", "uts", "pid"):
        b.set_namespace(kind, f"/proc/{pid_a}/ns/{NS_TYPES[kind]}")
    del b.config["hostname"]  # would rename container A
    b.save()
    ids = ns_ids(rt.run(b).stdout)
    a = host_ns(pid_a)
    for kind in ("net", "ipc", "uts", "pid"):
        assert ids[kind] == a[kind], kind
    assert ids["mnt"] != a["mnt"]
    rt("delete", "--force", cid_a)


def test_joined_pid_namespace_process_is_not_pid_one(rt, bundle):
    cid_a, pid_a = start_long_running(rt, bundle)
    b = bundle().sh("echo $$; ps -o pid,args | grep -c 'sleep 1000'")
    b.set_namespace("pid", f"/proc/{pid_a}/ns/pid")
    b.save()
    out = rt.run(b).stdout.split()
    assert out[0] != "1"
    assert int(out[1]) >= 1  # sees container A's processes
    rt("delete", "--force", cid_a)


def test_bad_namespace_path_names_the_field(rt, bundle, workdir):
    b = bundle().sh("true")
    b.set_namespace("network", str(workdir / "nope"))
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "linux.namespaces" in p.stderr and "nope" in p.stderr
    assert rt.list_ids() == []


def test_user_namespace_with_mappings(rt, bundle):
    b = print_ns(bundle(), "cat /proc/self/uid_map /proc/self/gid_map; id -u; ")
    b.set_namespace("user")
    b.linux.update(USERNS_MAPS)
    b.save()
    out = rt.run(b).stdout.splitlines()
    assert out[0].split() == ["0", "200000", "65536"]
    assert out[1].split() == ["0", "200000", "65536"]
    assert out[2] == "0"
    ids = ns_ids(" ".join(out[3:]))
    assert ids["user"] != host_ns()["user"]


def test_user_namespace_files_appear_with_mapped_owner(rt, bundle):
    b = bundle().sh("touch /tmp/made; stat -c %u /tmp/made; ls /dev/null >/dev/null && "
                    "echo devices")
    b.set_namespace("user")
    b.linux.update(USERNS_MAPS)
    b.save()
    out = rt.run(b).stdout.split()
    assert out == ["0", "devices"]
    assert os.stat(b.rootfs / "tmp" / "made").st_uid == 200000


def test_user_namespace_with_joined_network_namespace(rt, bundle):
    # A new user namespace plus a joined network namespace: the init joins first, then unshares
    # the rest, and forks once more (CLONE_PARENT) to be pid 1 of its new pid namespace.
    cid_a, pid_a = start_long_running(rt, bundle)
    b = print_ns(bundle(), "echo $$; cat /proc/self/uid_map; ")
    b.set_namespace("user")
    b.set_namespace("network", f"/proc/{pid_a}/ns/net")
    b.linux.update(USERNS_MAPS)
    b.save()
    out = rt.run(b).stdout.splitlines()
    assert out[0] == "1"
    assert out[1].split() == ["0", "200000", "65536"]
    ids = ns_ids(" ".join(out[2:]))
    a = host_ns(pid_a)
    assert ids["net"] == a["net"]
    assert ids["user"] != a["user"] and ids["pid"] != a["pid"]


def test_user_namespace_joined_path_created_then_started(rt, bundle):
    # The same path through create/start: the pid reported and killed is the real init.
    cid_a, pid_a = start_long_running(rt, bundle)
    b = bundle().sh(LONG_RUNNING)
    b.set_namespace("user")
    b.set_namespace("network", f"/proc/{pid_a}/ns/net")
    b.linux.update(USERNS_MAPS)
    b.save()
    cid = rt.create(b)
    pid = rt.state(cid)["pid"]
    assert os.readlink(f"/proc/{pid}/ns/net") == os.readlink(f"/proc/{pid_a}/ns/net")
    assert open(f"/proc/{pid}/uid_map").read().split() == ["0", "200000", "65536"]
    rt("start", cid)
    rt.wait_status(cid, "running")
    rt("kill", cid, "TERM")
    rt.wait_status(cid, "stopped")
    rt("delete", cid)
    rt("delete", "--force", cid_a)


def test_join_an_existing_user_namespace(rt, bundle):
    def userns(b):
        b.set_namespace("user")
        b.linux.update(USERNS_MAPS)

    cid_a, pid_a = start_long_running(rt, bundle, userns)
    b = print_ns(bundle(), "echo $$; cat /proc/self/uid_map; ")
    b.set_namespace("user", f"/proc/{pid_a}/ns/user")
    b.save()
    out = rt.run(b).stdout.splitlines()
    assert out[0] == "1"
    assert out[1].split() == ["0", "200000", "65536"]
    ids = ns_ids(" ".join(out[2:]))
    a = host_ns(pid_a)
    assert ids["user"] == a["user"]
    assert ids["net"] != a["net"] and ids["pid"] != a["pid"]
    rt("delete", "--force", cid_a)


def test_user_namespace_without_mappings_is_refused(rt, bundle):
    b = bundle().sh("true")
    b.set_namespace("user")
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "Mappings" in p.stderr
    assert rt.list_ids() == []


def test_cgroup_namespace_shows_the_container_cgroup_as_root(rt, bundle):
    b = bundle().sh("cat /proc/self/cgroup").save()
    for line in rt.run(b).stdout.splitlines():
        assert line.rsplit(":", 1)[1] == "/", line
    b.drop_namespace("cgroup")
    b.save()
    cid = rt.new_id()
    out = rt("run", "--bundle", b.path, cid).stdout
    memory = [line for line in out.splitlines() if ":memory:" in line][0]
    assert memory.endswith("/" + cid)


def test_exec_into_a_user_namespace_container(rt, bundle):
    def userns(b):
        b.set_namespace("user")
        b.linux.update(USERNS_MAPS)

    cid, pid = start_long_running(rt, bundle, userns)
    out = rt("exec", "--user", "1000", cid, "sh", "-c",
             "id -u; cat /proc/self/uid_map; readlink /proc/self/ns/user").stdout.splitlines()
    assert out[0] == "1000"
    assert out[1].split() == ["0", "200000", "65536"]
    assert out[2] == os.readlink(f"/proc/{pid}/ns/user")
    rt("delete", "--force", cid)
