"""Idmapped bind mounts: mounts[].uidMappings/gidMappings and the "idmap"/"ridmap" options."""

import os

USERNS_MAPS = {"uidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}],
               "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}]}


def host_share(workdir):
    share = workdir / "share"
    share.mkdir()
    (share / "root-file").write_text("r\n")
    (share / "user-file").write_text("u\n")
    os.chown(share / "user-file", 1000, 1000)
    return share


def test_mount_mappings_shift_ownership(rt, bundle, workdir):
    share = host_share(workdir)
    b = bundle().sh("stat -c '%u:%g' /mnt/root-file /mnt/user-file; "
                    "grep ' /mnt ' /proc/self/mountinfo")
    b.config["mounts"].append({
        "destination": "/mnt", "type": "bind", "source": str(share),
        "options": ["bind", "ro"],
        "uidMappings": [{"containerID": 0, "hostID": 5000, "size": 2000}],
        "gidMappings": [{"containerID": 0, "hostID": 7000, "size": 2000}]})
    b.save()
    lines = rt.run(b).stdout.splitlines()
    assert lines[0] == "5000:7000"
    assert lines[1] == "6000:8000"
    assert "idmapped" in lines[2] and " ro," in lines[2]
    # The files on disk are untouched.
    assert os.stat(share / "root-file").st_uid == 0
    assert os.stat(share / "user-file").st_uid == 1000


def test_idmap_option_uses_the_containers_user_namespace(rt, bundle, workdir):
    share = host_share(workdir)
    b = bundle().sh("stat -c %u /plain/root-file /mapped/root-file /mapped/user-file")
    for d in ("plain", "mapped"):  # the container's root cannot create them in a host-owned /
        (b.rootfs / d).mkdir()
    b.set_namespace("user")
    b.linux.update(USERNS_MAPS)
    b.config["mounts"] += [
        {"destination": "/plain", "type": "bind", "source": str(share), "options": ["bind"]},
        {"destination": "/mapped", "type": "bind", "source": str(share),
         "options": ["rbind", "idmap"]},
    ]
    b.save()
    # Without idmap, host root is nobody in the container; with it, the container's own root.
    assert rt.run(b).stdout.split() == ["65534", "0", "1000"]


def test_idmapped_non_bind_mount_is_refused(rt, bundle):
    b = bundle().sh("true")
    b.config["mounts"].append({
        "destination": "/mnt", "type": "tmpfs", "source": "tmpfs",
        "uidMappings": [{"containerID": 0, "hostID": 5000, "size": 1}],
        "gidMappings": [{"containerID": 0, "hostID": 5000, "size": 1}]})
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "mounts[7]" in p.stderr and "bind" in p.stderr
    assert rt.list_ids() == []


def test_idmap_without_any_mapping_is_refused(rt, bundle, workdir):
    b = bundle().sh("true")
    b.config["mounts"].append({"destination": "/mnt", "type": "bind", "source": str(workdir),
                               "options": ["bind", "idmap"]})
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "mounts[7]" in p.stderr
    assert rt.list_ids() == []
