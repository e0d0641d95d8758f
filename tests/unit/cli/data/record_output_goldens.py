#!/usr/bin/env python3
"""Records docker's output for list/inspect/info-style commands over canned daemon answers.

Each case runs /usr/local/bin/docker against a server that answers from output_fixtures.py and
writes output/<name>.json: the arguments, every (method, path) → answer the server gave, the
recording clock, and docker's stdout/stderr/exit. output_golden_test.cpp serves the same
answers to berth at the same clock and expects the same output. Re-run:

    python3 record_output_goldens.py
"""
import base64
import http.server
import json
import os
import re
import shlex
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import output_fixtures as fx  # noqa: E402

NOW = int(time.time())
ANSWERS = {}

CASES = r"""
ps	ps
ps_all	ps -a
ps_no_trunc	ps --no-trunc
ps_quiet	ps -q
ps_size	ps -s
ps_format_tab	ps --format '{{.Names}}\t{{.Ports}}'
ps_format_json	ps --format json
ps_format_json_dot	ps --format '{{json .}}'
ps_format_raw	ps --format raw
ps_format_table_labels	ps --format 'table {{.ID}}\t{{.Labels}}\t{{.Label "com.example.team"}}'
ps_format_misc	ps --format '{{.Mounts}} {{.LocalVolumes}} {{.Networks}} {{.CreatedAt}} {{.RunningFor}} {{.State}}'
ps_format_size	ps --format 'table {{.Names}}\t{{.Size}}'
ps_format_funcs	ps --format '{{upper .Names}} {{lower .Status}} {{title .State}} {{join (split .Names "b") "-"}} {{truncate .ID 5}} {{pad .State 1 2}}|'
ps_format_quiet_warning	ps -q --format '{{.Names}}'
ps_container_ls	container ls
ps_latest	ps -l
ps_filter	ps --filter status=running -f name=web
ps_bad_template	ps --format '{{.Names'
images	images
images_all	images -a
images_digests	images --digests
images_quiet	images -q
images_no_trunc	images --no-trunc
images_format	images --format '{{.Repository}}:{{.Tag}} {{.Size}} {{.CreatedSince}} {{.Digest}}'
images_format_json	images --format json
images_filter_ref	images busybox
image_ls_table	image ls --format 'table {{.ID}}\t{{.CreatedAt}}\t{{.Containers}}'
networks	network ls
networks_quiet	network ls -q
networks_no_trunc	network ls --no-trunc
networks_format	network ls --format '{{.Name}} {{.IPv4}} {{.IPv6}} {{.Internal}} {{.Labels}} {{.CreatedAt}}'
networks_format_json	network ls --format json
volumes	volume ls
volumes_quiet	volume ls -q
volumes_format	volume ls --format '{{.Name}}\t{{.Mountpoint}}\t{{.Labels}}\t{{.Links}}\t{{.Size}}'
volumes_format_json	volume ls --format json
inspect_container	container inspect web
inspect_any	inspect web
inspect_template	container inspect -f '{{.State.Pid}} {{.Name}} {{index .Config.Labels "maintainer"}}' web
inspect_json_field	container inspect -f '{{json .Config.Labels}}' web
inspect_range	container inspect -f '{{range $p, $conf := .NetworkSettings.Ports}}{{$p}}={{if $conf}}{{(index $conf 0).HostPort}}{{end}};{{end}}' web
inspect_format_json	container inspect --format json web
inspect_missing	container inspect web missing
inspect_any_missing	inspect missing
inspect_bad_template	container inspect -f '{{.State.Pid' web
port	port web
port_one	port web 80
port_udp	port web 53/udp
port_unpublished	port web 81
port_invalid	port web abc
top	top web
diff	diff web
history	history nginx
history_no_trunc	history --no-trunc nginx
history_not_human	history -H=false nginx
history_quiet	history -q nginx
history_format_json	history --format json nginx
df	system df
df_verbose	system df -v
df_format_json	system df --format json
events	events --since 1795852800 --until 1795852900
events_json	events --since 1795852800 --until 1795852900 --format '{{json .}}'
events_template	events --since 1795852800 --until 1795852900 --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'
logs	logs web
logs_missing	logs missing
rm_missing	rm missing
rm_force_missing	rm -f missing
rm_two	rm web missing
stop	stop web
kill_signal	kill -s HUP web
wait	wait web
start_many	start web missing
rename_fail	rename missing other
pull	pull busybox
pull_quiet	pull -q busybox:1.36
pull_error	pull nosuch
rmi	rmi busybox
rmi_missing	rmi nosuch
tag	tag busybox mine:1
stats	stats --no-stream web
stats_format	stats --no-stream --format '{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.NetIO}} {{.BlockIO}} {{.PIDs}}' web
volume_inspect	volume inspect webdata
network_inspect	network inspect bridge
network_rm_missing	network rm missing
version_server	version --format '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}'
info_format	info --format '{{.ServerVersion}} {{.Containers}} {{.OperatingSystem}} {{.Plugins.Volume}} {{json .Swarm.LocalNodeState}}'
info_server	info
container_prune	container prune -f
image_prune	image prune -f
network_prune	network prune -f
volume_prune	volume prune -f
update	update --memory 128m web
commit	commit -m msg -c 'CMD ["sh"]' web repo:tag
"""


