"""`berth` where no test daemon is involved: starting berthd on demand (autostart), help text and
the bash completion script."""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import bin_dir  # noqa: E402

BERTH = bin_dir() / "berth"

pytestmark = pytest.mark.skipif(not BERTH.exists(), reason=f"{BERTH} is not built")


def clean_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "BERTH_"))}
    env.update(HOME=str(tmp_path), BERTH_CONFIG=str(tmp_path / "config"), **extra)
    return env


# Runs in fresh mount, network and pid namespaces: the default paths berthd uses (/run/berth,
# /var/lib/berth, its log in /var/log, /etc/berth/daemon.json) are private tmpfs mounts, its
# default bridge and nft table live in a throwaway network namespace, and when the script (pid 1
# there) exits the kernel kills the berthd it left running. Nothing reaches the host.
AUTOSTART_SCRIPT = r"""
set -u
for d in /run/berth /var/lib/berth /var/log /etc/berth; do
  mkdir -p "$d" && mount -t tmpfs tmpfs "$d" || exit 90
done
# Autostart off: nothing answers, and nothing is started.
BERTH_NO_AUTOSTART=1 "$BERTH" version --format '{{.Server.Version}}' >/dev/null 2>/tmp/err
echo "off=$?"
grep -q "Cannot connect to the Berth daemon at unix:///run/berth/berth.sock" /tmp/err && echo off-msg
[ -e /run/berth/berthd.pid ] || echo off-none
# Autostart on: the first command starts berthd and is then answered by it.
if ! "$BERTH" version --format 'server={{.Server.Version}}'; then
  cat /var/log/berthd.log; exit 91
fi
pid=$(cat /run/berth/berthd.pid)
echo "exe=$(basename "$(readlink /proc/$pid/exe)")"
# A second command finds the daemon running and starts no other.
"$BERTH" info --format 'containers={{.Containers}}'
[ "$(pgrep -c -x berthd)" = 1 ] && echo one-daemon
"""


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
@pytest.mark.skipif(not (bin_dir() / "berthd").exists(), reason="berthd is not built")
def test_berth_starts_berthd_when_no_daemon_answers(tmp_path):
    p = subprocess.run(
        ["unshare", "--mount", "--net", "--pid", "--fork", "--mount-proc", "bash", "-c",
         AUTOSTART_SCRIPT],
        env=clean_env(tmp_path, BERTH=str(BERTH)), capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.split()
    assert lines[:3] == ["off=1", "off-msg", "off-none"], p.stdout
    assert lines[3].startswith("server=") and len(lines[3]) > len("server="), p.stdout
    assert lines[4:] == ["exe=berthd", "containers=0", "one-daemon"], p.stdout + p.stderr


def berth(tmp_path, *args):
    return subprocess.run([str(BERTH), *args], env=clean_env(tmp_path, BERTH_NO_AUTOSTART="1"),
                          capture_output=True, text=True, timeout=60)


def test_top_level_help(tmp_path):
    r = berth(tmp_path, "--help")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("Usage:  berth [OPTIONS] COMMAND\n")
    for line in ("  run         Create and run a new container from an image\n",
                 "  container   Manage containers\n",
                 "  -H, --host list          Daemon socket to connect to\n"):
        assert line in r.stdout
    assert r.stdout.endswith("Run 'berth COMMAND --help' for more information on a command.\n")
    # Bare `berth` shows the same text on stderr, as docker does.
    bare = berth(tmp_path)
    assert (bare.returncode, bare.stdout, bare.stderr) == (0, "", r.stdout)


def test_run_help(tmp_path):
    r = berth(tmp_path, "run", "--help")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n")
    assert "      --rm                               Automatically remove the\n" in r.stdout
    assert berth(tmp_path, "help", "run").stdout == r.stdout


# Sources the generated script and completes `line` as bash would at its end. `berth` itself is a
# function there that logs its calls and prints fixed names, so no daemon is needed.
COMPLETE_SCRIPT = r"""
source "$1"
calls="$2"
berth() { echo "$*" >> "$calls"; echo web db; }
read -r -a COMP_WORDS <<< "$3"
[[ "$3" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_berth
printf '%s\n' "${COMPREPLY[@]}"
"""


def complete(tmp_path, script, line):
    calls = tmp_path / "calls"
    calls.write_text("")
    p = subprocess.run(["bash", "-c", COMPLETE_SCRIPT, "complete", str(script), str(calls), line],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return sorted(p.stdout.split()), calls.read_text().splitlines()


def test_bash_completion(tmp_path):
    r = berth(tmp_path, "completion", "bash")
    assert (r.returncode, r.stderr) == (0, "")
    script = tmp_path / "berth.bash"
    script.write_text(r.stdout)
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    assert "complete -o default -F _berth berth" in r.stdout

    assert complete(tmp_path, script, "berth ru") == (["run"], [])
    words, _ = complete(tmp_path, script, "berth container l")
    assert words == ["list", "logs", "ls"]
    words, _ = complete(tmp_path, script, "berth run --r")
    assert {"--rm", "--restart", "--read-only"} <= set(words)
    words, _ = complete(tmp_path, script, "berth network ")
    assert {"create", "ls", "rm", "inspect"} <= set(words)
    # Object names come from berth once, only when that command's arguments are completed.
    words, calls = complete(tmp_path, script, "berth rm w")
    assert (words, calls) == (["web"], ["ps -a --format {{.Names}}"])
    words, calls = complete(tmp_path, script, "berth -H unix:///x.sock exec ")
    assert (words, calls) == (["db", "web"], ["ps -a --format {{.Names}}"])
    assert complete(tmp_path, script, "berth volume rm ")[1] == ["volume ls -q"]


def test_completion_rejects_other_shells(tmp_path):
    r = berth(tmp_path, "completion", "fish")
    assert r.returncode == 1
    assert 'unsupported shell "fish"' in r.stderr
