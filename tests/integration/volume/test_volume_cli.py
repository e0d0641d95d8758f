"""`docker volume` commands against berthd: create (labels, tmpfs and bind driver options), ls
with filters, inspect, rm (refused while in use), prune (only unused), `rm -v` and `system df`."""
import json
import os
import tempfile


def test_create_inspect_ls_rm(vol):
    name = "v1-" + vol.tag
    assert vol.ok("volume", "create", "--label", "team=a", "--label", "flag", name) == name
    info = json.loads(vol.ok("volume", "inspect", name))[0]
    assert info["Name"] == name and info["Driver"] == "local" and info["Scope"] == "local"
    assert info["Labels"] == {"team": "a", "flag": ""}
    assert info["Mountpoint"] == f"{vol.data_root}/volumes/{name}/_data"
    assert os.path.isdir(info["Mountpoint"])
    assert info["CreatedAt"]
    # Creating it again hands back the same volume.
    assert vol.ok("volume", "create", name) == name
    assert name in vol.volumes()
    assert vol.volumes("label=team=a") == [name]
    assert vol.volumes("label=team=b") == []
    assert vol.ok("volume", "ls", "--format", "{{.Driver}} {{.Name}}", "--filter",
                  f"name={name}") == f"local {name}"
    assert vol.ok("volume", "rm", name) == name
    assert not os.path.exists(f"{vol.data_root}/volumes/{name}")
    p = vol.docker("volume", "inspect", name)
    assert p.returncode != 0 and "no such volume" in p.stderr.lower()
    p = vol.docker("volume", "rm", name)
    assert p.returncode != 0
    assert vol.docker("volume", "rm", "-f", name).returncode == 0
    p = vol.docker("volume", "create", "bad/name")
    assert p.returncode != 0


def test_tmpfs_volume_with_size(vol):
    name = "tmp-" + vol.tag
    vol.ok("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", name)
    assert json.loads(vol.ok("volume", "inspect", name))[0]["Options"] == {
        "type": "tmpfs", "device": "tmpfs", "o": "size=1m"}
    p = vol.sh("grep ' /data ' /proc/mounts; dd if=/dev/zero of=/data/f bs=1k count=2048; "
               "echo rc=$?", "-v", f"{name}:/data")
    assert "tmpfs" in p.stdout, p.stdout + p.stderr
    assert "size=1024k" in p.stdout, p.stdout
    assert "rc=0" not in p.stdout, p.stdout
    # Unmounted once no container uses it: the host's _data is empty again.
    data = f"{vol.data_root}/volumes/{name}/_data"
    assert os.listdir(data) == []
    assert data not in open("/proc/self/mountinfo").read()
    # A container refused for a missing subpath does not leave the volume mounted either.
    p = vol.docker("create", "--mount", f"type=volume,src={name},dst=/d,volume-subpath=nope",
                   "busybox", "true")
    assert p.returncode != 0 and "subpath" in p.stderr, p.stderr
    assert data not in open("/proc/self/mountinfo").read()
    vol.ok("volume", "rm", name)


def test_bind_style_volume(vol):
    src = tempfile.mkdtemp(prefix="berth-volsrc-")
    try:
        with open(src + "/from-host", "w") as f:
            f.write("host data\n")
        name = "bind-" + vol.tag
        vol.ok("volume", "create", "-o", "type=none", "-o", "o=bind", "-o", f"device={src}", name)
        p = vol.sh("cat /data/from-host; echo written > /data/from-container", "-v",
                   f"{name}:/data")
        assert p.stdout.strip() == "host data", p.stderr
        assert open(src + "/from-container").read() == "written\n"
        vol.ok("volume", "rm", name)
        # Removing the volume leaves the bound directory alone.
        assert sorted(os.listdir(src)) == ["from-container", "from-host"]
    finally:
        for entry in os.listdir(src):
            os.unlink(os.path.join(src, entry))
        os.rmdir(src)


def test_in_use_volume_cannot_be_removed_and_prune_takes_only_unused(vol):
    used, idle, anon_idle = "used-" + vol.tag, "idle-" + vol.tag, None
    vol.ok("volume", "create", used)
    vol.ok("volume", "create", idle)
    vol.ok("create", "--name", "vuser", "-v", f"{used}:/data", "busybox", "true")
    cid = vol.ok("create", "--name", "anon-owner", "-v", "/anon", "busybox", "true")
    try:
        anon_idle = json.loads(vol.ok("inspect", "anon-owner"))[0]["Mounts"][0]["Name"]
        p = vol.docker("volume", "rm", used)
        assert p.returncode != 0 and "in use" in p.stderr, p.stderr
        assert vol.docker("volume", "rm", "-f", used).returncode != 0  # force is not for that
        dangling = vol.volumes("dangling=true")
        assert idle in dangling and used not in dangling and anon_idle not in dangling
        assert used in vol.volumes("dangling=false")
        # Prune: the anonymous volumes of no container (none here yet), then all unused.
        vol.ok("rm", cid)  # without -v: its anonymous volume stays, unused
        assert anon_idle in vol.volumes("dangling=true")
        out = vol.ok("volume", "prune", "-f")
        assert anon_idle in out and idle not in out and used not in out
        out = vol.ok("volume", "prune", "-af")
        assert idle in out and used not in out
        remaining = vol.volumes()
        assert used in remaining and idle not in remaining and anon_idle not in remaining
    finally:
        vol.docker("rm", "-f", "vuser", "anon-owner")
        vol.docker("volume", "rm", "-f", used, idle)


def test_rm_v_removes_anonymous_volumes_only(vol):
    named = "keep-" + vol.tag
    vol.ok("run", "--name", "two-vols", "-v", "/anon", "-v", f"{named}:/named", "busybox",
           "sh", "-c", "echo x > /anon/f; echo y > /named/f")
    mounts = json.loads(vol.ok("inspect", "two-vols"))[0]["Mounts"]
    anon = [m["Name"] for m in mounts if m["Destination"] == "/anon"][0]
    assert len(anon) == 64
    assert anon in vol.volumes() and named in vol.volumes()
    vol.ok("rm", "-v", "two-vols")
    assert anon not in vol.volumes() and named in vol.volumes()
    # --rm behaves like rm -v.
    before = set(vol.volumes())
    vol.ok("run", "--rm", "-v", "/scratch", "busybox", "true")
    assert set(vol.volumes()) == before
    vol.ok("volume", "rm", named)


def test_system_df_counts_volumes(vol):
    name = "df-" + vol.tag
    vol.ok("run", "--name", "df-user", "-v", f"{name}:/data", "busybox", "sh", "-c",
           "dd if=/dev/zero of=/data/blob bs=1k count=300")
    try:
        out = vol.ok("system", "df", "-v", "--format", "{{json .Volumes}}")
        rows = {v["Name"]: v for v in json.loads(out)}
        assert name in rows, out
        assert str(rows[name]["Links"]) == "1"
        assert rows[name]["Size"].endswith("kB") or rows[name]["Size"].endswith("MB"), rows[name]
        summary = vol.ok("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}")
        line = [l for l in summary.splitlines() if l.startswith("Local Volumes")][0]
        total, active = map(int, line.split()[2:4])
        assert total >= 1 and active >= 1
    finally:
        vol.docker("rm", "-f", "df-user")
        vol.docker("volume", "rm", name)
