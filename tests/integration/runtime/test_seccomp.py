"""linux.seccomp: actions, errnoRet, defaultErrnoRet, argument filters, flags."""

import re

import pytest

SIGSYS_STATUS = 128 + 31


def all_syscalls():
    with open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h") as f:
        return re.findall(r"#define __NR_(\w+) \d+", f.read())


def seccomp(default="SCMP_ACT_ALLOW", syscalls=(), **extra):
    profile = {"defaultAction": default, "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
               "syscalls": list(syscalls)}
    profile.update(extra)
    return profile


def with_seccomp(b, profile, script, nnp=True):
    b.linux["seccomp"] = profile
    b.process["noNewPrivileges"] = nnp
    return b.sh(script).save()


@pytest.mark.parametrize("nnp", [True, False])
def test_errno_action_returns_errno_ret(rt, bundle, nnp):
    profile = seccomp(syscalls=[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO",
                                 "errnoRet": 28}])
    b = with_seccomp(bundle(), profile, "mkdir /tmp/x 2>&1; echo rc=$?; touch /tmp/ok && echo ok",
                     nnp)
    out = rt.run(b).stdout
    assert "No space left on device" in out and "rc=1" in out and "ok" in out
    assert not (b.rootfs / "tmp" / "x").exists()


def test_errno_action_defaults_to_eperm(rt, bundle):
    profile = seccomp(syscalls=[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}])
    b = with_seccomp(bundle(), profile, "mkdir /tmp/x 2>&1; echo rc=$?")
    assert "Operation not permitted" in rt.run(b).stdout


def test_default_errno_ret(rt, bundle):
    allowed = [n for n in all_syscalls() if n not in ("mkdir", "mkdirat")]
    profile = seccomp("SCMP_ACT_ERRNO", [{"names": allowed, "action": "SCMP_ACT_ALLOW"}],
                      defaultErrnoRet=122)
    b = with_seccomp(bundle(), profile, "mkdir /tmp/x 2>&1; echo rc=$?; echo still here")
    out = rt.run(b).stdout
    assert "Disk quota exceeded" in out and "still here" in out


def test_argument_filter(rt, bundle):
    # kill(pid, 0) is denied; kill(pid, SIGCONT) is not.
    profile = seccomp(syscalls=[{"names": ["kill"], "action": "SCMP_ACT_ERRNO",
                                 "args": [{"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]}])
    b = with_seccomp(bundle(), profile,
                     "kill -0 $$ 2>&1; echo rc=$?; kill -CONT $$; echo rc=$?")
    lines = rt.run(b).stdout.splitlines()
    assert "Operation not permitted" in lines[0]
    assert lines[1] == "rc=1" and lines[2] == "rc=0"


def test_masked_argument_filter(rt, bundle):
    # Deny opening for writing: (flags & O_ACCMODE) == O_WRONLY, on open and openat.
    rules = [{"names": ["open"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30,
              "args": [{"index": 1, "value": 3, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]},
             {"names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30,
              "args": [{"index": 2, "value": 3, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]}]
    b = with_seccomp(bundle(), seccomp(syscalls=rules),
                     "head -c 4 /etc/passwd | wc -c; "
                     "(echo x > /tmp/f) 2>&1; echo rc=$?")
    out = rt.run(b).stdout
    assert out.startswith("4\n")
    assert "Read-only file system" in out and "rc=1" in out


@pytest.mark.parametrize("action", ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                                    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"])
def test_killing_actions(rt, bundle, action):
    profile = seccomp(syscalls=[{"names": ["sethostname"], "action": action}])
    b = with_seccomp(bundle(), profile, "hostname x; echo rc=$?")
    assert rt.run(b).stdout.strip() == f"rc={SIGSYS_STATUS}"


def test_log_action_allows(rt, bundle):
    profile = seccomp(syscalls=[{"names": ["uname"], "action": "SCMP_ACT_LOG"}])
    b = with_seccomp(bundle(), profile, "uname")
    assert rt.run(b).stdout.strip() == "Linux"


def test_filter_flags(rt, bundle):
    profile = seccomp(syscalls=[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}],
                      flags=["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"])
    b = with_seccomp(bundle(), profile, "mkdir /tmp/x 2>&1; true")
    assert "Operation not permitted" in rt.run(b).stdout


def test_unknown_flag_names_it(rt, bundle):
    profile = seccomp(flags=["SECCOMP_FILTER_FLAG_BOGUS"])
    b = with_seccomp(bundle(), profile, "true")
    p = rt.run(b, check=False)
    assert p.returncode != 0 and "SECCOMP_FILTER_FLAG_BOGUS" in p.stderr
    assert rt.list_ids() == []


def test_notify_is_a_clear_error(rt, bundle, workdir):
    profile = seccomp(syscalls=[{"names": ["uname"], "action": "SCMP_ACT_NOTIFY"}],
                      listenerPath=str(workdir / "listener.sock"))
    b = with_seccomp(bundle(), profile, "true")
    p = rt.run(b, check=False)
    assert p.returncode != 0 and "notify" in p.stderr and "linux.seccomp" in p.stderr
    assert rt.list_ids() == []


def test_errno_ret_on_an_action_that_takes_none_is_refused(rt, bundle):
    profile = seccomp(syscalls=[{"names": ["uname"], "action": "SCMP_ACT_KILL",
                                 "errnoRet": 1}])
    b = with_seccomp(bundle(), profile, "true")
    p = rt.run(b, check=False)
    assert p.returncode != 0 and "errnoRet" in p.stderr


def test_exec_inherits_the_containers_filter(rt, bundle):
    profile = seccomp(syscalls=[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO",
                                 "errnoRet": 28}])
    b = with_seccomp(bundle(), profile, 'trap "exit 0" TERM; sleep 1000 & wait')
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    p = rt("exec", cid, "mkdir", "/tmp/y", check=False)
    assert p.returncode == 1 and "No space left on device" in p.stderr
    rt("delete", "--force", cid)
