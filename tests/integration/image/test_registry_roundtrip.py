"""Images through berthd and a real registry: push, pull, run, save/load and login, driven by
the docker CLI and by berth (Docker treats 127.0.0.0/8 registries as insecure: plain http)."""
import json
import os
import subprocess

import pytest


def ok(p):
    assert p.returncode == 0, f"{p.args}: {p.stderr}"
    return p.stdout


def image_ids(engine, ref):
    p = engine.docker("image", "inspect", "--format", "{{.Id}}", ref)
    return p.stdout.strip() if p.returncode == 0 else None


def test_push_pull_and_run_through_the_docker_cli(engine, registry):
    ref = f"{registry.address}/berth/busybox:1"
    ok(engine.docker("tag", "busybox", ref))
    out = ok(engine.docker("push", ref, timeout=120))
    assert "digest: sha256:" in out
    original = image_ids(engine, ref)
    ok(engine.docker("rmi", ref))
    assert image_ids(engine, ref) is None

    out = ok(engine.docker("pull", ref, timeout=120))
    assert "Status: Downloaded newer image for " + ref in out
    assert image_ids(engine, ref) == original
    assert ok(engine.docker("run", "--rm", ref, "echo", "pulled")).strip() == "pulled"
    # A second pull finds it up to date.
    assert "Image is up to date for " + ref in ok(engine.docker("pull", ref, timeout=120))


def test_pull_by_digest_and_digests_listing(engine, registry):
    ref = f"{registry.address}/berth/digest:1"
    ok(engine.docker("tag", "busybox", ref))
    out = ok(engine.docker("push", ref, timeout=120))
    digest = out.split("digest: ")[1].split()[0]
    ok(engine.docker("rmi", ref))
    by_digest = f"{registry.address}/berth/digest@{digest}"
    ok(engine.docker("pull", by_digest, timeout=120))
    listed = ok(engine.docker("images", "--digests", "--format", "{{.Repository}} {{.Digest}}"))
    assert f"{registry.address}/berth/digest {digest}" in listed


def test_berth_cli_pushes_and_pulls(engine, registry):
    ref = f"{registry.address}/berth/via-berth:2"
    ok(engine.berth("tag", "busybox", ref))
    ok(engine.berth("push", ref, timeout=120))
    ok(engine.berth("rmi", ref))
    ok(engine.berth("pull", ref, timeout=120))
    assert ref.split("/", 1)[1].split(":")[0] in ok(engine.berth("images"))


def test_pull_of_a_missing_image_is_a_clear_error(engine, registry):
    p = engine.docker("pull", f"{registry.address}/berth/nothing:here", timeout=60)
    assert p.returncode != 0
    assert "not found" in p.stderr or "manifest unknown" in p.stderr


def test_save_and_load_round_trip(engine, tmp_path):
    ok(engine.docker("tag", "busybox", "berth-saved:1"))
    archive = tmp_path / "saved.tar"
    ok(engine.docker("save", "-o", str(archive), "berth-saved:1", "busybox"))
    names = subprocess.run(["tar", "-tf", str(archive)], capture_output=True, text=True).stdout
    assert "manifest.json" in names
    original = image_ids(engine, "berth-saved:1")
    ok(engine.docker("rmi", "berth-saved:1"))
    out = ok(engine.docker("load", "-i", str(archive)))
    assert "Loaded image: berth-saved:1" in out
    assert image_ids(engine, "berth-saved:1") == original


def test_login_and_logout_against_basic_auth(engine, auth_registry):
    address = auth_registry.address
    ref = f"{address}/private/busybox:1"
    ok(engine.docker("tag", "busybox", ref))
    p = engine.docker("push", ref, timeout=120)
    assert p.returncode != 0
    assert "unauthorized: authentication required" in p.stderr

    p = engine.docker("login", "-u", "berth", "--password-stdin", address, input="wrong\n")
    assert p.returncode != 0
    ok(engine.docker("login", "-u", "berth", "--password-stdin", address, input="s3cret\n"))
    config = json.load(open(os.path.join(engine.home, "docker", "config.json")))
    assert address in config.get("auths", {})
    ok(engine.docker("push", ref, timeout=120))
    ok(engine.docker("rmi", ref))
    ok(engine.docker("pull", ref, timeout=120))

    ok(engine.docker("logout", address))
    config = json.load(open(os.path.join(engine.home, "docker", "config.json")))
    assert address not in config.get("auths", {})
