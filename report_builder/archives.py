"""Compressed input read within bounds: a few kilobytes of a DOCX, an XLSX (both zip archives) or a PDF stream
can expand to gigabytes — a "zip bomb" — and a parser asked to read it takes the machine's memory with it.

Every reader asks here before it parses, so such a file is one clear message with exit code 2. For a zip, the
sizes its directory declares are checked first, at no cost; then each member is inflated through a counter,
because a declared size may lie: Python's zipfile never yields more than the declared size and fails the CRC
check when the data go on, so a member that passes here cannot expand further in the parser's hands.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from report_builder.issues import BadInput, IssueCode, Location

MAX_EXPANDED = 100 * 2**20  # bytes one zip member or PDF stream may expand to (a report's text is a few MB)
MAX_TOTAL = 300 * 2**20  # bytes all members of one archive together (pictures included)
MAX_RATIO = 100  # expanded ÷ compressed: XML deflates 5–20 times, a bomb a thousand
RATIO_GRACE = 2**20  # bytes: a member smaller than this may compress as well as it likes
MAX_MEMBERS = 10_000  # an office file has dozens
_CHUNK = 2**16


def check_archive(
    path: Path, location: Location, limit: Callable[[str], int] = lambda name: MAX_EXPANDED
) -> None:
    """Raise BadInput when the zip at `path` would expand past the limits; return when a parser may open it.

    `limit(member name)` is what that member may expand to: a reader that parses some parts whole (a
    workbook's styles) allows them less than the parts it streams. A file that is not a zip, or a member whose
    data do not match its declared size, raises zipfile.BadZipFile, as opening it would: the caller reports a
    damaged file in its own words.
    """
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _too_large(location, f"压缩包内有 {len(members)} 个文件，超过上限 {MAX_MEMBERS}")
        declared = 0
        for member in members:
            _check_member(
                member.filename, member.file_size, member.compress_size, limit(member.filename), location
            )
            declared += member.file_size
        if declared > MAX_TOTAL:
            raise _too_large(location, f"解压后共 {_size(declared)}，超过上限 {_size(MAX_TOTAL)}")
        for member in members:
            with archive.open(member) as data:
                size = 0
                while chunk := data.read(_CHUNK):
                    size += len(chunk)
                    _check_member(
                        member.filename, size, member.compress_size, limit(member.filename), location
                    )


def inflate(data: bytes, what: str, location: Location) -> bytes | None:
    """A zlib stream expanded, or None when `data` is not one; BadInput when it expands past MAX_EXPANDED.

    Inflated a chunk at a time, so a bomb costs MAX_EXPANDED at most, never what it would expand to.
    """
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    try:
        part = inflater.decompress(data, _CHUNK)
        while True:
            size += len(part)
            if size > MAX_EXPANDED:
                raise _too_large(location, f"{what}解压后超过 {_size(MAX_EXPANDED)}")
            parts.append(part)
            if inflater.eof or not (part or inflater.unconsumed_tail):
                break
            part = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
    except zlib.error:
        if not parts:
            return None  # not deflated at all (a JPEG, encrypted data): nothing to bound
    return b"".join(parts)


def _check_member(name: str, expanded: int, compressed: int, cap: int, location: Location) -> None:
    if expanded > cap:
        raise _too_large(location, f"其中的 {name} 解压后达 {_size(expanded)}，超过上限 {_size(cap)}")
    if expanded > RATIO_GRACE and expanded > MAX_RATIO * max(compressed, 1):
        raise _too_large(
            location,
            f"其中的 {name} 压缩比超过 {MAX_RATIO} 倍（{_size(compressed)} 解压为 {_size(expanded)}）",
        )


def _size(size: int) -> str:
    return f"{size // 2**20} MB" if size >= 2**20 else f"{size // 2**10} KB"


def _too_large(location: Location, why: str) -> BadInput:
    return BadInput.of(IssueCode.EXPANDS_TOO_MUCH, location, why=why)
