"""Office packages (DOCX, XLSX) that are the same bytes whenever they hold the same content.

A ZIP stamps every entry with the time it was written, and openpyxl stamps the workbook's core properties with
the time it was saved; a batch compares a region's files across runs and machines, and a reviser compares two
builds, so both stamps are set from the document's own date instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

CORE_PART = "docProps/core.xml"
_CORE_STAMP = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def stable_zip(data: bytes, date: dt.date) -> bytes:
    """Re-pack with every entry dated `date` and the core properties' created/modified set to it."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    when = f"{date.isoformat()}T00:00:00Z".encode("ascii")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            part = source.read(info.filename)
            if info.filename == CORE_PART:
                part = _CORE_STAMP.sub(lambda m: m[1] + when + m[2], part)
            target.writestr(entry, part)
    return out.getvalue()
