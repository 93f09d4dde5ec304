"""Bytes to text and text to records: the encodings and CSV layouts exports come in.

:func:`decode_bytes` finds the encoding (BOM, strict UTF-8, UTF-16, the Windows
code pages Excel writes) and never fails on a stray byte; :func:`sniff_delimiter`
picks ``,``, ``;`` or tab. :mod:`cxkit.surveys.formats` builds on both.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from cxkit.errors import Problem, Reason, SurveyError, Words
from cxkit.i18n.messages import said
from cxkit.i18n.messages import word as worded

BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

DELIMITERS = (",", ";", "\t")
# Fallback code pages, in the order Excel users most often produce them here.
CODE_PAGES = ("cp1255", "cp1256", "cp1252")


def clean_text(value: object) -> str:
    """NFKC-normalise, drop HTML tags and bidi control marks, collapse whitespace."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = BIDI_MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip()


# --------------------------------------------------------------------------- encodings


def _encoding_name(codec: str) -> str:
    return codecs.lookup(codec).name


@dataclass
class Decoded:
    """A file's text as UTF-8 bytes, the encoding used, the other candidates and notes."""

    data: bytes
    encoding: str
    notes: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)  # other code pages that decode it


def decode_bytes(data: bytes, encoding: str | None, file: str) -> tuple[bytes, str, list[str]]:
    """Return (UTF-8 bytes without BOM, encoding used, notes); see :func:`decode`."""
    found = decode(data, encoding, file)
    return found.data, found.encoding, found.notes


