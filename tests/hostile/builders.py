"""Hostile inputs, built at test time (never committed): bombs, deep nesting, paths out.

Shared by the hostile tests and ``benchmarks/bench_hostile.py`` (which times them).
Each builder writes into a folder it is given and returns the path to hand to cxkit.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from openpyxl import Workbook as XlWorkbook

GOOD = "cxkit: 1\nclient:\n  name: Acme\n"
MB = 1 << 20


def client(folder: Path, text: str = GOOD) -> Path:
    """A client folder holding ``workbook.yml`` with ``text``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workbook.yml").write_text(text, "utf-8")
    return folder


def alias_bomb(folder: Path, levels: int = 9) -> Path:
    """ "Billion laughs": 10 aliases per level, 10**levels strings once expanded."""
    lines = [GOOD.rstrip(), "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        refs = ", ".join([f"*lol{i - 1}"] * 10)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    return client(folder, "\n".join(lines) + "\n")


def big_yaml(folder: Path, size: int = 200 * MB) -> Path:
    """A workbook.yml of ``size`` bytes: a valid start, then a sparse tail of zeros (the
    file system stores almost nothing; cxkit sees its full size)."""
    client(folder)
    with (folder / "workbook.yml").open("r+b") as fh:
        fh.truncate(size)
    return folder


def real_big_yaml(folder: Path, size: int = 6 * MB) -> Path:
    """A workbook.yml just over ``size`` bytes of real YAML (comment lines)."""
    line = "# " + "x" * 97 + "\n"
    return client(folder, GOOD + line * (size // len(line) + 1))


def many_personas(folder: Path, size: int = 995_000) -> Path:
    """A valid workbook of about ``size`` bytes (just under the 1 MB limit by default):
    personas with goals and quotes, the heaviest honest load for the YAML parser."""
    parts, total, i = [GOOD + "personas:\n"], len(GOOD) + 10, 0
    while total < size - 300:
        part = (
            f"  - id: p{i}\n    name: Persona number {i} with a longer name\n"
            "    goals: [Renew without a call, Get a card fast, Pay less]\n"
            '    quote: "I just want this to work, every single time, without calling."\n'
        )
        parts.append(part)
        total, i = total + len(part), i + 1
    return client(folder, "".join(parts))


def many_personas_xlsx(path: Path, size: int = 9_900_000) -> Path:
    """An Excel workbook (the template's sheets) that unzips to just under ``size`` bytes:
    a Client sheet and personas until the sheet XML is that large."""
    import zipfile

    from cxkit.workbook.excel import SHEETS

    def build(rows: int) -> int:
        book = XlWorkbook(write_only=True)
        for name, cols in SHEETS.items():
            ws = book.create_sheet(name)
            ws.append([c.name for c in cols])
            if name == "Client":
                ws.append(["cxkit", 1])
                ws.append(["name", "Acme"])
            if name == "Personas":
                for i in range(rows):
                    ws.append([f"p{i}", f"Persona {i}", "I want it to just work. " * 2])
        book.save(path)
        with zipfile.ZipFile(path) as zf:
            return sum(i.file_size for i in zf.infolist())

    per_row = build(1000) / 1000
    build(int(size / per_row * 0.97))
    return path


def deep_flow_yaml(folder: Path, depth: int = 100_000) -> Path:
    """``x: [[[[...]]]]`` nested ``depth`` times."""
    return client(folder, GOOD + "x: " + "[" * depth + "]" * depth + "\n")


def deep_block_yaml(folder: Path, depth: int = 1_000) -> Path:
    """Block mappings nested ``depth`` times by indentation."""
    lines = [GOOD.rstrip()]
    lines += [" " * i + f"k{i}:" for i in range(depth)]
    lines.append(" " * depth + "v")
    return client(folder, "\n".join(lines) + "\n")


# --------------------------------------------------------------------------- zip bombs


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(), zlib.crc32(data), len(data)


def write_zip(path: Path, members: list[tuple[str, tuple[bytes, int, int]]]) -> Path:
    """A zip of already deflated members (name, (data, crc, size)); sizes under 4 GiB."""
    out = io.BytesIO()
    central = []
    for name, (data, crc, size) in members:
        raw = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(raw), 0
            )
        )
        out.write(raw + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
        )
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0
        )
    )
    path.write_bytes(out.getvalue())
    return path


def xlsx_bomb(path: Path, sheet_bytes: int = 2048 * MB) -> Path:
    """A real .xlsx (made by openpyxl) whose first sheet gets ``sheet_bytes`` of XML
    whitespace inside: valid XML, and about 2 MB on disk for a 2 GB sheet.

    The padding is one deflate block for 1 MB of spaces, ended by a full flush so that
    it stands alone, repeated: the stream is built without ever holding 2 GB.
    """
    import zipfile

    book = XlWorkbook()
    book.active.title = "Client"
    buf = io.BytesIO()
    book.save(buf)
    members = []
    with zipfile.ZipFile(buf) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                members.append((info.filename, _deflate(data)))
                continue
            head, _, tail = data.partition(b"<sheetData")
            tail = b"<sheetData" + tail
            chunk, times = b" " * MB, max(1, sheet_bytes // MB)
            co = zlib.compressobj(9, zlib.DEFLATED, -15)
            first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
            pad = zlib.compressobj(9, zlib.DEFLATED, -15)
            block = pad.compress(chunk) + pad.flush(zlib.Z_FULL_FLUSH)
            end = zlib.compressobj(9, zlib.DEFLATED, -15)
            last = end.compress(tail) + end.flush()
            crc = zlib.crc32(head)
            for _ in range(times):
                crc = zlib.crc32(chunk, crc)
            crc = zlib.crc32(tail, crc)
            size = len(head) + times * MB + len(tail)
            members.append((info.filename, (first + block * times + last, crc, size)))
    return write_zip(path, members)


def fifo(path: Path) -> Path:
    """A named pipe: opening it for reading blocks until someone writes."""
    os.mkfifo(path)
    return path


# --------------------------------------------------------------------------- running


def cli(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """The real ``cxkit`` in a subprocess, as a user runs it; ``timeout`` is generous (a
    hang fails the test instead of stalling the suite)."""
    from tests.conftest import ROOT

    base = {
        "COLUMNS": "200",
        "PATH": "/usr/bin:/bin",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPATH": str(ROOT),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
    }
    return subprocess.run(
        [sys.executable, "-m", "cxkit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        encoding="utf-8",
        env={**base, **(env or {})},
        timeout=timeout,
    )


def lines(text: str) -> list[str]:
    """Non-empty lines of a command's output."""
    return [line for line in text.splitlines() if line.strip()]
