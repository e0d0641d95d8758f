"""A container's files through the docker CLI: cp (both ways, tar streams, symlink safety),
export, diff and commit."""
import io
import json
import os
import secrets
import tarfile

import pytest

from engine_ops_util import wait_for


def tar_of(entries):
    """A tar (bytes) of {name: bytes | ("symlink", target) | None (a directory)}."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif isinstance(content, tuple):
                info.type, info.linkname = tarfile.SYMTYPE, content[1]
                tar.addfile(info)
            else:
                info.size, info.mode = len(content), 0o644
                tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def names_in(tar_bytes):
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        return {m.name.rstrip("/") for m in tar.getmembers()}


def read_member(tar_bytes, name):
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        return tar.extractfile(name).read()


@pytest.fixture(scope="module")
def box(daemon):
    return daemon.run_bg("sleep", "600", name="filebox")


def test_cp_file_both_directions(daemon, box, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_text("hello from the host\n")
    daemon.dk("cp", src, f"{box}:/tmp/")
    assert daemon.dk("exec", box, "cat", "/tmp/hello.txt") == "hello from the host"
    daemon.dk("cp", f"{box}:/tmp/hello.txt", tmp_path / "back.txt")
    assert (tmp_path / "back.txt").read_text() == "hello from the host\n"
    daemon.dk("cp", src, f"{box}:/tmp/renamed.txt")
    assert daemon.dk("exec", box, "cat", "/tmp/renamed.txt") == "hello from the host"
    p = daemon.docker("cp", f"{box}:/no/such/file", tmp_path / "x")
    assert p.returncode != 0 and "Could not find the file /no/such/file" in p.stderr


def test_cp_directories(daemon, box, tmp_path):
    d = tmp_path / "tree"
    (d / "sub").mkdir(parents=True)
    (d / "a").write_text("A")
    (d / "sub" / "b").write_text("B")
    daemon.dk("cp", d, f"{box}:/tmp/")
    assert daemon.dk("exec", box, "cat", "/tmp/tree/a", "/tmp/tree/sub/b") == "AB"
    daemon.dk("cp", f"{box}:/tmp/tree", tmp_path / "copy")
    assert (tmp_path / "copy" / "sub" / "b").read_text() == "B"
    # dir/. copies the contents, not the directory.
    daemon.dk("exec", box, "mkdir", "-p", "/tmp/flat")
    daemon.dk("cp", f"{d}/.", f"{box}:/tmp/flat")
    assert daemon.dk("exec", box, "ls", "/tmp/flat").split() == ["a", "sub"]


def test_cp_tar_streams(daemon, box):
    out = daemon.docker("cp", f"{box}:/etc/passwd", "-", input=b"").stdout
    assert names_in(out) == {"passwd"}
    assert b"root:" in read_member(out, "passwd")
    stream = tar_of({"streamed": None, "streamed/file": b"via stdin\n"})
    daemon.docker("cp", "-", f"{box}:/tmp", input=stream, check=True)
    assert daemon.dk("exec", box, "cat", "/tmp/streamed/file") == "via stdin"
    out = daemon.docker("cp", f"{box}:/tmp/streamed", "-", input=b"").stdout
    assert {"streamed", "streamed/file"} <= names_in(out)


def test_cp_through_symlinks_stays_in_the_rootfs(daemon, box, tmp_path):
    tag = secrets.token_hex(4)
    daemon.dk("exec", box, "ln", "-s", "/", "/tmp/rootlink")
    daemon.dk("exec", box, "ln", "-s", "/etc", "/tmp/etclink")
    src = tmp_path / f"bt-escape-{tag}"
    src.write_text("must stay inside\n")
    # A destination through a symlink to "/" is the container's root, never the host's.
    daemon.dk("cp", src, f"{box}:/tmp/rootlink/")
    assert not os.path.exists(f"/bt-escape-{tag}")
    assert daemon.dk("exec", box, "cat", f"/bt-escape-{tag}") == "must stay inside"
    daemon.dk("cp", src, f"{box}:/tmp/etclink/")
    assert not os.path.exists(f"/etc/bt-escape-{tag}")
    assert daemon.dk("exec", box, "cat", f"/etc/bt-escape-{tag}") == "must stay inside"
    # A tar that plants a symlink to "/" and then writes through it.
    evil = tar_of({f"pivot{tag}": ("symlink", "/"), f"pivot{tag}/bt-evil-{tag}": b"x"})
    daemon.docker("cp", "-", f"{box}:/tmp", input=evil)
    assert not os.path.exists(f"/bt-evil-{tag}")
    # Reading through a symlink to "/" gives the container's files.
    out = daemon.docker("cp", f"{box}:/tmp/rootlink/etc/passwd", "-", input=b"").stdout
    assert read_member(out, "passwd").startswith(b"root:x:0:0:")
    # ".." in the path stops at the container's root, as in Docker.
    out = daemon.docker("cp", f"{box}:/../../../../etc/hostname", "-", input=b"").stdout
    assert read_member(out, "hostname").strip() == box[:12].encode()


def test_cp_tar_with_dotdot_is_refused(daemon, box):
    tag = secrets.token_hex(4)
    evil = tar_of({f"../../../../../tmp/bt-dotdot-{tag}": b"x"})
    p = daemon.docker("cp", "-", f"{box}:/tmp", input=evil)
    assert p.returncode != 0
    assert not os.path.exists(f"/tmp/bt-dotdot-{tag}")


def test_cp_into_stopped_container(daemon, tmp_path):
    cid = daemon.dk("create", "busybox", "cat", "/tmp/seed")
    (tmp_path / "seed").write_text("seeded\n")
    daemon.dk("cp", tmp_path / "seed", f"{cid}:/tmp/seed")
    daemon.dk("start", cid)
    assert daemon.dk("wait", cid) == "0"
    assert daemon.dk("logs", cid) == "seeded"
    daemon.dk("cp", f"{cid}:/tmp/seed", tmp_path / "out")
    assert (tmp_path / "out").read_text() == "seeded\n"
    # The stopped container's snapshot is as confined as a running rootfs.
    tag = secrets.token_hex(4)
    daemon.docker("cp", "-", f"{cid}:/", input=tar_of({"up": ("symlink", "/")}), check=True)
    daemon.dk("cp", tmp_path / "seed", f"{cid}:/up/bt-stopped-{tag}")
    assert not os.path.exists(f"/bt-stopped-{tag}")
    out = daemon.docker("cp", f"{cid}:/bt-stopped-{tag}", "-", input=b"").stdout
    assert read_member(out, f"bt-stopped-{tag}") == b"seeded\n"


def test_export_contains_busybox(daemon, box):
    p = daemon.docker("export", box, input=b"")
    assert p.returncode == 0, p.stderr
    names = names_in(p.stdout)
    assert "bin/busybox" in names or "./bin/busybox" in names


def test_diff(daemon):
    cid = daemon.run_bg()
    daemon.dk("exec", cid, "sh", "-c", "touch /added /etc/added && echo x >> /etc/group && "
              "mkdir -p /tmp/newdir && rm -r /home")
    lines = daemon.dk("diff", cid).splitlines()
    for want in ("A /added", "C /etc", "A /etc/added", "C /etc/group", "D /home", "C /tmp",
                 "A /tmp/newdir"):
        assert want in lines, (want, lines)
    assert lines == sorted(lines, key=lambda line: line[2:])
    fresh = daemon.dk("create", "busybox")
    assert daemon.dk("diff", fresh) == ""


def test_commit_and_run_the_new_image(daemon):
    cid = daemon.dk("run", "-d", "busybox", "sh", "-c", "echo committed > /greeting; sleep 600")
    wait_for(lambda: daemon.docker("exec", cid, "cat", "/greeting").stdout == "committed\n",
             what="the container to write /greeting")
    image_id = daemon.dk("commit", "-c", 'CMD ["cat", "/greeting"]', "-c", "ENV COLOR=blue",
                         "-m", "a message", "-a", "tester", cid, "committed:v1")
    assert image_id.startswith("sha256:")
    assert daemon.dk("run", "--rm", "committed:v1") == "committed"
    assert daemon.dk("run", "--rm", "committed:v1", "sh", "-c", "echo $COLOR") == "blue"
    meta = json.loads(daemon.dk("image", "inspect", "committed:v1"))[0]
    assert meta["Comment"] == "a message" and meta["Author"] == "tester"
    assert meta["Config"]["Cmd"] == ["cat", "/greeting"]
    assert len(meta["RootFS"]["Layers"]) == 2
    # The committed container is unpaused and still running.
    assert daemon.dk("inspect", "-f", "{{.State.Status}}", cid) == "running"
    p = daemon.docker("commit", "nosuch", "x:y")
    assert p.returncode != 0 and "No such container" in p.stderr
