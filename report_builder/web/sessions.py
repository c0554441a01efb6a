"""Each visitor's files, in a temporary folder of their own, and what an upload must pass to be kept.

A session is a random id in a cookie. Its folder lives under the server's temporary root and is removed when
the visitor ends the session, after an hour without a request, or when the server stops (the root goes with
it). Uploads are bounded in size and count; a ZIP is refused whole when any entry would land outside the
folder (`..`, an absolute path, a drive letter), is a symbolic link, or would expand past the limits of
report_builder/archives.py — checked before anything is written.
"""

from __future__ import annotations

import re
import secrets
import shutil
import stat
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from report_builder.archives import check_archive
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.load import Inputs

MAX_FILE = 50 * 2**20  # bytes one uploaded file may have
MAX_REQUEST = 120 * 2**20  # bytes one upload request may have
MAX_FILES = 40  # files one upload may hold
IDLE_SECONDS = 3600  # a session unused this long is ended and its files removed
DATA_SUFFIXES = (".csv", ".xlsx", ".toml", ".zip")
REPORT_SUFFIXES = (".docx", ".pdf", ".txt", ".md")
_DRIVE = re.compile(r"^[A-Za-z]:")
_UTF8_NAMES = 0x800  # zip flag: the entry's name is UTF-8; otherwise Windows wrote it in the local code page


@dataclass
class Session:
    id: str
    folder: Path
    touched: float = field(default_factory=time.monotonic)
    data_dir: Path | None = None
    label: str = ""  # what the data are, as the page names them: the ZIP's name or the --data folder
    inputs: Inputs | None = None
    uploads: int = 0  # a new folder per upload, so an earlier one's files never mix in


class Sessions:
    """The live sessions of one server; thread-safe, since routes run in a thread pool."""

    def __init__(self, root: Path, on_end: Callable[[str], None] = lambda session_id: None) -> None:
        self.root = root
        self._on_end = on_end  # the server forgets the session's jobs
        self._live: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str | None) -> Session | None:
        self.sweep()
        with self._lock:
            session = self._live.get(session_id or "")
            if session is not None:
                session.touched = time.monotonic()
            return session

    def new(self) -> Session:
        session_id = secrets.token_urlsafe(24)
        folder = self.root / session_id
        folder.mkdir(mode=0o700)
        with self._lock:
            self._live[session_id] = session = Session(session_id, folder)
        return session

    def end(self, session_id: str) -> None:
        with self._lock:
            session = self._live.pop(session_id, None)
        if session is not None:
            shutil.rmtree(session.folder, ignore_errors=True)
            self._on_end(session_id)

    def sweep(self) -> None:
        """End the sessions idle past IDLE_SECONDS."""
        now = time.monotonic()
        with self._lock:
            idle = [s.id for s in self._live.values() if now - s.touched > IDLE_SECONDS]
        for session_id in idle:
            self.end(session_id)

    def close(self) -> None:
        """The server stops: every session's files go."""
        with self._lock:
            ids = list(self._live)
        for session_id in ids:
            self.end(session_id)
        shutil.rmtree(self.root, ignore_errors=True)


def refused(name: str, why: str) -> BadInput:
    return BadInput.of(IssueCode.UNREADABLE, Location(name), why=why)


def upload_name(name: str, suffixes: tuple[str, ...]) -> str:
    """The file name an upload is kept under: no folders, no hidden files, only the accepted kinds."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if not base or base.startswith("."):
        raise refused(name or "（无名文件）", "文件名不可用")
    if not base.lower().endswith(suffixes):
        raise refused(base, f"只接受 {'、'.join(suffixes)} 文件")
    return base


def unpack(archive: Path, into: Path) -> Path:
    """Extract a ZIP of a data folder into `into`; return the folder that holds regions.csv (or `into`).

    Raises BadInput, before writing anything, for an entry outside the folder, a link, or a bomb."""
    location = Location(archive.name)
    try:
        check_archive(archive, location)
        with zipfile.ZipFile(archive) as zf:
            members = [(member, _entry_path(member, archive.name)) for member in zf.infolist()]
            for member, path in members:
                target = into.joinpath(*path.parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as source, target.open("xb") as copy:
                    shutil.copyfileobj(source, copy)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise refused(archive.name, f"不是可读的 ZIP 压缩包（{exc}）") from None
    except FileExistsError as exc:
        raise refused(archive.name, f"压缩包中有重名的文件：{Path(exc.filename).name}") from None
    found = sorted((p.parent for p in into.rglob("regions.csv")), key=lambda p: len(p.parts))
    return found[0] if found else into


def _entry_path(member: zipfile.ZipInfo, archive: str) -> PurePosixPath:
    name = member.filename
    if (
        not member.flag_bits & _UTF8_NAMES
    ):  # unflagged: UTF-8 (Info-ZIP) or GBK (Windows), read by zipfile as cp437
        name = _decoded(name)
    name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or _DRIVE.match(name) or ".." in path.parts:
        raise refused(archive, f"压缩包中的“{name}”指向解压目录之外，整个压缩包未解压")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise refused(archive, f"压缩包中的“{name}”是符号链接，整个压缩包未解压")
    return path


def _decoded(name: str) -> str:
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name
