"""Whether any installed font can draw a character: a 名称 with an emoji or a rare sign prints as a box in
the PDF (and is left out of the charts) when no font has it, so `validate` says so before a report is built.

On the ground floor because the loader checks names while reading and must not depend on the renderers.
Asks fontconfig (`fc-list :charset=…`), which is what WeasyPrint uses to pick fonts; without fontconfig
(Windows) nothing can be said and nothing is reported. The characters every Chinese font has are not asked.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

_COMMON = (
    (0x20, 0x7E),  # ASCII
    (0x3000, 0x303F),  # CJK punctuation
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xFF00, 0xFFEF),  # full-width forms
)


def missing_from_fonts(text: str) -> str:
    """The characters of `text` no installed font has, in order, once each ("" when fontconfig is absent)."""
    if shutil.which("fc-list") is None:
        return ""
    asked = dict.fromkeys(ch for ch in text if not any(lo <= ord(ch) <= hi for lo, hi in _COMMON))
    return "".join(ch for ch in asked if ch.isprintable() and not _has_font(ord(ch)))


@functools.cache
def _has_font(code_point: int) -> bool:
    try:
        out = subprocess.run(
            ["fc-list", f":charset={code_point:x}", "family"], capture_output=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # cannot tell: say nothing rather than cry wolf
    return bool(out.strip())
