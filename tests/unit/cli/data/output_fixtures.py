"""Canned daemon answers for record_output_goldens.py: what a daemon could say about a few
containers, images, networks and volumes. Times are fixed; the recorder stores the moment of
recording so tests can render "N minutes ago" against the same clock."""

ID1 = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00998877665544332211"
ID2 = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
ID3 = "0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff"
IMG1 = "sha256:9d5226e6ce3fb6aee2822206a5ef85f38c303d2b37bfc894b419fca2c0501269"
IMG2 = "sha256:beae173ccac6ad749f76713cf4440fe3d21d1043fe616dfbe30775815d1d0f6a"
IMG3 = "sha256:52de3cba0ef0a8a6ac5f8d8a6c1a54a3e0d2c9a4d8d3b0d1f1a2b3c4d5e6f708"


def containers(now):
    return [
        {"Id": ID1, "Names": ["/web"], "Image": "nginx:latest", "ImageID": IMG2,
         "Command": "/docker-entrypoint.sh nginx -g 'daemon off;'", "Created": now - 75,
         "Ports": [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
                   {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
                   {"PrivatePort": 443, "Type": "tcp"}],
         "Labels": {"com.example.team": "web", "maintainer": "NGINX"},
         "State": "running", "Status": "Up About a minute", "SizeRw": 1093, "SizeRootFs": 187654321,
         "HostConfig": {"NetworkMode": "bridge"},
         "NetworkSettings": {"Networks": {"bridge": {"NetworkID": "n1"}}},
         "Mounts": [{"Type": "volume", "Name": "webdata0123456789", "Source": "/var/lib/berth/volumes/webdata/_data",
                     "Destination": "/data", "Driver": "local", "Mode": "z", "RW": True}]},
        {"Id": ID2, "Names": ["/db", "/web/db"], "Image": "postgres:16", "ImageID": IMG3,
         "Command": "docker-entrypoint.sh postgres", "Created": now - 3 * 3600,
         "Ports": [{"PrivatePort": 5432, "Type": "tcp"}, {"PrivatePort": 5433, "Type": "tcp"},
                   {"IP": "127.0.0.1", "PrivatePort": 9000, "PublicPort": 9000, "Type": "udp"},
                   {"IP": "127.0.0.1", "PrivatePort": 9001, "PublicPort": 9001, "Type": "udp"}],
         "Labels": {}, "State": "exited", "Status": "Exited (0) 2 hours ago", "SizeRw": 0,
         "HostConfig": {"NetworkMode": "default"}, "NetworkSettings": {"Networks": {}},
         "Mounts": []},
        {"Id": ID3, "Names": ["/tiny"], "Image": IMG1, "ImageID": IMG1,
         "Command": "sleep 1000", "Created": now - 10 * 86400,
         "Ports": [], "Labels": None, "State": "running", "Status": "Up 10 days",
         "HostConfig": {"NetworkMode": "host"}, "NetworkSettings": {"Networks": {"host": {}}},
         "Mounts": []},
    ]


def images(now):
    return [
        {"Id": IMG1, "ParentId": "", "RepoTags": ["busybox:latest", "busybox:1.36", "localhost:5000/tools/busybox:v1"],
         "RepoDigests": ["busybox@sha256:5eef5ed34e1e1ff0a4ae850395cbf665c4de6b4b83a32a0bc7bcb998e24e7bbb"],
         "Created": now - 40 * 86400, "Size": 4261550, "SharedSize": -1, "VirtualSize": 4261550,
         "Labels": None, "Containers": -1},
        {"Id": IMG2, "ParentId": "", "RepoTags": ["nginx:latest"], "RepoDigests": [],
         "Created": now - 3 * 3600, "Size": 187654321, "SharedSize": -1, "Labels": {"maintainer": "NGINX"},
         "Containers": -1},
        {"Id": IMG3, "ParentId": "", "RepoTags": [], "RepoDigests": [],
         "Created": now - 400 * 86400, "Size": 1234567890, "SharedSize": -1, "Labels": {},
         "Containers": -1},
    ]


def networks():
    return [
        {"Name": "bridge", "Id": "7d1f2e3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff",
         "Created": "2026-11-28T07:00:00.123456789Z", "Scope": "local", "Driver": "bridge",
         "EnableIPv4": True, "EnableIPv6": False, "Internal": False, "Labels": {}},
        {"Name": "net10", "Id": "1111111111111111111111111111111111111111111111111111111111111111",
         "Created": "2026-11-28T07:05:00Z", "Scope": "local", "Driver": "bridge",
         "EnableIPv4": True, "EnableIPv6": True, "Internal": True, "Labels": {"env": "test"}},
        {"Name": "net9", "Id": "2222222222222222222222222222222222222222222222222222222222222222",
         "Created": "2026-11-28T07:06:00Z", "Scope": "local", "Driver": "bridge",
         "EnableIPv4": True, "EnableIPv6": False, "Internal": False, "Labels": None},
        {"Name": "host", "Id": "3333333333333333333333333333333333333333333333333333333333333333",
         "Created": "2026-11-28T07:00:00Z", "Scope": "local", "Driver": "host",
         "EnableIPv4": True, "EnableIPv6": False, "Internal": False, "Labels": {}},
    ]


def volumes():
    return {"Volumes": [
        {"Name": "webdata", "Driver": "local", "Mountpoint": "/var/lib/berth/volumes/webdata/_data",
         "Labels": {"app": "web"}, "Scope": "local", "CreatedAt": "2026-11-28T07:00:00Z"},
        {"Name": "cache2", "Driver": "local", "Mountpoint": "/var/lib/berth/volumes/cache2/_data",
         "Labels": None, "Scope": "local", "CreatedAt": "2026-11-28T07:00:00Z"},
        {"Name": "cache10", "Driver": "local", "Mountpoint": "/var/lib/berth/volumes/cache10/_data",
         "Labels": None, "Scope": "local", "CreatedAt": "2026-11-28T07:00:00Z"},
    ], "Warnings": None}


def inspect_container():
    return {"Id": ID1, "Created": "2026-11-28T07:58:00.5Z", "Path": "/docker-entrypoint.sh",
            "Args": ["nginx", "-g", "daemon off;"],
            "State": {"Status": "running", "Running": True, "Paused": False, "Restarting": False,
                      "OOMKilled": False, "Dead": False, "Pid": 4242, "ExitCode": 0, "Error": "",
                      "StartedAt": "2026-11-28T07:58:01Z", "FinishedAt": "0001-01-01T00:00:00Z"},
            "Image": IMG2, "Name": "/web", "RestartCount": 0,
            "Config": {"Hostname": "3f4e5d6c7b8a", "Tty": False, "OpenStdin": False,
                       "Env": ["PATH=/usr/bin", "NGINX_VERSION=1.25.3"], "Cmd": ["nginx", "-g", "daemon off;"],
                       "Image": "nginx:latest", "Labels": {"maintainer": "NGINX", "com.example.team": "web"},
                       "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}},
            "HostConfig": {"AutoRemove": False, "Memory": 67108864, "PortBindings": {}},
            "NetworkSettings": {"Ports": {
                "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}],
                "443/tcp": None,
                "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "5353"}],
                "9000/tcp": [{"HostIp": "", "HostPort": "32768"}]},
                "Networks": {"bridge": {"IPAddress": "172.17.0.2", "Gateway": "172.17.0.1"}}},
            "Mounts": []}


def top():
    return {"Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"],
            "Processes": [["root", "4242", "4200", "0", "07:58", "?", "00:00:00", "nginx: master process nginx -g daemon off;"],
                          ["101", "4300", "4242", "0", "07:58", "?", "00:00:00", "nginx: worker process"]]}


def history(now):
    return [
        {"Id": IMG2, "Created": now - 3 * 3600, "CreatedBy": "/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daemon off;\"]",
         "Tags": ["nginx:latest"], "Size": 0, "Comment": ""},
        {"Id": "<missing>", "Created": now - 3 * 3600 - 60, "CreatedBy": "/bin/sh -c\tapt-get update && apt-get install -y nginx",
         "Tags": None, "Size": 61234567, "Comment": "buildkit.dockerfile.v0"},
        {"Id": "<missing>", "Created": 900000000, "CreatedBy": "", "Tags": None, "Size": 74800000, "Comment": ""},
    ]


def changes():
    return [{"Kind": 0, "Path": "/etc"}, {"Kind": 1, "Path": "/etc/new.conf"}, {"Kind": 2, "Path": "/tmp/gone"}]


def disk_usage(now):
    imgs = images(now)
    for i in imgs:
        i["SharedSize"] = 0
        i["Containers"] = 0
    imgs[1]["Containers"] = 1
    cs = containers(now)
    return {"LayersSize": 1426476761, "Images": imgs, "Containers": cs,
            "Volumes": [dict(v, UsageData={"Size": 1048576 * (i + 1), "RefCount": i % 2})
                        for i, v in enumerate(volumes()["Volumes"])],
            "BuildCache": [], "BuilderSize": 0}


def info():
    return {"ID": "BERT:H000:0000", "Containers": 3, "ContainersRunning": 2, "ContainersPaused": 0,
            "ContainersStopped": 1, "Images": 3, "Driver": "overlay2",
            "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"]],
            "Plugins": {"Volume": ["local"], "Network": ["bridge", "host", "null"], "Authorization": None,
                        "Log": ["json-file", "local", "none"]},
            "MemoryLimit": True, "SwapLimit": True, "CpuCfsPeriod": True, "CpuCfsQuota": True,
            "Debug": False, "NFd": 30, "OomKillDisable": False, "NGoroutines": 40,
            "SystemTime": "2026-11-28T08:00:00Z", "LoggingDriver": "json-file", "CgroupDriver": "cgroupfs",
            "CgroupVersion": "2", "NEventsListener": 0, "KernelVersion": "6.1.0-test",
            "OperatingSystem": "Debian GNU/Linux 12 (bookworm)", "OSVersion": "12", "OSType": "linux",
            "Architecture": "x86_64", "IndexServerAddress": "https://index.docker.io/v1/",
            "RegistryConfig": {"InsecureRegistryCIDRs": ["127.0.0.0/8"], "IndexConfigs": {
                "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": True, "Official": True}},
                "Mirrors": []},
            "NCPU": 2, "MemTotal": 24928698368, "DockerRootDir": "/var/lib/berth", "HttpProxy": "",
            "HttpsProxy": "", "NoProxy": "", "Name": "testhost", "Labels": [], "ExperimentalBuild": False,
            "ServerVersion": "0.1.0", "Runtimes": {"berth-runtime": {"path": "berth-runtime"}},
            "DefaultRuntime": "berth-runtime", "Swarm": {"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive",
                                                          "ControlAvailable": False, "Error": "", "RemoteManagers": None},
            "LiveRestoreEnabled": True, "Isolation": "", "InitBinary": "berth-init",
            "ContainerdCommit": {"ID": ""}, "RuncCommit": {"ID": ""}, "InitCommit": {"ID": ""},
            "SecurityOptions": ["name=seccomp,profile=builtin", "name=cgroupns"],
            "Warnings": None}


