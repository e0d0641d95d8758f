"""The container's filesystem: pivot_root, mounts, propagation, devices, masked and read-only
paths, sysctls. Everything is observed from inside the container (mountinfo, stat, writes)."""

import os

import pytest

from conftest import wait_for


def mountinfo(text):
    """{mount point: (fields before ' - ', fstype, source, super options)} of a mountinfo."""
    mounts = {}
    for line in text.splitlines():
        if " - " not in line:
            continue
        left, right = line.split(" - ", 1)
        lf, rf = left.split(), right.split()
        mounts[lf[4]] = {"opts": lf[5].split(","), "optional": lf[6:], "fstype": rf[0],
                         "source": rf[1], "super": rf[2].split(",") if len(rf) > 2 else []}
    return mounts


def run_mountinfo(rt, b, *extra):
    b.sh("cat /proc/self/mountinfo").save()
    cid = rt.new_id()
    out = rt("run", *extra, "--bundle", b.path, cid).stdout
    return mountinfo(out)


@pytest.mark.parametrize("no_pivot", [False, True])
def test_root_is_the_bundle_rootfs_and_host_mounts_are_gone(rt, bundle, no_pivot):
    b = bundle()
    (b.rootfs / "marker").write_text("inside\n")
    m = run_mountinfo(rt, b, *(["--no-pivot"] if no_pivot else []))
    assert "/" in m
    # No host mount point is visible: only the container's own tree.
    own = {"/", "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"}
    for point in m:
        assert (point in own or point.startswith(("/proc/", "/sys/fs/cgroup", "/sys/firmware"))), point
    b.sh("cat /marker").save()
    assert rt.run(b).stdout == "inside\n"


def test_readonly_root(rt, bundle):
    b = bundle().sh("touch /x 2>&1; echo rc=$?; touch /tmp/y 2>&1; echo rc=$?").save()
    b.config["root"]["readonly"] = True
    b.config["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"})
    b.save()
    out = rt.run(b).stdout
    assert "Read-only file system" in out
    assert out.splitlines()[1] == "rc=1" and out.splitlines()[2] == "rc=0"
    assert not (b.rootfs / "x").exists()
    m = run_mountinfo(rt, b)
    assert "ro" in m["/"]["opts"]


def test_default_mounts_types_and_options(rt, bundle):
    m = run_mountinfo(rt, bundle())
    assert m["/proc"]["fstype"] == "proc"
    assert m["/dev"]["fstype"] == "tmpfs" and "nosuid" in m["/dev"]["opts"]
    assert "mode=755" in m["/dev"]["super"] and "size=65536k" in m["/dev"]["super"]
    assert m["/dev/pts"]["fstype"] == "devpts"
    assert {"nosuid", "noexec"} <= set(m["/dev/pts"]["opts"])
    assert "ptmxmode=666" in m["/dev/pts"]["super"] and "gid=5" in m["/dev/pts"]["super"]
    assert m["/dev/shm"]["fstype"] == "tmpfs"
    assert {"nosuid", "noexec", "nodev"} <= set(m["/dev/shm"]["opts"])
    assert m["/dev/mqueue"]["fstype"] == "mqueue"
    assert m["/sys"]["fstype"] == "sysfs" and "ro" in m["/sys"]["opts"]
    # cgroup v1 host: a read-only tmpfs with one read-only bind per hierarchy.
    assert m["/sys/fs/cgroup"]["fstype"] == "tmpfs" and "ro" in m["/sys/fs/cgroup"]["opts"]
    assert m["/sys/fs/cgroup/memory"]["fstype"] == "cgroup"
    assert "ro" in m["/sys/fs/cgroup/memory"]["opts"]
    assert m["/sys/fs/cgroup/unified"]["fstype"] == "cgroup2"


def test_bind_mounts_with_options(rt, bundle, workdir):
    host = workdir / "share"
    (host / "sub").mkdir(parents=True)
    (host / "file").write_text("shared\n")
    single = workdir / "single.txt"
    single.write_text("one file\n")
    b = bundle()
    b.config["mounts"] += [
        {"destination": "/mnt/ro", "type": "bind", "source": str(host),
         "options": ["rbind", "ro", "nosuid", "nodev", "noexec"]},
        {"destination": "/mnt/rw", "type": "none", "source": str(host), "options": ["bind"]},
        {"destination": "/etc/single.txt", "type": "bind", "source": str(single),
         "options": ["bind", "ro"]},
    ]
    b.sh("cat /mnt/ro/file /etc/single.txt; touch /mnt/ro/new 2>&1; echo rc=$?; "
         "touch /mnt/rw/new && echo wrote; cat /proc/self/mountinfo").save()
    out = rt.run(b).stdout
    assert out.startswith("shared\none file\n")
    assert "Read-only file system" in out and "rc=1" in out and "wrote" in out
    assert (host / "new").exists()
    m = mountinfo(out)
    assert {"ro", "nosuid", "nodev", "noexec"} <= set(m["/mnt/ro"]["opts"])
    assert "rw" in m["/mnt/rw"]["opts"]
    assert "ro" in m["/etc/single.txt"]["opts"]


