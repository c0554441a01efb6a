"""Items 4 (audit part), 12 and 17 (encrypted PDF) of the hardening issue: what `audit` reads costs what the
report is worth, never more."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import docx

from tests.hostile.conftest import run_cli

FIGURES = 100_000


def test_a_sentence_of_100k_figures_is_audited_in_seconds(tmp_path: Path) -> None:
    counts = [i % 90 + 1 for i in range(1, FIGURES + 1)]
    listed = "，".join(f"{i}村{n}人" for i, n in enumerate(counts, 1))
    report = tmp_path / "长句.txt"
    report.write_text(f"全县各村低保对象{listed}，合计{sum(counts)}人。\n", encoding="utf-8")
    run = run_cli("audit", report, timeout=60)
    run.ended(0, "一致 1 处", f"总数 {sum(counts)}人")
    assert run.seconds < 10, run.seconds
    assert run.peak_mb < 500, run.peak_mb
    assert len(run.stdout) < 2000  # the sentence is quoted around the figure, not whole


def _deflated(head: bytes, filler: bytes, megabytes: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + about `megabytes` MB of `filler` repeated + tail, made in a second: one flushed block
    of a megabyte of filler, repeated (after a full flush a block starts afresh). Returns (data, crc32, size)."""
    chunk = filler * (2**20 // len(filler))

    def block(data: bytes, final: bool) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    data = block(head, final=False) + block(chunk, final=False) * megabytes + block(tail, final=True)
    return data, crc, len(head) + megabytes * len(chunk) + len(tail)


def _write_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> None:
    """A zip of already deflated members (name → data, crc32, size), written by hand: zipfile cannot take them."""
    body, directory = b"", b""
    for name, (data, crc, size) in members.items():
        raw = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(data), size)
        directory += (
            b"PK\1\2"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(raw), 0, 0, 0, 0, 0, len(body))
            + raw
        )
        body += b"PK\3\4" + fields + struct.pack("<HH", len(raw), 0) + raw + data
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), len(body), 0)
    path.write_bytes(body + directory + b"PK\5\6" + end)


def test_a_docx_whose_text_expands_to_2_gb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    with zipfile.ZipFile(plain) as model:
        members = {}
        for name in model.namelist():
            data = model.read(name)
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            members[name] = (packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))
    members["word/document.xml"] = _deflated(
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>',
        b"<w:p/>",
        2048,
        "<w:p><w:r><w:t>全县共有特困人员3054人。</w:t></w:r></w:p></w:body></w:document>".encode(),
    )
    bomb = tmp_path / "炸弹.docx"
    _write_zip(bomb, members)
    assert bomb.stat().st_size < 8 * 2**20
    run = run_cli("audit", bomb)
    run.ended(2, "炸弹.docx", "解压后过大", "word/document.xml")
    assert run.seconds < 10, run.seconds
    assert run.peak_mb < 500, run.peak_mb


def test_a_pdf_whose_page_expands_to_2_gb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    deflated, _, _ = _deflated(b"BT ", b" ", 2048, b" ET")
    stream = b"\x78\xda" + deflated + b"\0\0\0\0"  # the zlib wrapper; its checksum is never reached
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    bomb = tmp_path / "炸弹.pdf"
    bomb.write_bytes(_pdf(objects))
    run = run_cli("audit", bomb)
    run.ended(2, "炸弹.pdf", "解压后过大", "PDF 中的数据流")
    assert run.seconds < 10, run.seconds
    assert run.peak_mb < 500, run.peak_mb


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return out


def test_an_encrypted_pdf_is_called_encrypted_not_damaged(tmp_path: Path) -> None:
    """An open password (the user password is not empty): the security handler refuses the empty one."""
    locked = tmp_path / "加密.pdf"
    secret = bytes(range(32))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <%s> /U <%s> >>"
        % (secret.hex().encode(), secret[::-1].hex().encode()),
    ]
    locked.write_bytes(
        _pdf(
            objects,
            b"/Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ",
        )
    )
    run = run_cli("audit", locked)
    run.ended(2, "加密.pdf", "已加密", "另存为未加密")
    assert "损坏" not in run.output


def test_an_encrypted_word_document_is_called_encrypted(tmp_path: Path) -> None:
    """Word saves a document with a password as an OLE compound file, not a zip."""
    locked = tmp_path / "加密.docx"
    locked.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4096))
    run_cli("audit", locked).ended(2, "加密.docx", "已加密")
