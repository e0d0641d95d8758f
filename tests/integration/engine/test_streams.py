"""Container output and input through the docker CLI: attached runs (pipes and a TTY),
`docker logs` and its filters, `docker attach` with detach keys, `docker start -a -i`."""
import re
import subprocess
import threading

from engine_helpers import PtyProcess, inspect, name, past_events, state, wait_for

TS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z"
# A container that prints `first`, waits for /tmp/go (made by `docker exec`), then prints
# `second`: output that comes while a client is already following it.
GATED = "echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo second"


def go(engine, container):
    engine.docker("exec", container, "touch", "/tmp/go", check=True)


def exited(engine, container):
    return state(engine, container)["Status"] == "exited"


def wait_exited(engine, container, timeout=60):
    wait_for(lambda: exited(engine, container), timeout, f"{container} to exit")


class LineReader:
    """Collects a background process's stdout on a thread, so tests can wait for content."""

    def __init__(self, proc):
        self.proc = proc
        self.text = ""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self):
        for line in self.proc.stdout:
            with self.lock:
                self.text += line

    def has(self, needle):
        with self.lock:
            return needle in self.text

    def finish(self, timeout=60):
        rc = self.proc.wait(timeout=timeout)
        self.thread.join(timeout)
        return rc


# --- docker run, attached -------------------------------------------------------------------

def test_run_attached_separates_streams_and_propagates_the_exit_code(engine):
    p = engine.docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert (p.returncode, p.stdout, p.stderr) == (3, "out\n", "err\n")


def test_run_attached_exit_code_zero_and_large_output(engine):
    p = engine.docker("run", "--rm", "busybox", "sh", "-c", "seq 1 20000")
    assert p.returncode == 0
    assert p.stdout == "".join(f"{i}\n" for i in range(1, 20001))


def test_run_interactive_passes_stdin_and_its_end(engine):
    p = engine.docker("run", "--rm", "-i", "busybox", "sh", "-c", "cat; echo done",
                      input="line one\nline two\n")
    assert (p.returncode, p.stdout) == (0, "line one\nline two\ndone\n")


def test_run_without_interactive_gives_no_stdin(engine):
    p = engine.docker("run", "--rm", "busybox", "sh", "-c", "cat; echo end", input="ignored\n")
    assert (p.returncode, p.stdout) == (0, "end\n")


def test_run_tty_gives_a_terminal_of_the_clients_size(engine):
    term = PtyProcess(engine, "run", "--rm", "-t", "busybox", "sh", "-c",
                      "tty; stty size; exit 5", rows=33, cols=101)
    try:
        assert term.wait() == 5, term.output
        out = term.output.decode(errors="replace")
        assert "/dev/pts/0" in out
        assert "33 101" in out
        # One terminal for both streams: the output has the terminal's CRLF line ends.
        assert "\r\n" in out
    finally:
        term.close()


def test_run_interactive_tty_session(engine):
    term = PtyProcess(engine, "run", "--rm", "-it", "busybox", "sh")
    try:
        term.expect("# ")
        term.send("echo sum=$((40+2))\n")
        term.expect("sum=42")
        term.send("exit 7\n")
        assert term.wait() == 7, term.output
    finally:
        term.close()


# --- docker logs ----------------------------------------------------------------------------

def test_logs_of_a_detached_container_keep_the_streams_apart(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "busybox", "sh", "-c",
                  "echo to-out; echo to-err >&2", check=True)
    wait_exited(engine, c)
    p = engine.docker("logs", c, check=True)
    assert (p.stdout, p.stderr) == ("to-out\n", "to-err\n")


def test_logs_follow_streams_later_output_and_ends_with_the_container(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "busybox", "sh", "-c", GATED, check=True)
    follower = LineReader(engine.docker_popen("logs", "-f", c, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True))
    wait_for(lambda: follower.has("first\n"), 60, "the first line through logs -f")
    assert not follower.has("second")
    go(engine, c)
    wait_for(lambda: follower.has("second\n"), 60, "the later line through logs -f")
    assert follower.finish() == 0
    assert follower.text == "first\nsecond\n"


