"""One build at a time, and a finished site put in place without ever losing the old one.

- `build_lock`: a second build in the same project waits for the first (it says so).
- `put_in_place`: the new site is moved (or, from another filesystem, copied) next to
  the old one under a temporary name, then the two are swapped with two renames. Any
  failure or interruption puts the old site back; a kill between the two renames is
  repaired by `recover` at the start of the next build.
- `explain`: an operating-system error (read-only disk, disk full, no permission) as one
  sentence with a tip, instead of a traceback.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold the project's build lock; wait (saying so) while another build holds it.

    The lock is an flock on build/.lock: the system releases it when a build ends or is killed."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Another build of this handbook is running; waiting for it to finish ...", file=sys.stderr,
                  flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _leftovers(site_dir: Path, kind: str) -> list[Path]:
    """The copies an interrupted swap left, oldest first (their names end in <pid>-<time in ns>)."""
    def made_at(path: Path) -> int:
        stamp = path.name.rpartition("-")[2]
        return int(stamp) if stamp.isdigit() else 0

    return sorted(site_dir.parent.glob(f".{site_dir.name}.{kind}-*"), key=made_at)


def recover(site_dir: Path) -> None:
    """Undo what an interrupted swap left: restore the old site if the new one never arrived,
    and remove leftover copies (one that cannot be removed is left alone: names never repeat)."""
    old_sites = _leftovers(site_dir, "old")
    if not site_dir.exists() and old_sites:
        os.rename(old_sites[-1], site_dir)
        old_sites = old_sites[:-1]
    for leftover in old_sites + _leftovers(site_dir, "new"):
        shutil.rmtree(leftover, ignore_errors=True)


def put_in_place(built: Path, site_dir: Path) -> None:
    """Replace `site_dir` by the finished site `built`. On any failure `site_dir` is as it was."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{time.time_ns()}"
    new = site_dir.parent / f".{site_dir.name}.new-{tag}"
    old = site_dir.parent / f".{site_dir.name}.old-{tag}"
    try:
        try:
            os.rename(built, new)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            _copy_tree(built, new)  # --site-dir on another filesystem
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    had_old = site_dir.exists()
    try:
        if had_old:
            os.rename(site_dir, old)
        os.rename(new, site_dir)
    except BaseException:
        if had_old and old.exists() and not site_dir.exists():
            os.rename(old, site_dir)
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


class _CopyFailed(Exception):
    """Carries the first OSError out of shutil.copytree, which would otherwise go on and collect them all."""


def _copy_tree(source: Path, target: Path) -> None:
    def copy(src: str, dst: str) -> None:
        try:
            shutil.copy2(src, dst)
        except OSError as error:
            raise _CopyFailed(OSError(error.errno, error.strerror, dst)) from None

    try:
        shutil.copytree(source, target, symlinks=True, copy_function=copy)
    except _CopyFailed as failed:
        raise failed.args[0] from None


TIPS = {
    errno.ENOSPC: "free some disk space, then build again",
    errno.EDQUOT: "free some disk space, then build again",
    errno.EROFS: "that disk is read-only: choose another folder with --site-dir",
    errno.EACCES: "you may not write there: check the folder's permissions or choose another --site-dir",
    errno.EPERM: "you may not write there: check the folder's permissions or choose another --site-dir",
}


def explain(error: OSError) -> str:
    """One sentence for an operating-system error, with a tip."""
    where = f" ({error.filename})" if error.filename else ""
    reason = error.strerror or type(error).__name__
    tip = TIPS.get(error.errno, "check the folder and the disk, then build again")
    return f"the build could not write a file{where}: {reason}. Tip: {tip}."
