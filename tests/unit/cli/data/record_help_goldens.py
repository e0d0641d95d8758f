#!/usr/bin/env python3
"""Records `docker <command> --help` for the commands berth implements into help/*.txt.

The docker CLI is pointed at a capture server that answers /_ping as a Linux daemon (docker
hides Windows-only flags then, as it does against berthd). help_golden_test.cpp compares berth's
help with these texts, "docker" read as "berth". Re-run: python3 record_help_goldens.py
"""
import os
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from record_create_goldens import Handler, Server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
COMMANDS = """
attach commit cp create diff events exec export history import images info inspect kill load
login logout logs pause port ps pull push rename restart rm rmi run save start stats stop tag top
unpause update version wait
container container_attach container_commit container_cp container_create container_diff
container_exec container_export container_inspect container_kill container_logs container_ls
container_pause container_port container_prune container_rename container_restart container_rm
container_run container_start container_stats container_stop container_top container_unpause
container_update container_wait
image_history image_import image_inspect image_load image_ls image_prune image_pull image_push
image_rm image_save image_tag
network network_connect network_create network_disconnect network_inspect network_ls
network_prune network_rm
volume volume_create volume_inspect volume_ls volume_prune volume_rm
system_df system_events system_info system_prune
""".split()


def main():
    tmp = tempfile.mkdtemp()
    sock = os.path.join(tmp, "d.sock")
    server = Server(sock, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "DOCKER_CONFIG": tmp,
           "DOCKER_HOST": "unix://" + sock}
    os.makedirs(os.path.join(HERE, "help"), exist_ok=True)
    for name in COMMANDS:
        p = subprocess.run(["/usr/local/bin/docker"] + name.split("_") + ["--help"], env=env,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        with open(os.path.join(HERE, "help", name + ".txt"), "w") as out:
            out.write(p.stdout)
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
