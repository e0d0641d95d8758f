"""process.*: user, cwd, env, rlimits, capabilities, noNewPrivileges, oomScoreAdj, umask."""

import pytest

ALL_CAPS_BITS = None


def status_fields(text):
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def cap_mask(*numbers):
    mask = 0
    for n in numbers:
        mask |= 1 << n
    return mask


CAP_CHOWN, CAP_KILL, CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_SYS_ADMIN = 0, 5, 10, 13, 21


def test_pid_one_hostname_and_domainname(rt, bundle):
    b = bundle().sh("echo $$; hostname; cat /proc/sys/kernel/domainname").save()
    b.config["hostname"] = "box"
    b.config["domainname"] = "example.org"
    b.save()
    assert rt.run(b).stdout.split() == ["1", "box", "example.org"]


def test_user_groups_umask_cwd_and_env(rt, bundle):
    b = bundle().sh("id -u; id -g; id -G; umask; pwd; echo $FOO").save()
    b.process["user"] = {"uid": 1000, "gid": 1001, "additionalGids": [5, 1002], "umask": 0o27}
    b.process["cwd"] = "/tmp"
    b.process["env"].append("FOO=bar baz")
    b.save()
    lines = rt.run(b).stdout.splitlines()
    assert lines[0] == "1000"
    assert lines[1] == "1001"
    assert sorted(lines[2].split()) == ["1001", "1002", "5"]
    assert lines[3] == "0027"
    assert lines[4] == "/tmp"
    assert lines[5] == "bar baz"


def test_missing_cwd_is_created_for_root(rt, bundle):
    b = bundle().sh("pwd").save()
    b.process["cwd"] = "/does/not/exist"
    b.save()
    p = rt.run(b, check=False)
    # runc creates a missing cwd; either way it must be inside the container.
    if p.returncode == 0:
        assert p.stdout.strip() == "/does/not/exist"
    else:
        assert "cwd" in p.stderr or "chdir" in p.stderr


def test_rlimits(rt, bundle):
    b = bundle().sh("ulimit -n; ulimit -Hn; ulimit -c").save()
    b.process["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 4096},
                            {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]
    b.save()
    assert rt.run(b).stdout.split() == ["512", "4096", "0"]


def test_rlimit_above_the_allowed_maximum_fails_clearly(rt, bundle):
    b = bundle().sh("true").save()
    b.process["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 2 ** 21, "hard": 2 ** 21}]
    b.save()
    p = rt.run(b, check=False)
    assert p.returncode != 0
    assert "setrlimit" in p.stderr or "rlimit" in p.stderr.lower()


def test_unknown_rlimit_names_the_field(rt, bundle):
    b = bundle().sh("true").save()
    b.process["rlimits"] = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]
    b.save()
    p = rt.run(b, check=False)
    assert p.returncode != 0 and "RLIMIT_BOGUS" in p.stderr


def test_the_five_capability_sets(rt, bundle):
    b = bundle().sh("cat /proc/self/status").save()
    b.process["user"] = {"uid": 1000, "gid": 1000}
    b.process["capabilities"] = {
        "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"],
        "permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
        "effective": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
        "inheritable": ["CAP_NET_BIND_SERVICE", "CAP_NET_RAW"],
        "ambient": ["CAP_NET_BIND_SERVICE"],
    }
    b.save()
    f = status_fields(rt.run(b).stdout)
    # `cat` ran as uid 1000 after exec: only the ambient set survives into effective/permitted.
    assert int(f["CapBnd"], 16) == cap_mask(CAP_CHOWN, CAP_KILL, CAP_NET_BIND_SERVICE,
                                             CAP_NET_RAW)
    assert int(f["CapInh"], 16) == cap_mask(CAP_NET_BIND_SERVICE, CAP_NET_RAW)
    assert int(f["CapAmb"], 16) == cap_mask(CAP_NET_BIND_SERVICE)
    assert int(f["CapPrm"], 16) == cap_mask(CAP_NET_BIND_SERVICE)
    assert int(f["CapEff"], 16) == cap_mask(CAP_NET_BIND_SERVICE)


def test_capabilities_of_root(rt, bundle):
    b = bundle().sh("cat /proc/self/status").save()
    b.process["capabilities"] = {k: ["CAP_CHOWN", "CAP_SYS_ADMIN"]
                                 for k in ("bounding", "permitted", "effective")}
    b.save()
    f = status_fields(rt.run(b).stdout)
    assert int(f["CapEff"], 16) == cap_mask(CAP_CHOWN, CAP_SYS_ADMIN)
    assert int(f["CapPrm"], 16) == cap_mask(CAP_CHOWN, CAP_SYS_ADMIN)
    assert int(f["CapBnd"], 16) == cap_mask(CAP_CHOWN, CAP_SYS_ADMIN)
    assert int(f["CapInh"], 16) == 0 and int(f["CapAmb"], 16) == 0


def test_unknown_capability_names_the_field(rt, bundle):
    b = bundle().sh("true").save()
    b.process["capabilities"]["bounding"].append("CAP_BOGUS")
    b.save()
    p = rt.run(b, check=False)
    assert p.returncode != 0 and "CAP_BOGUS" in p.stderr


@pytest.mark.parametrize("nnp", [True, False])
def test_no_new_privileges(rt, bundle, nnp):
    b = bundle().sh("grep NoNewPrivs /proc/self/status").save()
    b.process["noNewPrivileges"] = nnp
    b.save()
    assert rt.run(b).stdout.split() == ["NoNewPrivs:", "1" if nnp else "0"]


def test_oom_score_adj(rt, bundle):
    b = bundle().sh("cat /proc/self/oom_score_adj").save()
    b.process["oomScoreAdj"] = 500
    b.save()
    assert rt.run(b).stdout.strip() == "500"


def test_missing_executable_fails_create_and_leaves_nothing(rt, bundle):
    b = bundle().set_args("no-such-program").save()
    p = rt.create(b, check=False)
    assert p.returncode != 0
    assert "no-such-program" in p.stderr and "not found" in p.stderr
    assert rt.list_ids() == []
