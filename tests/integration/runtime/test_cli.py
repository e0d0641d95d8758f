"""The command line around the lifecycle: spec, features, --version, --log/--log-format,
--debug, --systemd-cgroup, and bad input (one clear error naming the field; nothing left)."""

import json
import subprocess

import pytest


def test_version(rt):
    p = rt("--version")
    assert p.stdout.startswith("berth-runtime version ")
    assert "spec: 1.2" in p.stdout


def test_spec_writes_a_default_config(rt, workdir):
    rt("spec", "--bundle", workdir)
    config = json.loads((workdir / "config.json").read_text())
    assert config["ociVersion"].startswith("1.")
    assert config["root"]["path"] == "rootfs"
    assert config["process"]["args"] == ["sh"]
    types = {ns["type"] for ns in config["linux"]["namespaces"]}
    assert {"pid", "mount", "network", "ipc", "uts"} <= types and "user" not in types
    p = rt("spec", "--bundle", workdir, check=False)
    assert p.returncode != 0 and "exists" in p.stderr


def test_spec_rootless(rt, workdir):
    rt("spec", "--rootless", "--bundle", workdir)
    config = json.loads((workdir / "config.json").read_text())
    types = {ns["type"] for ns in config["linux"]["namespaces"]}
    assert "user" in types and "network" not in types
    assert config["linux"]["uidMappings"][0]["containerID"] == 0
    assert config["linux"]["gidMappings"][0]["size"] >= 1


def test_spec_output_runs(rt, bundle):
    b = bundle()
    rt("spec", "--bundle", b.path)
    config = json.loads(open(f"{b.path}/config.json").read())
    config["process"]["terminal"] = False
    config["process"]["args"] = ["echo", "from the default spec"]
    with open(f"{b.path}/config.json", "w") as f:
        json.dump(config, f)
    assert rt.run(b).stdout == "from the default spec\n"


def test_features(rt):
    f = json.loads(rt("features").stdout)
    assert f["ociVersionMin"].startswith("1.0")
    assert f["ociVersionMax"].startswith("1.2")
    assert set(f["hooks"]) == {"prestart", "createRuntime", "createContainer", "startContainer",
                               "poststart", "poststop"}
    assert "rbind" in f["mountOptions"] and "rro" in f["mountOptions"]
    linux = f["linux"]
    assert set(linux["namespaces"]) >= {"cgroup", "ipc", "mount", "network", "pid", "user",
                                        "uts"}
    assert "CAP_SYS_ADMIN" in linux["capabilities"]
    assert linux["cgroup"]["v1"] and linux["cgroup"]["v2"] and not linux["cgroup"]["systemd"]
    assert linux["seccomp"]["enabled"] and "SCMP_ACT_ERRNO" in linux["seccomp"]["actions"]


def test_log_json_records_errors_as_runc_does(rt, workdir):
    log = workdir / "log.json"
    p = rt("state", "nope", globals_=["--log", log, "--log-format", "json"], check=False)
    assert p.returncode != 0 and "does not exist" in p.stderr
    lines = log.read_text().splitlines()
    entry = json.loads(lines[-1])
    assert entry["level"] == "error"
    assert "nope" in entry["msg"] and "does not exist" in entry["msg"]
    assert entry["time"].endswith("Z") and "T" in entry["time"]


def test_log_text_and_debug(rt, workdir, bundle):
    log = workdir / "log.txt"
    b = bundle().sh("true").save()
    cid = rt.new_id()
    rt("run", "--bundle", b.path, cid, globals_=["--log", log, "--log-format", "text",
                                                 "--debug"])
    text = log.read_text()
    assert "[debug]" in text and cid in text
    assert not text.lstrip().startswith("{")
    p = rt("state", "nope", globals_=["--log", log], check=False)
    assert p.returncode != 0
    assert "[error]" in log.read_text().splitlines()[-1]


def test_errors_are_reported_once_on_stderr(rt):
    p = rt("state", "nope", check=False)
    assert p.returncode == 1
    assert p.stderr.count("does not exist") == 1


