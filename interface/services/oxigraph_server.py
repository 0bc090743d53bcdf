"""A local ``oxigraph serve`` (SPARQL 1.1 query/update + Graph Store Protocol).

The binary comes from the PyPI package ``oxigraph`` (a dependency in
pyproject.toml). The server listens on 127.0.0.1:7878 (``POLICYKG_OXIGRAPH_BIND``
overrides), keeps its RocksDB store in ``<services_dir>/oxigraph/data`` and
writes its PID to ``<services_dir>/oxigraph/oxigraph.pid`` so that any process
can stop it. Loading data is done elsewhere; this module is only the lifecycle
plus :func:`clear`.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from policykg import config
from policykg.errors import ServiceError

PIP_REQUIREMENT = "oxigraph>=0.4"


def bind() -> str:
    """``host:port`` the server listens on."""
    return config.oxigraph_bind()


def ports() -> dict[str, int]:
    """The port this server listens on (status shows who holds it)."""
    return {"sparql": int(bind().rpartition(":")[2])}


def base_url() -> str:
    return f"http://{bind()}"


def query_url() -> str:
    return f"{base_url()}/query"


def update_url() -> str:
    return f"{base_url()}/update"


def base_dir() -> Path:
    return config.services_dir() / "oxigraph"


def data_dir() -> Path:
    """This ``POLICYKG_HOME``'s store: each home has its own (beside the server, not inside the home,
    so ``policykg build --fresh`` cannot delete a store a running server holds open)."""
    import hashlib

    home = config.home()
    return base_dir() / "stores" / f"{home.name or 'home'}-{hashlib.sha1(str(home).encode()).hexdigest()[:10]}"


def pid_file() -> Path:
    return base_dir() / "oxigraph.pid"


def log_file() -> Path:
    return base_dir() / "oxigraph.log"


@dataclass(frozen=True)
class OxigraphStatus:
    installed: bool
    running: bool
    managed: bool  # started by us (PID file) rather than found answering on the port
    pid: int | None
    version: str | None
    url: str
    data_dir: Path
    log_file: Path

    def lines(self) -> list[str]:
        state = "running" if self.running else "stopped"
        if self.running and not self.managed:
            state = "running (not started by policykg: no PID file)"
        return [
            f"oxigraph: {'installed' if self.installed else 'not installed'}, {state}"
            + (f" (pid {self.pid})" if self.pid else ""),
            f"  version: {self.version or '-'}",
            f"  query:   {self.url}/query",
            f"  update:  {self.url}/update",
            f"  store:   {self.url}/store",
            f"  data:    {self.data_dir}",
            f"  log:     {self.log_file}",
        ]


# ----------------------------------------------------------------------------


def find_binary() -> Path | None:
    """The ``oxigraph`` CLI of this Python's environment (or on PATH)."""
    scripts = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if scripts.is_file() and os.access(scripts, os.X_OK):
        return scripts
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def ensure_binary() -> Path:
    """Find the ``oxigraph`` CLI, ``pip install``-ing the package when it is missing."""
    binary = find_binary()
    if binary:
        return binary
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", PIP_REQUIREMENT],
        capture_output=True,
        text=True,
        timeout=900,
    )
    binary = find_binary()
    if proc.returncode != 0 or binary is None:
        raise ServiceError(
            f"The `oxigraph` CLI is missing and `pip install {PIP_REQUIREMENT}` failed "
            f"(exit {proc.returncode}): {(proc.stdout + proc.stderr).strip()[-1500:]}"
        )
    return binary


def _version(binary: Path | None) -> str | None:
    if binary is None:
        return None
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = out.stdout.strip().split()
    return text[-1] if text else None


def _read_pid() -> int | None:
    """PID from the PID file if that process is alive and is an oxigraph; stale files are removed."""
    try:
        pid = int(pid_file().read_text().strip())
    except (OSError, ValueError):
        return None
    alive = True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        alive = False
    except PermissionError:
        pass
    if alive:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            alive = b"oxigraph" in cmdline and b"\x00serve" in cmdline
            # a zombie child of this very process still has /proc but no cmdline
        except OSError:
            alive = False
    if not alive:
        pid_file().unlink(missing_ok=True)
        return None
    return pid