def test_logs_timestamps_since_and_until(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "busybox", "sh", "-c", GATED, check=True)
    wait_for(lambda: "first" in engine.docker("logs", c).stdout, 60, "the first line")
    go(engine, c)
    wait_exited(engine, c)
    stamped = engine.docker("logs", "-t", c, check=True).stdout.splitlines()
    assert len(stamped) == 2
    for line, text in zip(stamped, ("first", "second")):
        assert re.fullmatch(TS + " " + text, line), line
    t_first, t_second = (line.split()[0] for line in stamped)
    assert t_first < t_second
    assert engine.docker("logs", "--since", t_second, c, check=True).stdout == "second\n"
    assert engine.docker("logs", "--until", t_first, c, check=True).stdout == "first\n"
    both = engine.docker("logs", "--since", t_first, "--until", t_second, c, check=True)
    assert both.stdout == "first\nsecond\n"


def test_logs_tail(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "busybox", "seq", "1", "5", check=True)
    wait_exited(engine, c)
    assert engine.docker("logs", "--tail", "2", c, check=True).stdout == "4\n5\n"
    assert engine.docker("logs", "--tail", "0", c, check=True).stdout == ""
    assert engine.docker("logs", "--tail", "all", c, check=True).stdout == "1\n2\n3\n4\n5\n"


def test_logs_details_show_the_log_attributes(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "-l", "team=blue", "--log-opt", "labels=team",
                  "busybox", "echo", "hi", check=True)
    wait_exited(engine, c)
    assert engine.docker("logs", "--details", c, check=True).stdout == "team=blue hi\n"
    assert engine.docker("logs", c, check=True).stdout == "hi\n"


# --- docker attach / start -a ---------------------------------------------------------------

def test_attach_follows_a_running_container_to_its_exit_code(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "busybox", "sh", "-c", GATED + "; exit 6",
                  check=True)
    attached = LineReader(engine.docker_popen("attach", "--no-stdin", c, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True))
    # Attaching does not replay what was written before: wait until it is connected by
    # watching for the attach event, then release the container.
    wait_for(lambda: past_events(engine, "container=" + c, "event=attach"), 60,
             "the attach event")
    go(engine, c)
    assert attached.finish() == 6
    assert attached.text == "second\n"


def test_attach_with_detach_keys_leaves_the_container_running(engine):
    c = name()
    engine.docker("run", "-dit", "--name", c, "busybox", "sh", check=True)
    term = PtyProcess(engine, "attach", "--detach-keys", "ctrl-x,x", c)
    try:
        term.send("echo attached=$((6*7))\n")
        term.expect("attached=42")
        term.send(b"\x18x")
        # The CLI spots the keys, ends the session and reports it (exit status 1, as with
        # Docker); the container is not affected.
        term.wait()
        assert b"read escape sequence" in term.output
    finally:
        term.close()
    assert state(engine, c)["Running"] is True
    # The shell survived the detach: a second client still reaches it.
    term = PtyProcess(engine, "attach", c)
    try:
        term.send("exit 4\n")
        assert term.wait() == 4, term.output
    finally:
        term.close()
    wait_exited(engine, c)
    assert state(engine, c)["ExitCode"] == 4


def test_default_detach_keys_ctrl_p_ctrl_q(engine):
    c = name()
    engine.docker("run", "-dit", "--name", c, "busybox", "sh", check=True)
    term = PtyProcess(engine, "attach", c)
    try:
        term.send("echo ok$((1+1))\n")
        term.expect("ok2")
        term.send(b"\x10\x11")
        term.wait()
        assert b"read escape sequence" in term.output
    finally:
        term.close()
    assert state(engine, c)["Running"] is True
    engine.docker("rm", "-f", c, check=True)


