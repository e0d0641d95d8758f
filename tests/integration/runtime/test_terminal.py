"""process.terminal: /dev/console and a pty, through the console-socket protocol
(runc/docs/terminals.md), or relayed by berth-runtime itself in the foreground."""

import os
import pty
import select
import socket
import subprocess
import time

import pytest

LONG_RUNNING = 'trap "exit 0" TERM; sleep 1000 & wait'


class ConsoleSocket:
    """A unix socket that receives the pty master as runc's --console-socket does."""

    def __init__(self, path):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(1)
        self.sock.settimeout(60)

    def receive(self):
        conn, _ = self.sock.accept()
        with conn:
            msg, fds, _, _ = socket.recv_fds(conn, 4096, 1)
        assert len(fds) == 1
        return msg.decode(), fds[0]

    def close(self):
        self.sock.close()


def read_until(fd, needle, timeout=30):
    """Reads a pty master until `needle` shows up (or EOF / EIO when the slave closes)."""
    data = b""
    deadline = time.monotonic() + timeout
    while needle.encode() not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"timed out waiting for {needle!r}; got {data!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: every slave fd is closed
            break
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def terminal_bundle(bundle, script):
    b = bundle().sh(script)
    b.process["terminal"] = True
    b.process["consoleSize"] = {"height": 33, "width": 101}
    return b.save()


USERNS = {"uidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}],
          "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}]}


@pytest.mark.parametrize("userns", [False, True])
def test_create_with_console_socket(rt, bundle, workdir, userns):
    b = terminal_bundle(bundle, "tty; stat -c %t:%T /dev/console; stty size; echo done")
    if userns:
        b.set_namespace("user")
        b.linux.update(USERNS)
        b.save()
    console = ConsoleSocket(workdir / "console.sock")
    cid = rt.new_id()
    rt("create", "--bundle", b.path, "--console-socket", console.path, cid)
    name, master = console.receive()
    console.close()
    assert name.startswith("/dev/pts/")
    rt("start", cid)
    out = read_until(master, "done")
    os.close(master)
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == "/dev/pts/0"
    assert lines[1] == "88:0"  # /dev/console is the pty (major 136 = 0x88)
    assert lines[2] == "33 101"
    rt.wait_status(cid, "stopped")
    rt("delete", cid)


def test_terminal_without_console_socket_in_detached_create_is_refused(rt, bundle):
    b = terminal_bundle(bundle, "true")
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "console-socket" in p.stderr
    assert rt.list_ids() == []


def test_console_socket_without_terminal_is_refused(rt, bundle, workdir):
    b = bundle().sh("true").save()
    console = ConsoleSocket(workdir / "c.sock")
    p = rt.create(b, None, "--console-socket", console.path, check=False)
    console.close()
    assert p.returncode != 0 and "terminal" in p.stderr


def run_on_pty(rt, argv_tail, script_input, expect):
    """Runs berth-runtime with a pty as its stdio (an interactive user) and returns the output."""
    master, slave = pty.openpty()
    proc = rt.popen(*argv_tail, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    try:
        out = read_until(master, "ready")
        if script_input:
            os.write(master, script_input.encode())
        out += read_until(master, expect)
        assert proc.wait(timeout=30) == 0, out
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return out


def test_run_relays_the_pty_in_the_foreground(rt, bundle):
    b = terminal_bundle(bundle, "tty; echo ready; read line; echo got:$line")
    cid = rt.new_id()
    out = run_on_pty(rt, ["run", "--bundle", b.path, cid], "hello\n", "got:hello")
    assert "/dev/pts/0" in out
    assert "got:hello" in out


def test_exec_tty_relays_the_pty(rt, bundle):
    b = bundle().sh(LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    out = run_on_pty(rt, ["exec", "-t", cid, "sh", "-c", "tty; echo ready; read x; echo got:$x"],
                     "typed\n", "got:typed")
    assert "/dev/pts/" in out and "got:typed" in out
    rt("delete", "--force", cid)


def test_exec_tty_with_console_socket_detached(rt, bundle, workdir):
    b = bundle().sh(LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    console = ConsoleSocket(workdir / "exec.sock")
    pid_file = workdir / "exec.pid"
    proc = rt.popen("exec", "-t", "-d", "--console-socket", console.path, "--pid-file",
                    pid_file, cid, "sh", "-c", "tty; echo finished",
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name, master = console.receive()
    console.close()
    assert proc.wait(timeout=30) == 0
    assert name.startswith("/dev/pts/")
    out = read_until(master, "finished")
    os.close(master)
    assert out.splitlines()[0].strip() == name
    assert int(pid_file.read_text()) > 0
    rt("delete", "--force", cid)


def test_exec_tty_detached_without_console_socket_is_refused(rt, bundle):
    b = bundle().sh(LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    p = rt("exec", "-t", "-d", cid, "true", check=False)
    assert p.returncode != 0 and "console" in p.stderr
    rt("delete", "--force", cid)