def test_systemd_cgroup_is_a_clear_error(rt, bundle):
    b = bundle().sh("true").save()
    p = rt("create", "--bundle", b.path, rt.new_id(), globals_=["--systemd-cgroup"],
           check=False)
    assert p.returncode != 0 and "systemd" in p.stderr
    assert rt.list_ids() == []


def test_unknown_command_and_missing_id(rt):
    assert rt("bogus", check=False).returncode != 0
    p = rt("state", check=False)
    assert p.returncode != 0 and "id" in p.stderr


def test_root_option_keeps_state_apart(rt, bundle, workdir):
    b = bundle().sh("true").save()
    cid = rt.create(b)
    other = workdir / "other-root"
    p = subprocess.run([rt.binary, "--root", str(other), "list", "-q"], env=rt.env,
                       stdout=subprocess.PIPE, text=True, check=True)
    assert p.stdout == ""
    assert rt.list_ids() == [cid]
    assert (workdir / "state" / cid / "state.json").exists()
    rt("delete", cid)


@pytest.mark.parametrize("mutate, field", [
    (lambda c: c["process"].update(args=[]), "process.args"),
    (lambda c: c.pop("process"), "process"),
    (lambda c: c["root"].update(path="no-such-rootfs"), "root.path"),
    (lambda c: c.update(ociVersion="0.1"), "ociVersion"),
    (lambda c: c["linux"]["namespaces"].append({"type": "bogus"}), "namespaces"),
    (lambda c: c["linux"]["namespaces"].append({"type": "pid"}), "namespaces"),
    (lambda c: c["mounts"].append({"destination": "relative", "type": "tmpfs"}), "mounts[7]"),
    (lambda c: c["process"].update(cwd="relative"), "process.cwd"),
    (lambda c: c["linux"].update(uidMappings=[{"containerID": 0, "hostID": 1, "size": 1}]),
     "uidMappings"),
    (lambda c: c["process"]["capabilities"]["effective"].append("CAP_NOPE"), "CAP_NOPE"),
    (lambda c: c["linux"].update(sysctl={"kernel.foo": "1"}), "kernel.foo"),
    (lambda c: c["linux"]["resources"].update(memory={"limit": -5}), "memory"),
    (lambda c: c["linux"]["resources"].update(cpu={"cpus": "0-"}), "cpus"),
    (lambda c: c["linux"].update(rootfsPropagation="sideways"), "rootfsPropagation"),
    (lambda c: c["linux"].update(devices=[{"path": "/dev/x", "type": "q", "major": 1,
                                            "minor": 1}]), "devices"),
    (lambda c: c["process"].update(rlimits=[{"type": "RLIMIT_NOFILE", "soft": 10,
                                             "hard": 5}]), "rlimits"),
    (lambda c: c["linux"].update(seccomp={"defaultAction": "SCMP_ACT_BOGUS"}), "seccomp"),
])
def test_invalid_config_names_the_field_and_leaves_nothing(rt, bundle, mutate, field):
    b = bundle().sh("true")
    mutate(b.config)
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0
    assert field in p.stderr, p.stderr
    assert len([line for line in p.stderr.splitlines() if line.strip()]) == 1, p.stderr
    assert rt.list_ids() == []


def test_unparsable_config(rt, bundle):
    b = bundle()
    with open(f"{b.path}/config.json", "w") as f:
        f.write('{"ociVersion": "1.2.0", "process": ')
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "config.json" in p.stderr
    assert rt.list_ids() == []
    with open(f"{b.path}/config.json", "w") as f:
        f.write('{"ociVersion": "1.2.0", "process": {"args": "sh"}}')
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "process.args" in p.stderr


def test_missing_bundle(rt, workdir):
    p = rt("create", "--bundle", workdir / "nowhere", rt.new_id(), check=False)
    assert p.returncode != 0 and "config.json" in p.stderr
    assert rt.list_ids() == []
