"""One writer per output folder: the run lock, the output-folder checks, stale staging.

``custops run`` and ``custops book`` write a period's folder (``build/<P>/``) through
staging folders that are renamed into place at the end. Two of them writing the same folder
at once would delete each other's staging folders and publish a report mixing two data sets,
so each takes :class:`RunLock` on ``build/<P>/.custops.lock`` first (``filelock``: an OS
lock, released by the kernel when the process dies, so a killed run never leaves the folder
locked). The second one either stops at once with "another run is writing build/2025Q4
(pid 1234, started ...)" or, with ``--wait``, waits for the first to finish.

Staging folders carry the pid of the process that made them (``.stage-<pid>``,
``.html-build-<pid>``, ``.html.old-<pid>``, ...). A run killed by a signal leaves them
behind; :func:`clean_stale` removes those whose process is gone when the next run (holding
the lock) starts.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from custops.core.errors import ConfigError, PipelineError

__all__ = [
    "LOCK_NAME",
    "FolderBusy",
    "RunLock",
    "check_output_root",
    "clean_stale",
    "pid_alive",
]

LOCK_NAME = ".custops.lock"
OWNER_NAME = ".custops.lock.json"
#: names of staging folders: ``.<what>-<pid>`` (older releases used ``.stage`` and ``.running``)
_STAGING = re.compile(r"^\.(?:stage|html-build|running|[\w]+\.old)-(\d+)$")
_LEGACY = {".stage", ".running"}


class FolderBusy(PipelineError):
    """Another ``custops run``/``book`` holds the lock of the output folder (exit status 3)."""

    exit_code = 3


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine.

    Examples
    --------
    >>> pid_alive(os.getpid())
    True
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by another user
        return True
    except OSError:
        return False
    return True


def _shown(path: Path) -> str:
    """``build/2025Q4`` relative to the working directory when below it, else absolute."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def check_output_root(out: str | Path, *, option: str = "--out") -> Path:
    """The build root as an absolute path, created, after checking it can be written.

    Parameters
    ----------
    out : str or Path
        The ``--out`` folder.
    option : str
        How the user named it (for the message).

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        One sentence when ``out`` (or a folder above it) is a file, cannot be created,
        or cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> check_output_root(root / "build").is_dir()
    True
    >>> (root / "file").write_text("x")
    1
    >>> check_output_root(root / "file")
    Traceback (most recent call last):
    ...
    custops.core.errors.ConfigError: ...is a file, not a folder...
    """
    root = Path(out).expanduser().absolute()
    blocker = next((p for p in (root, *root.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        what = "is a file" if blocker == root else f"is below {blocker}, which is a file"
        raise ConfigError(
            f"Cannot write the report to {option} {root}: it {what}, not a folder.",
            fix=f"Pass a folder to {option} (e.g. build), or move the file away.",
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        existing = next((p for p in root.parents if p.exists()), Path("/"))
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"Cannot create {option} {root}: {reason.lower()} (the nearest existing folder "
            f"is {existing}).",
            fix=f"Create the folder first, or pass a folder you can write to {option}.",
        ) from None
    root = root.resolve()
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".custops-write-test-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"Cannot write into {option} {root}: {reason.lower()}.",
            fix=f"Fix the folder's permissions, or pass a folder you can write to {option}.",
        ) from None
    return root


def clean_stale(folder: Path, *, log=None, include_own: bool = True) -> list[Path]:
    """Remove the staging folders a killed run left in ``folder`` (their process is gone).

    Call it while holding the folder's :class:`RunLock`. A folder named after a live
    process other than this one is left alone; with ``include_own=False`` this process's
    own folders are left alone too.

    Returns
    -------
    list of Path
        The folders removed.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / ".html-build-999999999").mkdir()
    >>> [p.name for p in clean_stale(root)]
    ['.html-build-999999999']
    """
    removed = []
    if not folder.is_dir():
        return removed
    for child in sorted(folder.iterdir()):
        match = _STAGING.match(child.name)
        if match:
            pid = int(match.group(1))
            if pid == os.getpid() and not include_own:
                continue
            if pid != os.getpid() and pid_alive(pid):
                continue
        elif child.name not in _LEGACY:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
        removed.append(child)
    if removed and log is not None:
        log(
            f"removed {len(removed)} staging folder(s) left by an interrupted run: "
            + ", ".join(p.name for p in removed)
        )
    return removed


class RunLock:
    """The lock of one period's output folder (``build/<P>/.custops.lock``).

    Parameters
    ----------
    folder : Path
        ``build/<P>``; created if missing.
    wait : float or None
        ``None`` or ``0``: stop at once when another run holds the lock; a number: wait up to
        that many seconds; a negative number: wait as long as it takes.
    command : str
        What this process does (``"run"``, ``"book"``), recorded for the other one's message.
    log : callable, optional
        Told once when this run has to wait.

    Raises
    ------
    FolderBusy
        When the lock is held by another run (at once, or after ``wait`` seconds).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "2025Q4"
    >>> with RunLock(folder):
    ...     (folder / LOCK_NAME).exists()
    True
    """

    def __init__(
        self,
        folder: Path,
        *,
        wait: float | None = None,
        command: str = "run",
        log=None,
    ) -> None:
        self.folder = Path(folder)
        self.wait = wait
        self.command = command
        self.log = log
        self._lock = None

    def owner(self) -> dict:
        """What the holder wrote about itself (pid, command, started); ``{}`` if unknown."""
        try:
            return json.loads((self.folder / OWNER_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _busy_message(self, waited: float | None) -> str:
        owner = self.owner()
        pid = owner.get("pid", "unknown")
        what = owner.get("command", "run")
        started = owner.get("started", "")
        since = f", started {started}" if started else ""
        text = f"another {what} is writing {_shown(self.folder)} (pid {pid}{since})"
        if waited:
            text += f"; gave up after waiting {waited:.0f} s"
        return text[0].upper() + text[1:] + "."

    def __enter__(self) -> RunLock:
        from filelock import FileLock, Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / LOCK_NAME), thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if not self.wait:
                raise FolderBusy(
                    self._busy_message(None),
                    fix="Wait for it to finish, pass --wait to queue behind it, or write "
                    "this run elsewhere with --out.",
                ) from None
            if self.log is not None:
                self.log(self._busy_message(None).rstrip(".") + "; waiting for it to finish ...")
            started = time.monotonic()
            try:
                lock.acquire(timeout=self.wait if self.wait > 0 else -1)
            except Timeout:
                raise FolderBusy(
                    self._busy_message(time.monotonic() - started),
                    fix="Wait longer (--wait with more seconds), or write elsewhere with --out.",
                ) from None
        self._lock = lock
        owner = {
            "pid": os.getpid(),
            "command": self.command,
            "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        }
        tmp = self.folder / f".{OWNER_NAME}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(owner), encoding="utf-8")
        os.replace(tmp, self.folder / OWNER_NAME)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._lock is None:
            return
        with contextlib.suppress(OSError):
            if self.owner().get("pid") == os.getpid():
                (self.folder / OWNER_NAME).unlink()
        self._lock.release()
        self._lock = None