def test_recursive_read_only_bind(rt, bundle, workdir):
    host = workdir / "tree"
    host.mkdir()
    b = bundle()
    b.config["mounts"] += [
        {"destination": "/mnt/tree", "type": "bind", "source": str(host),
         "options": ["rbind", "rro"]},
    ]
    b.save()
    m = run_mountinfo(rt, b)
    assert "ro" in m["/mnt/tree"]["opts"]


def test_tmpfs_mode_size_and_tmpcopyup(rt, bundle):
    b = bundle()
    (b.rootfs / "data").mkdir()
    (b.rootfs / "data" / "seed").write_text("seeded\n")
    b.config["mounts"] += [
        {"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "size=1m", "mode=1770"]},
        {"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]},
    ]
    b.sh("stat -c %a /scratch; cat /data/seed; echo new > /data/seed; "
         "cat /proc/self/mountinfo").save()
    out = rt.run(b).stdout
    lines = out.splitlines()
    assert lines[0] == "1770"
    assert lines[1] == "seeded"
    m = mountinfo(out)
    assert m["/scratch"]["fstype"] == "tmpfs" and "size=1024k" in m["/scratch"]["super"]
    assert m["/data"]["fstype"] == "tmpfs"
    assert (b.rootfs / "data" / "seed").read_text() == "seeded\n"  # the copy was written


def test_mount_propagation_options(rt, bundle, workdir):
    host = workdir / "prop"
    host.mkdir()
    b = bundle()
    b.config["mounts"] += [
        {"destination": "/mnt/shared", "type": "bind", "source": str(host),
         "options": ["rbind", "rshared"]},
        {"destination": "/mnt/private", "type": "bind", "source": str(host),
         "options": ["rbind", "rprivate"]},
        {"destination": "/mnt/unbindable", "type": "bind", "source": str(host),
         "options": ["rbind", "runbindable"]},
    ]
    b.save()
    m = run_mountinfo(rt, b)
    assert any(o.startswith("shared:") for o in m["/mnt/shared"]["optional"])
    assert not any(o.startswith("shared:") for o in m["/mnt/private"]["optional"])
    assert "unbindable" in m["/mnt/unbindable"]["optional"]


@pytest.mark.parametrize("prop, expect", [("shared", "shared:"), ("private", None),
                                          ("rslave", None)])
def test_rootfs_propagation(rt, bundle, prop, expect):
    b = bundle()
    b.linux["rootfsPropagation"] = prop
    m = run_mountinfo(rt, b)
    optional = m["/"]["optional"]
    if expect:
        assert any(o.startswith(expect) for o in optional)
    else:
        assert not any(o.startswith("shared:") for o in optional)


def test_shared_rootfs_propagation_does_not_leak_mounts_to_the_host(rt, bundle, workdir):
    b = bundle().sh("mount -t tmpfs none /tmp && echo mounted").save()
    b.linux["rootfsPropagation"] = "shared"
    b.process["capabilities"] = {k: ["CAP_SYS_ADMIN"] for k in ("bounding", "permitted",
                                                                "effective")}
    b.save()
    assert rt.run(b).stdout == "mounted\n"
    assert str(workdir) not in open("/proc/self/mountinfo").read()


def test_proc_sysfs_mqueue_and_a_second_proc(rt, bundle):
    b = bundle().sh("ls /proc/1/ns >/dev/null && echo proc; ls /sys/kernel >/dev/null && "
                    "echo sys; ls /dev/mqueue >/dev/null && echo mq").save()
    assert rt.run(b).stdout.split() == ["proc", "sys", "mq"]


def test_default_devices_and_config_devices(rt, bundle):
    b = bundle()
    b.linux["devices"] = [
        {"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 0o640,
         "uid": 1000, "gid": 1001},
        {"path": "/dev/disk/fifo0", "type": "p", "major": 0, "minor": 0},
    ]
    b.linux["resources"]["devices"].append(
        {"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rwm"})
    b.sh("for d in null zero full random urandom tty mynull; do "
         "stat -c '%n %F %t,%T %a %u:%g' /dev/$d; done; stat -c '%F' /dev/disk/fifo0; "
         "echo x > /dev/null && echo wrote; "
         "for l in ptmx fd stdin; do readlink /dev/$l; done").save()
    lines = rt.run(b).stdout.splitlines()
    assert lines[0] == "/dev/null character special file 1,3 666 0:0"
    assert lines[1] == "/dev/zero character special file 1,5 666 0:0"
    assert lines[5] == "/dev/tty character special file 5,0 666 0:0"
    assert lines[6] == "/dev/mynull character special file 1,3 640 1000:1001"
    assert lines[7] == "fifo"
    assert lines[8] == "wrote"
    assert lines[9:] == ["pts/ptmx", "/proc/self/fd", "/proc/self/fd/0"]


def test_device_cgroup_denies_unlisted_devices(rt, bundle):
    b = bundle()
    # /dev/net/tun (10,200) is neither in the defaults nor allowed: mknod works (the "m" rule
    # for every char device), opening it does not.
    b.linux["devices"] = [{"path": "/dev/tun0", "type": "c", "major": 10, "minor": 200}]
    b.sh("(: < /dev/tun0) 2>&1; echo rc=$?").save()
    out = rt.run(b).stdout
    assert "Operation not permitted" in out and "rc=1" in out
    b.linux["resources"]["devices"].append(
        {"allow": True, "type": "c", "major": 10, "minor": 200, "access": "rw"})
    b.save()
    assert rt.run(b).stdout.strip() == "rc=0"


def test_masked_paths(rt, bundle):
    b = bundle().sh("wc -c < /proc/timer_list; ls /proc/acpi | wc -l; "
                    "cat /proc/self/mountinfo").save()
    b.linux["maskedPaths"].append("/etc/hostname")
    (b.rootfs / "etc" / "hostname").write_text("secret\n")
    b.save()
    out = rt.run(b).stdout
    lines = out.splitlines()
    assert lines[0] == "0" and lines[1] == "0"
    m = mountinfo(out)
    assert m["/proc/acpi"]["fstype"] == "tmpfs" and "ro" in m["/proc/acpi"]["opts"]
    assert "/etc/hostname" in m  # /dev/null bound over it
    b.sh("cat /etc/hostname | wc -c").save()
    assert rt.run(b).stdout.strip() == "0"


def test_readonly_paths(rt, bundle):
    b = bundle().sh("{ echo 1 > /proc/sys/kernel/ns_last_pid; } 2>&1; echo rc=$?; "
                    "{ echo x > /etc/ro/f; } 2>&1; echo rc=$?").save()
    (b.rootfs / "etc" / "ro").mkdir()
    b.linux["readonlyPaths"].append("/etc/ro")
    b.linux["readonlyPaths"].append("/does/not/exist")
    b.save()
    out = rt.run(b).stdout
    assert out.count("Read-only file system") == 2
    assert out.count("rc=1") == 2
    assert not (b.rootfs / "etc" / "ro" / "f").exists()


def test_sysctl(rt, bundle):
    b = bundle().sh("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax").save()
    b.linux["sysctl"] = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "12345"}
    b.save()
    assert rt.run(b).stdout.split() == ["1", "12345"]
    assert open("/proc/sys/kernel/msgmax").read().strip() != "12345"


def test_bad_sysctl_fails_create_and_leaves_nothing(rt, bundle):
    b = bundle().sh("true").save()
    b.linux["sysctl"] = {"net.ipv4.no_such_knob": "1"}
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "no_such_knob" in p.stderr
    assert rt.list_ids() == []


def test_bad_bind_source_fails_create_and_leaves_nothing(rt, bundle, workdir):
    b = bundle().sh("true")
    b.config["mounts"].append({"destination": "/mnt", "type": "bind",
                               "source": str(workdir / "missing"), "options": ["bind"]})
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0
    assert "mounts[7]" in p.stderr and "missing" in p.stderr
    assert rt.list_ids() == []


def test_failing_mount_in_the_child_leaves_nothing(rt, bundle):
    # Passes validation and planning; the kernel refuses it inside the init.
    b = bundle().sh("true")
    b.config["mounts"].append({"destination": "/mnt", "type": "nosuchfs", "source": "x"})
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "/mnt" in p.stderr
    assert rt.list_ids() == []


@pytest.mark.parametrize("link", ["/..", "../../..", "HOST"])
def test_symlinked_mount_destination_stays_in_the_rootfs(rt, bundle, workdir, link):
    host_dir = workdir / "host-target"
    host_dir.mkdir(exist_ok=True)
    b = bundle()
    target = str(host_dir) if link == "HOST" else link
    os.rename(b.rootfs / "etc", b.rootfs / "etc.orig")
    os.symlink(target, b.rootfs / "etc")
    b.config["mounts"].append({"destination": "/etc/escape", "type": "tmpfs",
                               "source": "tmpfs"})
    b.config["mounts"].append({"destination": "/etc/bindescape", "type": "bind",
                               "source": str(workdir / "host-target"), "options": ["bind"]})
    b.sh("cat /proc/self/mountinfo").save()
    out = rt.run(b).stdout
    # Nothing was created or mounted outside the rootfs...
    assert not (host_dir / "escape").exists() and not (host_dir / "bindescape").exists()
    assert not (workdir / "escape").exists() and not (b.rootfs.parent / "escape").exists()
    assert not os.path.exists("/escape")
    assert str(workdir) not in open("/proc/self/mountinfo").read()
    # ...and the mounts landed inside it.
    m = mountinfo(out)
    inside = (target.rstrip("/") if link == "HOST" else "") + "/escape"
    assert m[inside.replace("//", "/")]["fstype"] == "tmpfs"


def test_proc_over_symlink_is_refused_or_contained(rt, bundle, workdir):
    # /proc as a symlink to a host path: the mount must not land on the host's path.
    b = bundle()
    (b.rootfs / "proc").rmdir()
    os.symlink("/tmp", b.rootfs / "proc")
    b.sh("test -e /proc/self/status && echo ok").save()
    p = rt.run(b, check=False)
    assert str(workdir) not in open("/proc/self/mountinfo").read()
    assert p.returncode == 0 and p.stdout == "ok\n"
    assert (b.rootfs / "tmp").is_dir()


def test_devpts_and_no_host_pts_leak(rt, bundle):
    b = bundle().sh("ls /dev/pts").save()
    assert rt.run(b).stdout.split() == ["ptmx"]


def test_masked_path_through_symlink_does_not_escape(rt, bundle, workdir):
    secret = workdir / "secret"
    secret.write_text("host data\n")
    b = bundle()
    os.symlink(str(secret), b.rootfs / "link")
    b.linux["maskedPaths"].append("/link")
    b.sh("true").save()
    rt.run(b)
    assert secret.read_text() == "host data\n"
    assert str(workdir) not in open("/proc/self/mountinfo").read()


def test_cwd_must_stay_inside_the_container(rt, bundle):
    # Leaked host directory fds used as cwd (CVE-2024-21626) must never yield a cwd outside.
    b = bundle().sh("pwd")
    for fd in range(3, 11):
        b.process["cwd"] = f"/proc/self/fd/{fd}"
        b.save()
        p = rt.run(b, check=False)
        if p.returncode == 0:
            assert p.stdout.startswith("/") and "unreachable" not in p.stdout, p.stdout
        else:
            assert p.stderr.strip(), "a refusal must say why"


def test_no_fds_leak_into_the_container(rt, bundle, workdir):
    leaked = open(workdir / "leak", "w")
    os.set_inheritable(leaked.fileno(), True)
    b = bundle().sh("ls /proc/$$/fd; :")  # not the last command: sh forks rather than execs
    b.drop_namespace("pid")
    b.save()
    p = rt.run(b, pass_fds=(leaked.fileno(),))
    assert sorted(p.stdout.split()) == ["0", "1", "2"]
    leaked.close()


def test_preserve_fds_passes_exactly_n_fds(rt, bundle, workdir):
    files = [open(workdir / f"f{i}", "w") for i in range(3)]
    fds = [f.fileno() for f in files]
    b = bundle().sh("ls /proc/$$/fd; echo via3 >&3").save()
    b.drop_namespace("pid")
    b.save()
    cid = rt.new_id()
    # subprocess maps pass_fds to the same numbers: make them 3 and 4 with dup2 in preexec.

    def place():
        os.dup2(fds[0], 3)
        os.dup2(fds[1], 4)
        os.dup2(fds[2], 5)

    p = rt("run", "--preserve-fds", "2", "--bundle", b.path, cid, preexec_fn=place,
           close_fds=False)
    assert sorted(p.stdout.split()) == ["0", "1", "2", "3", "4"]
    for f in files:
        f.close()
    assert (workdir / "f0").read_text() == "via3\n"


def test_mounts_are_gone_after_delete(rt, bundle):
    b = bundle().sh('trap "exit 0" TERM; sleep 1000 & wait').save()
    b.config["mounts"].append({"destination": "/mnt", "type": "tmpfs", "source": "tmpfs"})
    b.save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    pid = rt.state(cid)["pid"]
    inside = open(f"/proc/{pid}/mountinfo").read()
    assert " /mnt " in inside
    rt("delete", "--force", cid)
    wait_for(lambda: not os.path.exists(f"/proc/{pid}"), what="the init to go")