def test_run_interactive_tty_detach_keeps_the_container_running(engine):
    c = name()
    term = PtyProcess(engine, "run", "-it", "--name", c, "busybox", "sh")
    try:
        term.expect("# ")
        term.send("echo before=$((2+2))\n")
        term.expect("before=4")
        term.send(b"\x10\x11")
        assert term.wait() == 0, term.output
    finally:
        term.close()
    assert state(engine, c)["Running"] is True
    # Detaching closed neither the container's stdin nor its terminal: attach again.
    term = PtyProcess(engine, "attach", c)
    try:
        term.send("echo after=$((3+3))\n")
        term.expect("after=6")
        term.send("exit 0\n")
        assert term.wait() == 0, term.output
    finally:
        term.close()
    wait_exited(engine, c)


def test_start_attach_interactive(engine):
    c = name()
    engine.docker("create", "-i", "--name", c, "busybox", "sh", "-c",
                  "read line; echo got:$line; exit 2", check=True)
    p = engine.docker("start", "-a", "-i", c, input="xyz\n")
    assert (p.returncode, p.stdout) == (2, "got:xyz\n")
    assert inspect(engine, c, "{{.State.ExitCode}}") == "2"


def test_run_interactive_with_more_input_than_the_container_reads(engine):
    # The container closes its stdin at once; the rest of the input has nowhere to go and must
    # neither stall the session nor break the engine's side of the pipe.
    c = name()
    p = engine.docker("run", "-i", "--name", c, "busybox", "sh", "-c",
                      "exec 0<&-; echo closed; sleep 0.2; echo done",
                      input="x" * (4 << 20), timeout=120)
    assert (p.returncode, p.stdout) == (0, "closed\ndone\n")
    assert state(engine, c)["ExitCode"] == 0
    p = engine.docker("run", "--rm", "-i", "busybox", "true", input="y" * (4 << 20), timeout=120)
    assert p.returncode == 0


def test_logs_of_a_tty_container_are_raw(engine):
    c = name()
    engine.docker("run", "-d", "-t", "--name", c, "busybox", "sh", "-c", "echo out; echo err >&2",
                  check=True)
    wait_exited(engine, c)
    p = engine.docker("logs", c, input=b"", check=True)  # bytes: keep the \r
    # One terminal for both: everything arrives on stdout, with the terminal's line ends.
    assert (p.stdout, p.stderr) == (b"out\r\nerr\r\n", b"")


def test_logs_with_the_local_driver(engine):
    c = name()
    engine.docker("run", "-d", "--log-driver", "local", "--name", c, "busybox", "sh", "-c",
                  "echo a; echo b >&2", check=True)
    wait_exited(engine, c)
    p = engine.docker("logs", c, check=True)
    assert (p.stdout, p.stderr) == ("a\n", "b\n")
    assert engine.docker("logs", "--tail", "1", c, check=True).stderr == "b\n"


def test_logs_with_the_none_driver_fail(engine):
    c = name()
    engine.docker("run", "-d", "--log-driver", "none", "--name", c, "busybox", "echo", "a",
                  check=True)
    wait_exited(engine, c)
    p = engine.docker("logs", c)
    assert p.returncode != 0
    assert "does not support reading" in p.stderr


def test_logs_follow_of_an_exited_container_ends(engine):
    c = name()
    engine.docker("run", "-d", "--name", c, "busybox", "echo", "only", check=True)
    wait_exited(engine, c)
    p = engine.docker("logs", "-f", c, timeout=60)
    assert (p.returncode, p.stdout) == (0, "only\n")


def test_run_interactive_input_waits_for_a_slow_reader(engine):
    # The input arrives before the container starts reading (even before it starts): the shim
    # queues it without stalling `start`, and every byte arrives.
    size = 4 << 20
    p = engine.docker("run", "--rm", "-i", "busybox", "sh", "-c", "sleep 1; wc -c",
                      input="q" * size, timeout=120)
    assert (p.returncode, p.stdout.strip()) == (0, str(size))
