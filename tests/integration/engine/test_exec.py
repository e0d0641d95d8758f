"""`docker exec` against a running container: streams, TTY, detached, user, workdir, env,
--privileged, and the exit codes (the command's, 126 and 127 when it cannot be run)."""
import pytest

from engine_helpers import PtyProcess, name, past_events, wait_for


@pytest.fixture(scope="module")
def box(engine):
    """A running container the tests exec into."""
    c = name("x")
    engine.docker("run", "-d", "--name", c, "busybox", "sleep", "100000", check=True)
    yield c
    engine.docker("rm", "-f", c)


def test_exec_output_and_exit_code(engine, box):
    p = engine.docker("exec", box, "sh", "-c", "echo out; echo err >&2; exit 4")
    assert (p.returncode, p.stdout, p.stderr) == (4, "out\n", "err\n")
    assert engine.docker("exec", box, "true").returncode == 0


def test_exec_interactive_stdin(engine, box):
    p = engine.docker("exec", "-i", box, "sh", "-c", "cat; echo eof", input="a\nb\n")
    assert (p.returncode, p.stdout) == (0, "a\nb\neof\n")


def test_exec_without_interactive_has_no_stdin(engine, box):
    p = engine.docker("exec", box, "sh", "-c", "cat; echo eof", input="ignored\n")
    assert (p.returncode, p.stdout) == (0, "eof\n")


def test_exec_tty(engine, box):
    term = PtyProcess(engine, "exec", "-it", box, "sh", "-c", "tty; stty size; exit 3",
                      rows=40, cols=120)
    try:
        assert term.wait() == 3, term.output
        out = term.output.decode(errors="replace")
        assert "/dev/pts/" in out
        assert "40 120" in out
    finally:
        term.close()


def test_exec_tty_interactive_session(engine, box):
    term = PtyProcess(engine, "exec", "-it", box, "sh")
    try:
        term.expect("# ")
        term.send("echo v=$((3*3))\n")
        term.expect("v=9")
        term.send("exit 0\n")
        assert term.wait() == 0, term.output
    finally:
        term.close()


def test_exec_detached_runs_in_the_background(engine, box):
    p = engine.docker("exec", "-d", box, "sh", "-c", "echo made > /tmp/detached")
    assert (p.returncode, p.stdout) == (0, "")
    wait_for(lambda: engine.docker("exec", box, "cat", "/tmp/detached").stdout == "made\n",
             60, "the detached exec's file")


@pytest.mark.parametrize("user, expected", [
    ("1000", "1000:0"),
    ("1000:2000", "1000:2000"),
    ("nobody", "65534:65534"),
    ("daemon", "1:1"),
])
def test_exec_user(engine, box, user, expected):
    p = engine.docker("exec", "-u", user, box, "sh", "-c", 'echo "$(id -u):$(id -g)"')
    assert (p.returncode, p.stdout.strip()) == (0, expected)


def test_exec_unknown_user_fails(engine, box):
    p = engine.docker("exec", "-u", "nosuchuser", box, "true")
    assert p.returncode != 0
    assert "nosuchuser" in p.stderr


def test_exec_workdir_and_env(engine, box):
    p = engine.docker("exec", "-w", "/tmp", "-e", "FOO=bar", "-e", "EMPTY=", box,
                      "sh", "-c", 'echo "$(pwd) $FOO [$EMPTY] $HOSTNAME"')
    assert p.returncode == 0
    cwd, foo, empty, host = p.stdout.split()
    assert (cwd, foo, empty) == ("/tmp", "bar", "[]")
    assert host  # the container's environment is inherited


def cap_eff(engine, box, *flags):
    p = engine.docker("exec", *flags, box, "sh", "-c", "grep CapEff /proc/self/status")
    assert p.returncode == 0, p.stderr
    return int(p.stdout.split()[1], 16)


def test_exec_privileged_gets_every_capability(engine, box):
    plain = cap_eff(engine, box)
    privileged = cap_eff(engine, box, "--privileged")
    assert plain & ~privileged == 0
    assert privileged != plain
    # Every capability the engine has itself (this test runs with the same bounding set).
    bounding = next(int(line.split()[1], 16) for line in open("/proc/self/status")
                    if line.startswith("CapBnd:"))
    assert privileged == bounding


def test_run_privileged_gets_every_capability_the_engine_holds(engine):
    # This host's bounding set lacks CAP_SYS_MODULE: asking for it would make capset fail.
    p = engine.docker("run", "--rm", "--privileged", "busybox", "grep", "CapEff", "/proc/self/status")
    assert p.returncode == 0, p.stderr
    bounding = next(int(line.split()[1], 16) for line in open("/proc/self/status")
                    if line.startswith("CapBnd:"))
    assert int(p.stdout.split()[1], 16) == bounding


def test_exec_non_executable_is_126(engine, box):
    p = engine.docker("exec", box, "/etc/passwd")
    assert p.returncode == 126, p.stderr
    p = engine.docker("exec", box, "/etc")
    assert p.returncode == 126, p.stderr


def test_exec_missing_command_is_127(engine, box):
    p = engine.docker("exec", box, "no-such-command")
    assert p.returncode == 127, p.stderr
    p = engine.docker("exec", box, "/no/such/path")
    assert p.returncode == 127, p.stderr


def test_exec_die_event_carries_the_exit_code(engine, box):
    exec_id = None
    p = engine.docker("exec", box, "sh", "-c", "exit 9")
    assert p.returncode == 9
    # The exec IDs are not printed by the CLI; the container's exec_die event has it.
    events = past_events(engine, "container=" + box, "event=exec_die",
                         fmt="{{.Actor.Attributes.execID}} {{.Actor.Attributes.exitCode}}")
    for line in events:
        i, code = line.split()
        if code == "9":
            exec_id = i
    assert exec_id, events
    assert len(exec_id) == 64


def test_exec_in_a_stopped_container_fails(engine):
    c = name("x")
    engine.docker("create", "--name", c, "busybox", "true", check=True)
    p = engine.docker("exec", c, "true")
    assert p.returncode != 0
    assert "is not running" in p.stderr


def test_exec_interactive_with_more_input_than_the_process_reads(engine, box):
    p = engine.docker("exec", "-i", box, "sh", "-c", "echo quick", input="z" * (4 << 20),
                      timeout=120)
    assert (p.returncode, p.stdout, p.stderr) == (0, "quick\n", "")
