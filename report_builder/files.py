"""Writing output files so that a good file is never replaced by a half-written one.

On the ground floor because every writer (DOCX, PDF, spreadsheets, the ledger) needs it and none should
depend on another to get it.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一段是文件而不是目录",
    errno.EEXIST: "已有同名文件，不能用作目录",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be written, in the user's words."""
    return _REASONS.get(exc.errno or 0) or (os.strerror(exc.errno) if exc.errno else str(exc))


@functools.cache
def _file_mode() -> int:
    """What `open()` would give a new file under this process's umask (mkstemp always gives 0600).

    Read once: os.umask can only be read by setting it, and a process does not change its umask mid-build.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside `path`, then rename it into place, with the umask's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A short prefix: the temporary name must fit in 255 bytes when the final name nearly does.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:12]}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class Stage:
    """A private folder inside the output folder where one build writes its whole set of files.

    Moving the finished set in is a handful of renames on one file system, so an interrupted build leaves
    either the old set or the new one beside a hidden `.build-*` folder, never a new DOCX beside an old PDF.
    """

    def __init__(self, folder: Path, target: Path) -> None:
        self.folder = folder
        self.target = target

    def __truediv__(self, name: str) -> Path:
        return self.folder / name

    def move_in(self, *paths: Path | None) -> tuple[Path | None, ...]:
        """Rename each staged file to its final place, in the order given (put the ledger last)."""
        moved = []
        for path in paths:
            if path is None:
                moved.append(None)
                continue
            final = self.target / path.relative_to(self.folder)
            os.replace(path, final)
            moved.append(final)
        return tuple(moved)


@contextmanager
def staging(target: Path) -> Iterator[Stage]:
    """A Stage in `target` (created if need be), removed afterwards whether the build succeeded or not."""
    target.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".build-", dir=target))
    try:
        yield Stage(folder, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def digest(*roots: Path) -> str:
    """A SHA-256 of every file under `roots` (relative names and bytes, in a fixed order, hidden files left out):
    what a batch compares to tell whether a region's outputs are still those of its inputs."""
    hasher = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            relative = path.relative_to(root).as_posix() if path != root else path.name
            if any(part.startswith(".") for part in Path(relative).parts) or "__pycache__" in relative:
                continue
            hasher.update(relative.encode("utf-8") + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()
