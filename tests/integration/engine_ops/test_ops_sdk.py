"""The Docker SDK for Python (python3-docker) against berthd."""
import pytest

from engine_ops_util import wait_for

docker = pytest.importorskip("docker")


@pytest.fixture(scope="module")
def client(daemon):
    c = docker.DockerClient(base_url="unix://" + daemon.socket, version="auto", timeout=60)
    yield c
    c.close()


def test_ping_and_version(client):
    assert client.ping() is True
    v = client.version()
    assert v["ApiVersion"] and v["Os"] == "linux"


def test_run_logs_exec_stop_remove(client):
    c = client.containers.run("busybox", ["sh", "-c", "echo started; exec sleep 600"],
                              detach=True, name="sdk-one", labels={"via": "sdk"})
    try:
        c.reload()
        assert c.status == "running" and c.name == "sdk-one" and c.labels == {"via": "sdk"}
        wait_for(lambda: c.logs() == b"started\n", what="the container's first log line")
        code, out = c.exec_run(["sh", "-c", "echo out; echo err >&2; exit 5"])
        assert code == 5 and b"out" in out and b"err" in out
        code, (out, err) = c.exec_run(["sh", "-c", "echo o; echo e >&2"], demux=True)
        assert code == 0 and out == b"o\n" and err == b"e\n"
        assert c.logs() == b"started\n"
        assert client.containers.get("sdk-one").id == c.id
        assert [x.id for x in client.containers.list(filters={"label": "via=sdk"})] == [c.id]
        c.stop(timeout=1)
        c.reload()
        assert c.status == "exited"
    finally:
        c.remove(force=True)
    with pytest.raises(docker.errors.NotFound):
        client.containers.get("sdk-one")


def test_run_foreground_returns_output(client):
    out = client.containers.run("busybox", ["echo", "hello sdk"], remove=True)
    assert out == b"hello sdk\n"
    with pytest.raises(docker.errors.ContainerError) as e:
        client.containers.run("busybox", ["sh", "-c", "exit 7"], remove=True)
    assert e.value.exit_status == 7


def test_images_list(client):
    tags = [t for image in client.images.list() for t in image.tags]
    assert "busybox:latest" in tags
    image = client.images.get("busybox")
    assert image.id.startswith("sha256:")


def test_low_level_inspect(daemon):
    api = docker.APIClient(base_url="unix://" + daemon.socket, version="auto")
    cid = api.create_container("busybox", command=["sleep", "600"])["Id"]
    api.start(cid)
    info = api.inspect_container(cid)
    assert info["Id"] == cid and info["State"]["Running"] is True
    assert info["Config"]["Cmd"] == ["sleep", "600"]
    with pytest.raises(docker.errors.NotFound) as e:
        api.inspect_container("x")
    assert "No such container: x" in str(e.value)
    api.remove_container(cid, force=True)
    api.close()


def test_old_api_version(daemon):
    c = docker.DockerClient(base_url="unix://" + daemon.socket, version="1.24")
    assert c.api.base_url and c.api._version == "1.24"
    assert c.version()["ApiVersion"]
    out = c.containers.run("busybox", ["echo", "v1.24"], remove=True)
    assert out == b"v1.24\n"
    assert any("busybox:latest" in i.tags for i in c.images.list())
    c.close()