def stdcopy(stream, data):
    return struct.pack(">BxxxI", stream, len(data)) + data


def answer(method, path, query):
    """(status, content_type, body bytes) for a request, from the fixtures."""
    p = re.sub(r"^/v[0-9.]+", "", path)
    js = lambda obj, code=200: (code, "application/json", (json.dumps(obj) + "\n").encode())
    err = lambda code, msg: js({"message": msg}, code)
    known = {"web", fx.ID1}
    m = re.match(r"^/containers/([^/]+)(/.*)?$", p)
    if p == "/_ping":
        return 200, "text/plain", b"OK"
    if p == "/containers/json":
        return js(fx.containers(NOW))
    if p == "/containers/prune":
        return js({"ContainersDeleted": [fx.ID2], "SpaceReclaimed": 1234})
    if p == "/images/json":
        return js(fx.images(NOW))
    if p == "/images/prune":
        return js({"ImagesDeleted": [{"Untagged": "old:1"}, {"Deleted": fx.IMG3}], "SpaceReclaimed": 1234567890})
    if p == "/networks":
        return js(fx.networks())
    if p == "/networks/prune":
        return js({"NetworksDeleted": ["net9", "net10"]})
    if p == "/networks/bridge":
        return js(fx.networks()[0])
    if p.startswith("/networks/"):
        return err(404, "network %s not found" % p.split("/")[2])
    if p == "/volumes":
        return js(fx.volumes())
    if p == "/volumes/prune":
        return js({"VolumesDeleted": ["cache2"], "SpaceReclaimed": 2048})
    if p == "/volumes/webdata":
        return js(fx.volumes()["Volumes"][0])
    if p == "/system/df":
        return js(fx.disk_usage(NOW))
    if p == "/info":
        return js(fx.info())
    if p == "/version":
        return js(fx.version())
    if p == "/events":
        body = "".join(json.dumps(e) + "\n" for e in fx.events())
        return 200, "application/json", body.encode()
    if p == "/images/create":
        if "nosuch" in query:
            lines = [{"status": "Pulling from library/nosuch", "id": "latest"},
                     {"errorDetail": {"message": "manifest unknown"}, "error": "manifest unknown"}]
        else:
            lines = [{"status": "Pulling from library/busybox", "id": "latest"},
                     {"status": "Pulling fs layer", "progressDetail": {}, "id": "9ad63333ebc9"},
                     {"status": "Downloading", "progressDetail": {"current": 1024, "total": 2152262}, "progress": "[>    ]  1.024kB/2.152MB", "id": "9ad63333ebc9"},
                     {"status": "Download complete", "progressDetail": {}, "id": "9ad63333ebc9"},
                     {"status": "Pull complete", "progressDetail": {}, "id": "9ad63333ebc9"},
                     {"status": "Digest: sha256:5eef5ed34e1e1ff0a4ae850395cbf665c4de6b4b83a32a0bc7bcb998e24e7bbb"},
                     {"status": "Status: Downloaded newer image for busybox:latest"}]
        return 200, "application/json", "".join(json.dumps(l) + "\r\n" for l in lines).encode()
    if p == "/images/busybox" and method == "DELETE":
        return js([{"Untagged": "busybox:latest"}, {"Deleted": fx.IMG1}])
    if p == "/images/nosuch" and method == "DELETE":
        return err(404, "No such image: nosuch:latest")
    if p == "/images/busybox/tag":
        return 201, "text/plain", b""
    if p == "/images/nginx/history":
        return js(fx.history(NOW))
    if p == "/commit":
        return js({"Id": fx.IMG2}, 201)
    if p.startswith("/images/"):
        return err(404, "No such image: %s" % p.split("/")[2])
    if p == "/auth":
        return js({"Status": "Login Succeeded"})
    if m:
        name, rest = m.group(1), m.group(2) or ""
        if name not in known:
            return err(404, "No such container: %s" % name)
        if rest == "/json":
            return js(fx.inspect_container())
        if rest == "/top":
            return js(fx.top())
        if rest == "/changes":
            return js(fx.changes())
        if rest == "/logs":
            body = stdcopy(1, b"hello from stdout\n") + stdcopy(2, b"warning on stderr\n") + stdcopy(1, b"bye\n")
            return 200, "application/vnd.docker.multiplexed-stream", body
        if rest == "/wait":
            return js({"StatusCode": 3})
        if rest == "/stats":
            stats = {"read": "2026-11-28T08:00:00Z", "name": "/web", "id": fx.ID1,
                     "pids_stats": {"current": 5},
                     "networks": {"eth0": {"rx_bytes": 1536, "tx_bytes": 648}},
                     "memory_stats": {"usage": 10485760, "limit": 67108864, "stats": {"inactive_file": 1048576}},
                     "blkio_stats": {"io_service_bytes_recursive": [{"op": "read", "value": 4096}, {"op": "write", "value": 8192}]},
                     "cpu_stats": {"cpu_usage": {"total_usage": 300000000}, "system_cpu_usage": 20000000000, "online_cpus": 2},
                     "precpu_stats": {"cpu_usage": {"total_usage": 100000000}, "system_cpu_usage": 10000000000}}
            return js(stats)
        if rest == "/update":
            return js({"Warnings": []})
        if rest in ("/stop", "/kill", "/start", "/restart", "/pause", "/unpause"):
            return 204, "text/plain", b""
        if rest == "" and method == "DELETE":
            return 204, "text/plain", b""
    return err(404, "page not found")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        path, _, query = self.path.partition("?")
        code, ctype, body = answer(self.command, path, query)
        key = self.command + " " + re.sub(r"^/v[0-9.]+", "", path)
        ANSWERS[key] = {"status": code, "type": ctype, "body": base64.b64encode(body).decode()}
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if path.endswith("/_ping"):
            self.send_header("Api-Version", "1.47")
            self.send_header("Ostype", "linux")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = handle_any


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)


def main():
    tmp = tempfile.mkdtemp()
    sock = os.path.join(tmp, "d.sock")
    server = Server(sock, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "DOCKER_CONFIG": tmp,
           "DOCKER_HOST": "unix://" + sock, "TZ": "UTC"}
    os.makedirs(os.path.join(HERE, "output"), exist_ok=True)
    for line in CASES.strip().splitlines():
        name, _, args = line.partition("\t")
        ANSWERS.clear()
        argv = shlex.split(args)
        p = subprocess.run(["/usr/local/bin/docker"] + argv, env=env, capture_output=True,
                           stdin=subprocess.DEVNULL)
        record = {"args": argv, "now": NOW, "answers": dict(ANSWERS), "exit": p.returncode,
                  "stdout": p.stdout.decode(), "stderr": p.stderr.decode()}
        with open(os.path.join(HERE, "output", name + ".json"), "w") as out:
            json.dump(record, out, indent=1)
            out.write("\n")
        print(name, p.returncode)
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