def version():
    return {"Platform": {"Name": "Berth"},
            "Components": [{"Name": "Engine", "Version": "0.1.0",
                            "Details": {"ApiVersion": "1.47", "Arch": "amd64", "BuildTime": "2026-11-01T10:00:00.000000000+00:00",
                                        "Experimental": "false", "GitCommit": "abc1234", "GoVersion": "n/a",
                                        "KernelVersion": "6.1.0", "MinAPIVersion": "1.24", "Os": "linux"}},
                           {"Name": "berth-runtime", "Version": "0.1.0", "Details": {"GitCommit": "abc1234"}}],
            "Version": "0.1.0", "ApiVersion": "1.47", "MinAPIVersion": "1.24", "GitCommit": "abc1234",
            "GoVersion": "n/a", "Os": "linux", "Arch": "amd64", "KernelVersion": "6.1.0",
            "BuildTime": "2026-11-01T10:00:00.000000000+00:00"}


def events():
    return [
        {"status": "create", "id": ID1, "from": "nginx:latest", "Type": "container", "Action": "create",
         "Actor": {"ID": ID1, "Attributes": {"image": "nginx:latest", "name": "web", "maintainer": "NGINX"}},
         "scope": "local", "time": 1795852800, "timeNano": 1795852800123456789},
        {"Type": "network", "Action": "connect",
         "Actor": {"ID": "7d1f2e3c4b5a", "Attributes": {"container": ID1, "name": "bridge", "type": "bridge"}},
         "scope": "local", "time": 1795852801, "timeNano": 1795852801000000000},
        {"Type": "image", "Action": "pull", "Actor": {"ID": "busybox:latest", "Attributes": {}},
         "scope": "local", "time": 1795852802, "timeNano": 1795852802000000500},
    ]
