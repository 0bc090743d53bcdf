"""Who holds a TCP port, and what a running process was started with (Linux ``/proc``, else ``ss``).

    >>> port_holder(7878)
    'pid 4242 (oxigraph serve --location …/data --bind 127.0.0.1:7878)'
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Optional

_LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == _LISTEN and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    return inodes


def command_line(pid: int) -> Optional[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    args = [a for a in raw.decode("utf-8", "replace").split("\0") if a]
    if not args:
        return None
    args[0] = os.path.basename(args[0])
    text = " ".join(args)
    return text if len(text) <= 160 else text[:159] + "…"


def port_holder(port: int) -> Optional[str]:
    """``pid N (command line)`` of the process listening on ``port``; ``None`` when nothing listens.
    A listener this user may not inspect is reported as such."""
    inodes = _listening_inodes(port)
    if inodes:
        wanted = {f"socket:[{i}]" for i in inodes}
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                fds = list((proc / "fd").iterdir())
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(fd) in wanted:
                        pid = int(proc.name)
                        return f"pid {pid} ({command_line(pid) or '?'})"
                except OSError:
                    continue
        return "a process this user cannot inspect"
    if Path("/proc/net/tcp").exists() or not shutil.which("ss"):
        return None
    try:  # not Linux /proc: ask ss
        out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'users:\(\("([^"]+)",pid=(\d+)', out)
    return f"pid {m.group(2)} ({m.group(1)})" if m else ("a process" if out.strip() else None)
