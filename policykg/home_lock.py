"""One writer per home: a build (or a laws / reform load) holds ``$POLICYKG_HOME/lock``.

The lock is a POSIX record lock (``lockf``) on that file, released by the kernel when the holder exits,
even by SIGKILL — no stale lock to delete by hand — and not inherited by the extraction workers a
build forks (a ``flock`` would be, and would outlive a killed build in them). The holder writes who it is (pid, command, since)
into the file, so a second writer can say who holds the home instead of failing on the store's
own lock. ``POLICYKG_LOCK_WAIT`` (seconds, default 0) makes the second one wait that long first.
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from policykg.errors import BackendError

LOCK_NAME = "lock"
_HELD: dict[Path, "HomeLock"] = {}  # homes this process holds: a nested writer (a build inside a load) goes on


def lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("POLICYKG_LOCK_WAIT", "0")))
    except ValueError:
        return 0.0


def holder(home: Path) -> Optional[str]:
    """Who holds ``home`` (from its lock file), e.g. 'pid 4242 (policykg build, since 18:20:01 UTC)'."""
    try:
        info = json.loads((Path(home) / LOCK_NAME).read_text(encoding="utf-8"))
        return f"pid {info['pid']} ({info['what']}, since {info['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return None


class HomeLock:
    """``with HomeLock(home, "policykg build"):`` — exclusive; BackendError naming the holder when taken."""

    def __init__(self, home: Path, what: str, wait: Optional[float] = None):
        self.home, self.what = Path(home).resolve(), what
        self.wait = lock_wait() if wait is None else wait
        self._fh = None
        self._nested = False

    def __enter__(self) -> "HomeLock":
        if self.home in _HELD:
            self._nested = True
            return self
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            fh = open(self.home / LOCK_NAME, "a+", encoding="utf-8")
        except OSError as exc:
            raise BackendError(f"cannot write in {self.home} ({exc.strerror or exc}); is the folder read-only "
                               "or the disk full? Set POLICYKG_HOME to a writable folder") from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:  # EAGAIN / EACCES: held by another process
                if time.monotonic() >= deadline:
                    fh.close()
                    who = holder(self.home) or "another process"
                    raise BackendError(
                        f"{self.home} is in use by {who}; wait for it to finish (or set POLICYKG_LOCK_WAIT=SECONDS "
                        "to wait), or set POLICYKG_HOME to another folder") from None
                time.sleep(0.2)
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps({"pid": os.getpid(), "what": self.what,
                                 "since": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
                                 "argv": sys.argv[:4]}, ensure_ascii=False))
            fh.flush()
        except OSError:  # a full disk: the lock holds all the same, only its holder is not named
            pass
        self._fh = fh
        _HELD[self.home] = self
        return self

    def __exit__(self, *exc: object) -> None:
        if self._nested or self._fh is None:
            return
        _HELD.pop(self.home, None)
        try:
            self._fh.seek(0)
            self._fh.truncate()
        except OSError:
            pass
        try:
            fcntl.lockf(self._fh, fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None
