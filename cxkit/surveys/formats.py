"""Reading survey exports as the tools write them: bytes -> text -> header rows -> table.

This module knows file layouts (encodings, delimiters, header rows) and nothing
about what the answers mean; :mod:`cxkit.surveys.responses` interprets them. The public
entry point is :func:`read_survey` (re-exported by :mod:`cxkit.surveys.responses`).

>>> raw = read_survey("tests/fixtures/surveys/generic.csv")  # doctest: +SKIP
>>> raw.format, raw.encoding, raw.rows                       # doctest: +SKIP
(<SurveyFormat.GENERIC: 'generic'>, 'utf-8', 12)
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from cxkit.errors import Problem, Reason, SurveyError, Words, did_you_mean
from cxkit.i18n.messages import said, word
from cxkit.surveys._fast import pooled
from cxkit.surveys._fast.csv_arrow import read_body, read_table
from cxkit.surveys.decoding import BIDI_MARKS as BIDI_MARKS  # re-exported (themes)
from cxkit.surveys.decoding import (
    SAMPLE_BYTES,
    check_columns,
    check_fields,
    clean_text,
    decode,
    first_records,
    header_records,
    header_span,
    limit,
    sniff_delimiter,
    utf16_without_bom,
)
from cxkit.surveys.layouts import Layout, detect_layout
from cxkit.workbook.model import SurveyFormat

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


@dataclass
class RawSurvey:
    """A survey export as read: the table, its layout, and what the reader decided.

    ``df`` has one column per export column, named by its *column id* (Qualtrics
    ``Q1``; for other tools the cleaned header text), with values as the file
    holds them (numbers where the whole column is numeric, text otherwise; blanks
    are missing). ``questions`` maps each column id to its question text.
    ``row_numbers`` gives each row's 1-based row in the file (as a spreadsheet
    shows it), so messages can point at it. ``notes`` lists repairs and choices
    the reader made (encoding fallbacks, replaced bytes, skipped empty rows).
    """

    path: Path
    format: SurveyFormat
    encoding: str
    df: pd.DataFrame
    questions: dict[str, str]
    header_rows: int
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    first_data_row: int = 2
    row_numbers: np.ndarray | None = field(default=None, repr=False)
    layout: str = "generic"  # the tool's layout: "qualtrics-legacy", "surveymonkey-2017", ...
    layout_reason: str = ""  # why, in words ("row 3 holds Qualtrics' ImportId JSON")
    encoding_alternatives: list[str] = field(default_factory=list)  # other code pages

    @property
    def rows(self) -> int:
        return len(self.df)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.df.columns]

    def resolve(self, name: str, *, role: str | None = None) -> str:
        """The column id for ``name``, given as a column id or its question text.

        Matching is exact first, then after cleaning (case, HTML, bidi marks,
        whitespace). Raises :class:`SurveyError` naming the file, with the
        closest column as a suggestion.
        """
        if name in self.df.columns:
            return name
        want = clean_text(name).casefold()
        for col in self.columns:
            if clean_text(col).casefold() == want:
                return col
        for col, question in self.questions.items():
            if clean_text(question).casefold() == want:
                return col
        hit = self._closest(name)
        words = Words.of(
            "column-not-found",
            name=name,
            role=Words.of("for-role", role=role) if role else None,
            hint=Words.of("did-you-mean", suggestion=hit) if hit else None,
            columns=", ".join(f"'{c}'" for c in self.columns[:12]),
            more=", ..." if len(self.columns) > 12 else "",
        )
        raise SurveyError(
            [
                Problem(
                    str(self.path),
                    word(words),
                    Reason.MISSING_COLUMN,
                    where=f"header rows 1-{self.header_rows}"
                    if self.header_rows > 1
                    else "header row",
                    words=words,
                )
            ]
        )

    def _closest(self, name: str) -> str | None:
        """The column a mistyped name most likely meant: by id, question, or one word."""
        choices = self.columns + list(self.questions.values())
        hit = did_you_mean(name, choices)
        if hit is None:
            want = clean_text(name).casefold()
            for col in self.columns:
                text = clean_text(f"{col} {self.questions.get(col, '')}").casefold()
                words = text.split()
                if want and (
                    want in text
                    or did_you_mean(want, words)
                    or any(len(w) > 2 and w in words for w in want.split())
                ):
                    return col
            return None
        if hit not in self.df.columns:
            hit = next(c for c, q in self.questions.items() if q == hit)
        return hit


# --------------------------------------------------------------------------- reading


def read_survey(
    path: str | Path,
    *,
    format: SurveyFormat | str = SurveyFormat.AUTO,
    encoding: str | None = None,
    sheet: str | None = None,
) -> RawSurvey:
    """Read a survey export as the tool wrote it.

    ``format`` is detected from the header rows unless given (``"qualtrics"``,
    ``"surveymonkey"``, ``"google-forms"``, ``"typeform"``, ``"microsoft-forms"``,
    ``"generic"``). ``encoding`` is detected for CSV unless given. ``sheet`` picks
    an Excel sheet (default: the first). Raises :class:`SurveyError` for a
    missing, empty, malformed or oversized file; never for a stray byte.
    """
    p = Path(path)
    fmt = SurveyFormat(format)
    if not p.is_file():
        raise SurveyError([_problem(p, Reason.FILE_NOT_FOUND, Words("survey-not-found"))])
    if p.suffix.lower() in EXCEL_SUFFIXES:
        raw = _read_excel(p, fmt, sheet)
    else:
        raw = _read_text(p, fmt, encoding)
    _drop_padding(raw)
    return raw


def _read_text(p: Path, fmt: SurveyFormat, encoding: str | None) -> RawSurvey:
    with p.open("rb") as f:
        start = f.read(SAMPLE_BYTES)
        if not start or (start.isspace() and p.read_bytes().isspace()):
            raise SurveyError([_problem(p, Reason.MALFORMED, Words("file-empty"))])
        direct = (
            encoding is None
            and not start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            and utf16_without_bom(start[:4096]) is None
            and b"\x00" not in start
        )
        if direct:
            start = _grow_head(f, start, str(p))
    if direct:
        raw = _read_utf8_direct(p, fmt, start)
        if raw is not None:
            return raw
    found = decode(p.read_bytes(), encoding, str(p))
    data = found.data

    def parse(offset: int, ids: list[str], delim: str, first: int) -> pd.DataFrame:
        body = memoryview(data)[offset:]
        check_fields(body, delim, str(p), first)
        quoted = data.find(b'"', offset) >= 0  # (`in` on a memoryview compares single bytes)
        return _parse_csv(p, body, ids, delim, first, quoted=quoted)

    head = data[: header_span(data, str(p))]
    raw = _layout_and_parse(p, fmt, head, found.encoding, found.notes, parse)
    raw.encoding_alternatives = found.alternatives
    return raw


def _grow_head(f: BinaryIO, start: bytes, file: str) -> bytes:
    """Read on until the first records are whole (wide header rows run past 64 KB)."""
    head = start
    while True:
        span = header_span(head, file)
        if span < len(head) or len(head) % SAMPLE_BYTES:
            return head
        if len(head) >= limit("header"):
            header_span(head + b"\0" * len(head), file)  # raises: past the header limit
        more = f.read(len(head))
        if not more:
            return head
        head += more


def _layout_and_parse(
    p: Path,
    fmt: SurveyFormat,
    head: bytes,
    used: str,
    notes: list[str],
    parse: Callable[[int, list[str], str, int], pd.DataFrame],
) -> RawSurvey:
    """Delimiter, format and header rows from the first records; ``parse`` reads the body."""
    sample = head.decode("utf-8", errors="ignore")
    delim = sniff_delimiter(sample)
    records = first_records(iter(sample.splitlines(keepends=True)), delim, 6)
    check_columns(records, str(p))
    layout = detect_layout(records, fmt)
    _, offset, lines_used = header_records(head, delim, layout.header_rows)
    df = parse(offset, layout.ids, delim, lines_used + 1)
    return _raw(p, layout, df, used, notes, delimiter=delim)


def _raw(
    p: Path,
    layout: Layout,
    df: pd.DataFrame,
    encoding: str,
    notes: list[str],
    **extra: Any,
) -> RawSurvey:
    if layout.drop:
        df = df.drop(columns=[c for c in layout.drop if c in df.columns])
        for c in layout.drop:
            layout.questions.pop(c, None)
    return RawSurvey(
        path=p,
        format=layout.format,
        encoding=encoding,
        df=df,
        questions=layout.questions,
        header_rows=layout.header_rows,
        notes=notes,
        first_data_row=extra.pop("first_data_row", layout.header_rows + 1),
        layout=layout.name,
        layout_reason=layout.reason,
        **extra,
    )


def _read_utf8_direct(p: Path, fmt: SurveyFormat, start: bytes) -> RawSurvey | None:
    """The fast path for the common case: a UTF-8 file pyarrow parses as it stands.

    pyarrow reads the file itself (:func:`cxkit.surveys._fast.csv_arrow.read_body`), and a text
    column with bytes that are not UTF-8 comes back as binary, so a clean result
    proves the file was UTF-8. Anything else returns None and the caller takes the
    careful path (encoding detection, the tolerant parser).
    """
    bom = len(codecs.BOM_UTF8) if start.startswith(codecs.BOM_UTF8) else 0
    head = start[bom:]
    cut = len(start) % SAMPLE_BYTES == 0  # the head may end inside a record
    if cut:
        head = head[: head.rfind(b"\n") + 1]

    def parse(offset: int, ids: list[str], delim: str, first: int) -> pd.DataFrame:
        if len(head) <= offset and cut:
            raise _Decline("header rows longer than the head read")
        df = read_body(p, bom + offset, ids, delim)
        if df is None:
            raise _Decline("pyarrow declined the body")
        return df

    try:
        head.decode("utf-8")  # the header rows: strict, as the body is checked by pyarrow
        return _layout_and_parse(p, fmt, head, "utf-8-sig" if bom else "utf-8", [], parse)
    except (UnicodeDecodeError, _Decline):
        return None


class _Decline(Exception):
    """The fast path steps aside for the careful one."""


def _parse_csv(
    p: Path,
    body: memoryview,
    ids: list[str],
    delim: str,
    first_line: int,
    *,
    quoted: bool,
) -> pd.DataFrame:
    if not body or (bytes(body[:4096]).isspace() and bytes(body).isspace()):
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ids})
    # pyarrow is several times faster; it declines ragged rows and columns whose type
    # changes after the first block, which the C parser then handles (as text).
    import pyarrow as pa

    source = pa.BufferReader(pa.py_buffer(body))  # zero-copy view of the bytes
    df = read_table(source, ids, delim, quoted=quoted)
    if df is not None:
        return df
    try:
        return pd.read_csv(
            io.BytesIO(body),
            header=None,
            names=ids,
            sep=delim,
            dtype=str,
            index_col=False,
            skip_blank_lines=False,  # a blank line is a spreadsheet row: later rows keep numbers
            encoding="utf-8",
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+), saw (\d+)", str(exc))
        if found:
            at = Words.of("at-line-n", line=int(found.group(1)) + first_line - 1)
            words = Words.of("row-fields", got=found.group(2), header=len(ids))
            problem = _problem(p, Reason.MALFORMED, words, at)
        else:
            words = Words.of("not-csv", delimiter=repr(delim), detail=str(exc))
            problem = _problem(p, Reason.MALFORMED, words)
        raise SurveyError([problem]) from None


def _problem(p: Path, reason: Reason, words: Words, at: Words | None = None) -> Problem:
    """A problem of the export at ``p``, worded from a template (its English made here)."""
    where = word(at) if at is not None else ""
    return Problem(str(p), word(words), reason, where=where, words=words, at=at)


def _read_excel(p: Path, fmt: SurveyFormat, sheet: str | None) -> RawSurvey:
    check_zip(p)
    try:
        book = pd.ExcelFile(p, engine="calamine")  # Rust reader: ~15x openpyxl, same cells
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, ...
        words = Words.of("not-readable-excel", detail=str(exc))
        raise SurveyError([_problem(p, Reason.MALFORMED, words)]) from None
    names = [str(s) for s in book.sheet_names]
    if sheet is not None and sheet not in names:
        hit = did_you_mean(sheet, names)
        words = Words.of(
            "sheet-not-found",
            sheet=sheet,
            hint=Words.of("did-you-mean", suggestion=hit) if hit else None,
            sheets=", ".join(names),
        )
        raise SurveyError([_problem(p, Reason.MISSING_SHEET, words)])
    chosen = sheet if sheet is not None else names[0]
    notes: list[str] = (
        []
        if len(names) == 1 or sheet
        else [said("note-read-sheet", sheet=chosen, others=", ".join(names[1:]))]
    )
    grid = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    grid = grid.dropna(how="all")
    if grid.shape[1] > limit("columns"):
        check_columns([[""] * grid.shape[1]], str(p))
    sheet_rows = grid.index.to_numpy() + 1
    grid = grid.reset_index(drop=True)
    head = [
        ["" if pd.isna(v) else str(v) for v in row] for row in grid.head(6).itertuples(index=False)
    ]
    layout = detect_layout(head, fmt)
    n = layout.header_rows
    ids = layout.ids
    body = grid.iloc[n:].reset_index(drop=True)
    body.columns = pd.Index(
        ids[: body.shape[1]] + [f"column {i + 1}" for i in range(len(ids), body.shape[1])]
    )
    body = body.infer_objects()
    for col in body.columns:
        if body[col].dtype == object and body[col].map(lambda v: isinstance(v, str)).all():
            body[col] = body[col].astype("str")
    return _raw(
        p,
        layout,
        body,
        "xlsx",
        notes,
        sheet=chosen,
        first_data_row=int(sheet_rows[n]) if len(sheet_rows) > n else n + 1,
        row_numbers=sheet_rows[n:],
    )


# A sheet's XML is rarely over 30x smaller zipped; a bomb is thousands of times.
MAX_ZIP_RATIO = 200
MAX_UNZIPPED_BYTES = 1 << 30  # 1 GiB of sheet XML: some 5 million survey rows


def check_zip(p: Path) -> None:
    """Refuse a spreadsheet whose zip declares too much data, before any sheet is read.

    The declared (central directory) sizes are checked: the total against
    :data:`MAX_UNZIPPED_BYTES` and each member's ratio against :data:`MAX_ZIP_RATIO`
    (members under 1 MB are exempt: tiny files compress well).
    """
    import zipfile

    if p.suffix.lower() == ".xls":
        return  # the old binary format is no zip
    try:
        with zipfile.ZipFile(p) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        words = Words.of("not-readable-excel", detail=str(exc))
        raise SurveyError([_problem(p, Reason.MALFORMED, words)]) from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        words = Words.of("unpacks-to", size=f"{total:,}", limit=f"{MAX_UNZIPPED_BYTES:,}")
        raise SurveyError([_problem(p, Reason.MALFORMED, words)])
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > 1 << 20 and ratio > MAX_ZIP_RATIO:
            words = Words.of(
                "unpacks-ratio",
                name=m.filename,
                ratio=f"{ratio:,.0f}",
                size=f"{m.file_size:,}",
                limit=MAX_ZIP_RATIO,
            )
            raise SurveyError([_problem(p, Reason.MALFORMED, words)])


def _drop_padding(raw: RawSurvey) -> None:
    """Drop unnamed all-blank columns (Qualtrics' trailing comma) and all-blank rows."""
    df = raw.df
    pad = [c for c in df.columns if str(c).startswith("column ") and df[c].isna().all()]
    if pad:
        df = df.drop(columns=pad)
        for c in pad:
            raw.questions.pop(str(c), None)
    if raw.row_numbers is None:
        raw.row_numbers = pooled.arange(raw.first_data_row, raw.first_data_row + len(df))
    blank = _blank_rows(df)
    if blank is not None and blank.any():
        raw.notes.append(said("note-empty-rows", n=int(blank.sum())))
        df = df.loc[~blank]
        raw.row_numbers = raw.row_numbers[~blank]
    raw.df = df.reset_index(drop=True)


def _blank_rows(df: pd.DataFrame) -> np.ndarray | None:
    """Rows blank in every column (None if no column), stopping at the first full column."""
    blank: np.ndarray | None = None
    for col in df.columns:
        na = df[col].isna().to_numpy()
        blank = na if blank is None else blank & na
        if not blank.any():
            break
    return blank