def decode(data: bytes, encoding: str | None, file: str) -> Decoded:
    """Find the encoding and decode; never fails on a stray byte.

    Order: BOM (UTF-8, UTF-16), UTF-16 without BOM (by its zero bytes), strict
    UTF-8, then the Windows code pages Excel writes, chosen by the letters the
    text reads as (Hebrew, Arabic, Latin); the other code pages that decode the
    bytes are named. A few stray bytes in an otherwise UTF-8 file are replaced
    (and reported). NUL bytes (SurveyMonkey 2017 writes them) are removed.
    """
    notes: list[str] = []
    if encoding:
        try:
            name = _encoding_name(encoding)
        except LookupError:
            words = Words.of("unknown-encoding", encoding=encoding)
            problem = Problem(file, worded(words), Reason.BAD_VALUE, where="encoding", words=words)
            raise SurveyError([problem]) from None
        if name.startswith("utf-16") or name.startswith("utf-32"):
            data = _whole_units(data, 4 if name.startswith("utf-32") else 2, notes)
        text = data.decode(name, errors="replace")
        bad = text.count("\ufffd") - data.decode(name, errors="ignore").count("\ufffd")
        if bad:
            notes.append(said("note-replaced-in", n=bad, encoding=name))
        return _finish(text.lstrip("\ufeff"), name, notes)
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[3:], "utf-8-sig", notes)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        body = _whole_units(data, 2, notes)
        return _finish(body.decode("utf-16", errors="replace"), "utf-16", notes)
    no_bom = utf16_without_bom(data[:4096])
    if no_bom:
        notes.append(said("note-utf16-no-bom", encoding=no_bom))
        body = _whole_units(data, 2, notes)
        return _finish(body.decode(no_bom, errors="replace"), no_bom, notes)
    try:
        return _finish(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    multibyte = sum(1 for ch in loose if ord(ch) > 127) - bad
    if multibyte > 0 and bad <= max(3, multibyte // 100):
        line = loose[: loose.index("\ufffd")].count("\n") + 1
        notes.append(said("note-replaced-utf8-at", n=bad, line=line))
        return _finish(loose, "utf-8", notes)
    codec, others, why = choose_code_page(data)
    also = Words.of("note-also-decode", others=", ".join(others)) if others else None
    notes.append(said("note-code-page", encoding=codec, why=why, also=also))
    found = _finish(data.decode(codec, errors="replace"), codec, notes)
    found.alternatives = others
    return found


def _utf8(data: bytes, name: str, notes: list[str]) -> Decoded:
    try:
        return _finish(data.decode("utf-8"), name, notes)
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        notes.append(said("note-replaced-utf8", n=text.count(chr(0xFFFD))))
        return _finish(text, name, notes)


def _finish(text: str, name: str, notes: list[str]) -> Decoded:
    if "\x00" in text:
        notes.append(said("note-nul-removed", n=text.count(chr(0))))
        text = text.replace("\x00", "")
    return Decoded(text.encode("utf-8"), name, notes)


def _whole_units(data: bytes, unit: int, notes: list[str]) -> bytes:
    """Drop the bytes after the last whole code unit (an odd byte at the end of UTF-16)."""
    extra = len(data) % unit
    if extra:
        tail = data[-extra:].hex(" ")
        notes.append(said("note-cut-short", n=extra, tail=tail))
        return data[:-extra]
    return data


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` if zero bytes sit in every other position, else None."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


_SCRIPTS = {
    "cp1255": ("Hebrew", re.compile("[\u0590-\u05ff]")),
    "cp1256": ("Arabic", re.compile("[\u0600-\u06ff]")),
    "cp1252": ("Latin", re.compile("[\u00c0-\u024f]")),
}
_WORD = re.compile(r"[^\W\d_]+")


def choose_code_page(data: bytes) -> tuple[str, list[str], str]:
    """The Windows code page whose reading of ``data`` gives plausible words.

    Each candidate that decodes the bytes is scored by its odd words: words that
    mix scripts (Latin letters with Hebrew or Arabic ones) and Latin words made
    mostly of accented letters (how Hebrew or Arabic bytes read in cp1252). The
    fewest odd words wins; a tie goes to the code page whose own script the
    non-ASCII letters are. Returns (code page, the others that decode, why).
    """
    sample = data[:400_000]
    scored: list[tuple[int, int, int, str, str]] = []
    for rank, codec in enumerate(CODE_PAGES):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        script = _SCRIPTS[codec][0]
        odd = native = 0
        for word in _WORD.findall(text):
            if word.isascii():
                continue
            kinds = {name for name, rx in _SCRIPTS.values() if rx.search(word)}
            ascii_letters = sum(ch.isascii() for ch in word)
            mixed = len(kinds) > 1 or (kinds and kinds != {"Latin"} and ascii_letters)
            accented = kinds == {"Latin"} and len(word) > 1 and ascii_letters * 2 < len(word)
            if mixed or accented:
                odd += 1
            elif kinds == {script}:
                native += 1
        scored.append((odd, -native, rank, codec, script))
    if not scored:
        return CODE_PAGES[-1], [], "no code page decodes every byte"
    scored.sort()
    best = scored[0]
    why = f"its reading gives {best[4]} words"
    if best[0]:
        why += f", {best[0]} word(s) still odd"
    return best[3], [s[3] for s in scored[1:]], why


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


# --------------------------------------------------------------------------- limits

# Excel's own column limit; wide Qualtrics exports have a few thousand columns.
MAX_COLUMNS = 16_384
MAX_FIELD_BYTES = 1 << 20  # 1 MiB in one cell: far above any survey answer or question
MAX_HEADER_BYTES = 32 << 20  # the header rows together
SAMPLE_BYTES = 65536
_LIMIT_ENV = {
    "columns": ("CXKIT_MAX_COLUMNS", MAX_COLUMNS),
    "field": ("CXKIT_MAX_FIELD_BYTES", MAX_FIELD_BYTES),
    "header": ("CXKIT_MAX_HEADER_BYTES", MAX_HEADER_BYTES),
}


def limit(kind: str) -> int:
    """A reading limit (``columns``, ``field``, ``header``), raised by its environment variable."""
    name, default = _LIMIT_ENV[kind]
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def _limit_error(file: str, what: Words, kind: str, at: Words) -> SurveyError:
    """A file past one of the reading limits: what was found, the limit, how to raise it."""
    name, _ = _LIMIT_ENV[kind]
    words = Words.of("limit-exceeded", what=what, limit=f"{limit(kind):,}", env=name)
    return SurveyError(
        [Problem(file, worded(words), Reason.MALFORMED, where=worded(at), words=words, at=at)]
    )


_HEADER = Words.of("at-header")


def _row(n: int) -> Words:
    return Words.of("at-row-n", row=n)


def _line(n: int) -> Words:
    return Words.of("at-line-n", line=n)


def header_span(data: bytes, file: str, want: int = 6) -> int:
    """Bytes that hold the first ``want`` records whole (or the whole file), however long.

    Header rows of wide exports run to hundreds of KB; the span grows until it
    holds them. Raises :class:`SurveyError` past the header or column limit.
    """
    size = SAMPLE_BYTES
    columns = limit("columns")
    csv.field_size_limit(limit("field"))
    while True:
        chunk = data[:size]
        whole = size >= len(data)
        first = chunk.split(b"\n", 1)[0]
        if max(first.count(d.encode()) for d in DELIMITERS) >= columns:
            _check_wide(first, file, columns, whole=b"\n" in chunk)
        found = _complete_records(chunk, file)
        # Past a cell's worth of bytes the rest is data (two whole records already),
        # which the body reader checks against the limits.
        if whole or found >= want or (found >= 2 and size > limit("field")):
            return len(chunk)
        if size >= limit("header"):
            what = Words.of("limit-header-bytes", want=want, size=f"{size:,}")
            raise _limit_error(file, what, "header", _HEADER)
        size *= 2


def _check_wide(line: bytes, file: str, columns: int, *, whole: bool) -> None:
    text = line.decode("utf-8", errors="ignore")
    delim = max(DELIMITERS, key=text.count)
    reader = csv.reader([text], delimiter=delim)
    try:
        count = len(next(reader))
    except (csv.Error, StopIteration):
        count = text.count(delim) + 1
    if count > columns:
        many = (
            Words.of("limit-header-columns", n=f"{count:,}")
            if whole
            else Words.of("limit-header-columns-more", n=f"{count - 1:,}", size=f"{len(line):,}")
        )
        raise _limit_error(file, many, "columns", _row(1))


def _complete_records(chunk: bytes, file: str) -> int:
    """Records that end inside ``chunk`` (a cut-off last line does not count)."""
    text = chunk.decode("utf-8", errors="ignore")
    end = text.rfind("\n")
    if end < 0:
        return 0
    count = 0
    try:
        for _ in csv.reader(io.StringIO(text[: end + 1], newline="")):
            count += 1
    except csv.Error as exc:
        if "field larger" in str(exc):
            what = Words.of("limit-header-cell")
            raise _limit_error(file, what, "field", _HEADER) from None
    return count


def check_columns(records: list[list[str]], file: str) -> None:
    """Refuse a header wider than the column limit."""
    for i, rec in enumerate(records):
        if len(rec) > limit("columns"):
            what = (
                Words.of("limit-header-columns", n=f"{len(rec):,}")
                if i == 0  # below, the head read may cut a row short: "at least"
                else Words.of("limit-row-fields-least", n=f"{len(rec):,}")
            )
            raise _limit_error(file, what, "columns", _row(i + 1))


def check_fields(body: bytes | memoryview, delim: str, file: str, first_line: int) -> None:
    """Refuse a cell longer than the field limit (measured between separators)."""
    most = limit("field")
    if len(body) <= min(most, limit("columns")):
        return
    import numpy as np

    arr = np.frombuffer(body, dtype=np.uint8)
    is_delim = arr == ord(delim)
    newlines = np.flatnonzero(arr == 10)
    delims = np.flatnonzero(is_delim)
    if delims.size:  # delimiters per line: the line each one falls on, counted
        per_line = np.bincount(np.searchsorted(newlines, delims))
        wide = int(np.argmax(per_line))
        if per_line[wide] >= limit("columns"):
            what = Words.of("limit-row-fields", n=f"{int(per_line[wide]) + 1:,}")
            raise _limit_error(file, what, "columns", _line(first_line + wide))
    seps = np.flatnonzero(is_delim | (arr == 10))
    edges = np.concatenate([[-1], seps, [len(arr)]])
    gaps = np.diff(edges) - 1
    worst = int(np.argmax(gaps))
    if gaps[worst] > most:
        line = first_line + int(np.count_nonzero(arr[: edges[worst] + 1] == 10))
        what = Words.of("limit-cell-bytes", n=f"{int(gaps[worst]):,}")
        raise _limit_error(file, what, "field", _line(line))