def ask(timeout: float = 3.0) -> bool:
    """True when the server answers ``ASK {}`` with true."""
    url = query_url() + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8")).get("boolean") is True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def status() -> OxigraphStatus:
    binary = find_binary()
    pid = _read_pid()
    answering = ask(timeout=2.0)
    return OxigraphStatus(
        installed=binary is not None,
        running=pid is not None or answering,
        managed=pid is not None,
        pid=pid,
        version=_version(binary),
        url=base_url(),
        data_dir=data_dir(),
        log_file=log_file(),
    )


def _tail(lines: int = 20) -> str:
    try:
        return "\n".join(log_file().read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_ready(timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not ask():
        exited = proc.poll() is not None if proc is not None else _read_pid() is None
        if exited:
            pid_file().unlink(missing_ok=True)
            raise ServiceError(f"oxigraph serve exited while starting; read {log_file()}:\n{_tail()}")
        if time.monotonic() > deadline:
            raise ServiceError(
                f"oxigraph serve did not answer ASK {{}} at {query_url()} within {timeout:.0f} s; "
                f"read {log_file()}"
            )
        time.sleep(0.25)


def start(wait: bool = True, timeout: float = 60.0) -> OxigraphStatus:
    """Start ``oxigraph serve`` in the background; a quick no-op if it already runs."""
    if _read_pid() is not None:
        if wait:
            wait_ready(timeout)
        return status()
    if ask():
        # Something answers SPARQL on our port already (started by hand?): use it.
        return status()
    host, _, port = bind().rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=0.5):
            raise ServiceError(
                f"{bind()} is already taken by a process that does not answer SPARQL; "
                f"stop it first (e.g. `ss -ltnp 'sport = :{port}'` shows which)."
            )
    except (OSError, ValueError):
        pass
    binary = ensure_binary()
    data_dir().mkdir(parents=True, exist_ok=True)
    cmd = [str(binary), "serve", "--location", str(data_dir()), "--bind", bind()]
    with log_file().open("ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} $ {' '.join(cmd)}\n".encode())
        log.flush()
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives this process; stop() ends it by PID
                close_fds=True,
            )
        except OSError as exc:
            raise ServiceError(f"could not run {binary}: {exc}") from exc
    pid_file().write_text(f"{proc.pid}\n")
    if wait:
        wait_ready(timeout, proc)
    else:
        time.sleep(0.2)
        if proc.poll() is not None:
            pid_file().unlink(missing_ok=True)
            raise ServiceError(f"oxigraph serve exited at once; read {log_file()}:\n{_tail()}")
    return status()


def stop(timeout: float = 20.0) -> bool:
    """Stop the server started by :func:`start` (from any process); False if none ran."""
    pid = _read_pid()
    if pid is None:
        if ask():
            raise ServiceError(
                f"A SPARQL server answers at {base_url()} but {pid_file()} does not name it; "
                "it was not started by policykg, stop it by hand."
            )
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _read_pid() is None:
            break
        _reap(pid)
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        _reap(pid)
    pid_file().unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status if the server is our own child (else it is a no-op)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def clear(timeout: float = 120.0) -> None:
    """Delete every triple in every graph: SPARQL ``CLEAR ALL`` on the update endpoint."""
    endpoint = config.sparql_update_endpoint()
    req = urllib.request.Request(
        endpoint,
        data=b"CLEAR ALL",
        method="POST",
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            if resp.status not in (200, 204):
                raise ServiceError(f"CLEAR ALL at {endpoint} answered HTTP {resp.status}")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", errors="replace")[:500]
        raise ServiceError(f"CLEAR ALL at {endpoint} failed: HTTP {exc.code} {body}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ServiceError(
            f"SPARQL update endpoint {endpoint} unreachable ({exc}); "
            "start it with `policykg sparql start`"
        ) from exc
