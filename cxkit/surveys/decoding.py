"""Bytes to text and text to records: the encodings and CSV layouts exports come in.

:func:`decode_bytes` finds the encoding (BOM, strict UTF-8, UTF-16, the Windows
code pages Excel writes) and never fails on a stray byte; :func:`sniff_delimiter`
picks ``,``, ``;`` or tab. :mod:`cxkit.surveys.formats` builds on both.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from cxkit.errors import Problem, Reason, SurveyError

DELIMITERS = (",", ";", "\t")
# Fallback code pages, in the order Excel users most often produce them here.
CODE_PAGES = ("cp1255", "cp1256", "cp1252")


# --------------------------------------------------------------------------- encodings


def _encoding_name(codec: str) -> str:
    return codecs.lookup(codec).name


def decode_bytes(data: bytes, encoding: str | None, file: str) -> tuple[bytes, str, list[str]]:
    """Return (UTF-8 bytes without BOM, encoding used, notes).

    Order: BOM (UTF-8, UTF-16), strict UTF-8, UTF-16 without BOM, then the
    Windows code pages Excel writes, arbitrated by charset-normalizer. A few
    stray bytes in an otherwise UTF-8 file are replaced (and reported), never fatal.
    """
    notes: list[str] = []
    if encoding:
        try:
            name = _encoding_name(encoding)
        except LookupError:
            raise SurveyError(
                [
                    Problem(
                        file, f"unknown encoding '{encoding}'", Reason.BAD_VALUE, where="encoding"
                    )
                ]
            ) from None
        text = data.decode(name, errors="replace")
        bad = text.count("\ufffd") - data.decode(name, errors="ignore").count("\ufffd")
        if bad:
            notes.append(f"{bad} byte(s) not valid in {name} were replaced by '\ufffd'")
        return text.lstrip("\ufeff").encode("utf-8"), name, notes
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[3:], "utf-8-sig", notes)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return text.encode("utf-8"), "utf-16", notes
    try:
        data.decode("utf-8")
        return data, "utf-8", notes
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    if head and head.count(0) > len(head) // 4:
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec, errors="replace").encode("utf-8"), codec, notes
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    multibyte = sum(1 for ch in loose if ord(ch) > 127) - bad
    if multibyte > 0 and bad <= max(3, multibyte // 100):
        line = loose[: loose.index("\ufffd")].count("\n") + 1
        notes.append(
            f"{bad} byte(s) not valid UTF-8 were replaced by '\ufffd' (first on line {line})"
        )
        return loose.encode("utf-8"), "utf-8", notes
    codec = _arbitrate(data)
    notes.append(f"not UTF-8; decoded as {codec}")
    text = data.decode(codec, errors="replace")
    return text.encode("utf-8"), codec, notes


def _arbitrate(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(CODE_PAGES)).best()
    if best is None:
        return CODE_PAGES[0]
    return _encoding_name(best.encoding)


def _utf8(data: bytes, name: str, notes: list[str]) -> tuple[bytes, str, list[str]]:
    try:
        data.decode("utf-8")
        return data, name, notes
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        notes.append(f"{text.count(chr(0xFFFD))} byte(s) not valid UTF-8 were replaced")
        return text.encode("utf-8"), name, notes


# --------------------------------------------------------------------------- CSV layout


def sniff_delimiter(sample: str) -> str:
    """``,``, ``;`` or tab: the one that splits the first records most, consistently."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and len(sample) >= 65536:
        lines = lines[:-1]  # the last line of a truncated sample may be cut short
    best, best_key = ",", (False, 1)
    for delim in DELIMITERS:
        counts = [len(r) for r in first_records(iter(lines), delim, 6)]
        if not counts or counts[0] < 2:
            continue
        key = (len(set(counts)) == 1, counts[0])
        if key > best_key:
            best, best_key = delim, key
    return best


def first_records(lines: Iterator[str], delim: str, limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    try:
        for rec in csv.reader(lines, delimiter=delim):
            if not rec or all(not c.strip() for c in rec):
                continue
            out.append(rec)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def header_records(data: bytes, delim: str, count: int) -> tuple[list[list[str]], int, int]:
    """The first ``count`` records, the byte offset just after them, and file lines used."""
    consumed = 0
    lines_used = 0
    buf = io.BytesIO(data)

    def lines() -> Iterator[str]:
        nonlocal consumed, lines_used
        for raw in buf:
            consumed += len(raw)
            lines_used += 1
            yield raw.decode("utf-8")

    records: list[list[str]] = []
    reader = csv.reader(lines(), delimiter=delim)
    for rec in reader:
        records.append(rec)
        if len(records) >= count:
            break
    return records, consumed, lines_used
