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
import html
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit.errors import Problem, Reason, SurveyError, did_you_mean, suggestion_suffix
from cxkit.surveys._fast import pooled
from cxkit.surveys._fast.csv_arrow import read_body, read_table
from cxkit.surveys.decoding import decode_bytes, first_records, header_records, sniff_delimiter
from cxkit.workbook.model import SurveyFormat

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

# Google Forms writes its first header in the form owner's language.
TIMESTAMP_HEADERS = {
    "timestamp",
    "חותמת זמן",
    "חותמת הזמן",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "carimbo de data/hora",
    "informazioni cronologiche",
    "tijdstempel",
    "отметка времени",
    "طابع زمني",
    "الطابع الزمني",
}
TYPEFORM_MARKERS = {"submit date (utc)", "start date (utc)", "network id", "response type"}
QUALTRICS_MARKERS = {"responseid", "finished", "progress", "recordeddate", "startdate", "status"}
SURVEYMONKEY_MARKERS = {"respondent id", "collector id"}
# SurveyMonkey's row-2 labels that add nothing to the question text.
SM_PLAIN_SUBHEADERS = {"", "response", "open-ended response", "תגובה", "תגובה פתוחה", "תשובה"}


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

    @property
    def rows(self) -> int:
        return len(self.df)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.df.columns]

    def row_number(self, position: int) -> int:
        """1-based row in the file of the ``position``-th data row."""
        if self.row_numbers is not None:
            return int(self.row_numbers[position])
        return self.first_data_row + position

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
        for_role = f" for {role}" if role else ""
        hint = f"; did you mean '{hit}'?" if hit else ""
        shown = ", ".join(f"'{c}'" for c in self.columns[:12])
        more = ", ..." if len(self.columns) > 12 else ""
        raise SurveyError(
            [
                Problem(
                    str(self.path),
                    f"column '{name}'{for_role} not found{hint} (columns: {shown}{more})",
                    Reason.MISSING_COLUMN,
                    where=f"header rows 1-{self.header_rows}"
                    if self.header_rows > 1
                    else "header row",
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


# --------------------------------------------------------------------------- formats


def detect_format(records: list[list[str]]) -> SurveyFormat:
    """Which tool wrote these header rows (the first few records of the file)."""
    if not records:
        return SurveyFormat.GENERIC
    first = [clean_text(c).casefold() for c in records[0]]
    names = set(first)
    if len(records) > 2 and any(c.strip().startswith('{"ImportId"') for c in records[2]):
        return SurveyFormat.QUALTRICS
    if len(names & QUALTRICS_MARKERS) >= 3 and "responseid" in names:
        return SurveyFormat.QUALTRICS
    if names & SURVEYMONKEY_MARKERS:
        return SurveyFormat.SURVEYMONKEY
    if names & TYPEFORM_MARKERS and (
        first[0] in {"#", "id", "response id"} or len(names & TYPEFORM_MARKERS) >= 2
    ):
        return SurveyFormat.TYPEFORM
    if first[0] in TIMESTAMP_HEADERS:
        return SurveyFormat.GOOGLE_FORMS
    return SurveyFormat.GENERIC


def _qualtrics_header_rows(records: list[list[str]]) -> int:
    if len(records) > 2 and any(c.strip().startswith('{"ImportId"') for c in records[2]):
        return 3
    if len(records) < 2:
        return 1
    # Legacy exports have two header rows; a re-saved file may have only one. A data
    # row has a number under Progress or a boolean under Finished.
    ids = [clean_text(c).casefold() for c in records[0]]
    second = records[1]
    for name, pattern in (("progress", r"\d+"), ("finished", r"(?i)true|false|[01]")):
        if name in ids and ids.index(name) < len(second):
            return 1 if re.fullmatch(pattern, second[ids.index(name)].strip()) else 2
    return 2


def header_layout(
    fmt: SurveyFormat, records: list[list[str]]
) -> tuple[list[str], dict[str, str], int]:
    """Column ids, question texts and the number of header rows for a format."""
    if not records:
        return [], {}, 1
    n = {
        SurveyFormat.QUALTRICS: _qualtrics_header_rows(records),
        SurveyFormat.SURVEYMONKEY: min(2, len(records)),
    }.get(fmt, 1)
    # Header rows only set the width: a longer data row is an error, not a new column.
    width = max(len(r) for r in records[:n])
    rows = [list(r) + [""] * (width - len(r)) for r in records]
    if fmt is SurveyFormat.QUALTRICS:
        ids = [clean_text(c) for c in rows[0]]
        texts = [clean_text(c) for c in rows[1]] if n >= 2 else ids
    elif fmt is SurveyFormat.SURVEYMONKEY and n == 2:
        ids, texts, current = [], [], ""
        for top, sub in zip(rows[0], rows[1], strict=False):
            top_c, sub_c = clean_text(top), clean_text(sub)
            current = top_c or current  # a question spans the blank cells to its right
            plain = sub_c.casefold() in SM_PLAIN_SUBHEADERS or sub_c == current
            ids.append(current if plain else f"{current} - {sub_c}")
            texts.append(current if plain else f"{current}: {sub_c}")
    else:
        ids = [clean_text(c) for c in rows[0]]
        texts = list(ids)
    unique = _unique_ids(ids)
    return unique, dict(zip(unique, texts, strict=True)), n


def _unique_ids(ids: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(ids):
        base = name or f"column {i + 1}"
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(base if k == 0 else f"{base} ({k + 1})")
    return out


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
    ``"surveymonkey"``, ``"google-forms"``, ``"typeform"``, ``"generic"``).
    ``encoding`` is detected for CSV unless given. ``sheet`` picks an Excel sheet
    (default: the first). Raises :class:`SurveyError` for a missing, empty or
    malformed file; never for a stray byte.
    """
    p = Path(path)
    fmt = SurveyFormat(format)
    if not p.is_file():
        raise SurveyError([Problem(str(p), "survey file not found", Reason.FILE_NOT_FOUND)])
    if p.suffix.lower() in EXCEL_SUFFIXES:
        raw = _read_excel(p, fmt, sheet)
    else:
        raw = _read_text(p, fmt, encoding)
    _drop_padding(raw)
    return raw


def _read_text(p: Path, fmt: SurveyFormat, encoding: str | None) -> RawSurvey:
    with p.open("rb") as f:
        start = f.read(_SAMPLE)
    if not start or (start.isspace() and p.read_bytes().isspace()):
        raise SurveyError([Problem(str(p), "the file is empty", Reason.MALFORMED)])
    if encoding is None and not start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw = _read_utf8_direct(p, fmt, start)
        if raw is not None:
            return raw
    data, used, notes = decode_bytes(p.read_bytes(), encoding, str(p))

    def parse(offset: int, ids: list[str], delim: str, first: int) -> pd.DataFrame:
        quoted = data.find(b'"', offset) >= 0  # (`in` on a memoryview compares single bytes)
        return _parse_csv(p, memoryview(data)[offset:], ids, delim, first, quoted=quoted)

    return _layout_and_parse(p, fmt, data, used, notes, parse)


_SAMPLE = 65536


def _layout_and_parse(
    p: Path,
    fmt: SurveyFormat,
    head: bytes,
    used: str,
    notes: list[str],
    parse: Callable[[int, list[str], str, int], pd.DataFrame],
) -> RawSurvey:
    """Delimiter, format and header rows from the first bytes; ``parse`` reads the body."""
    sample = head[:_SAMPLE].decode("utf-8", errors="ignore")
    delim = sniff_delimiter(sample)
    records = first_records(iter(sample.splitlines(keepends=True)), delim, 3)
    if fmt is SurveyFormat.AUTO:
        fmt = detect_format(records)
    ids, questions, n = header_layout(fmt, records)
    _, offset, lines_used = header_records(head, delim, n)
    df = parse(offset, ids, delim, lines_used + 1)
    return RawSurvey(
        path=p,
        format=fmt,
        encoding=used,
        df=df,
        questions=questions,
        header_rows=n,
        delimiter=delim,
        notes=notes,
        first_data_row=n + 1,
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
    if len(start) == _SAMPLE:  # header rows must lie whole in the sample
        head = head[: head.rfind(b"\n") + 1]

    def parse(offset: int, ids: list[str], delim: str, first: int) -> pd.DataFrame:
        if len(head) <= offset and len(start) == _SAMPLE:
            raise _Decline("header rows longer than the sample")
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
    p: Path, body: memoryview, ids: list[str], delim: str, first_line: int, *, quoted: bool
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
            skip_blank_lines=True,
            encoding="utf-8",
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+), saw (\d+)", str(exc))
        where = ""
        if found:
            where = f"line {int(found.group(1)) + first_line - 1}"
            msg = (
                f"a row has {found.group(2)} fields; the header has {len(ids)} "
                f"(a quote or delimiter out of place?)"
            )
        else:
            msg = f"could not parse as CSV with delimiter {delim!r}: {exc}"
        raise SurveyError([Problem(str(p), msg, Reason.MALFORMED, where=where)]) from None


def _read_excel(p: Path, fmt: SurveyFormat, sheet: str | None) -> RawSurvey:
    try:
        book = pd.ExcelFile(p, engine="calamine")  # Rust reader: ~15x openpyxl, same cells
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, ...
        raise SurveyError(
            [Problem(str(p), f"not a readable Excel file: {exc}", Reason.MALFORMED)]
        ) from None
    names = [str(s) for s in book.sheet_names]
    if sheet is not None and sheet not in names:
        raise SurveyError(
            [
                Problem(
                    str(p),
                    f"sheet '{sheet}' not found{suggestion_suffix(sheet, names)}"
                    f" (sheets: {', '.join(names)})",
                    Reason.MISSING_SHEET,
                )
            ]
        )
    chosen = sheet if sheet is not None else names[0]
    notes = (
        []
        if len(names) == 1 or sheet
        else [f"read sheet '{chosen}' (the workbook also has: {', '.join(names[1:])})"]
    )
    grid = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    grid = grid.dropna(how="all")
    sheet_rows = grid.index.to_numpy() + 1
    grid = grid.reset_index(drop=True)
    head = [
        ["" if pd.isna(v) else str(v) for v in row] for row in grid.head(3).itertuples(index=False)
    ]
    if fmt is SurveyFormat.AUTO:
        fmt = detect_format(head)
    ids, questions, n = header_layout(fmt, head)
    body = grid.iloc[n:].reset_index(drop=True)
    body.columns = pd.Index(
        ids[: body.shape[1]] + [f"column {i + 1}" for i in range(len(ids), body.shape[1])]
    )
    body = body.infer_objects()
    for col in body.columns:
        if body[col].dtype == object and body[col].map(lambda v: isinstance(v, str)).all():
            body[col] = body[col].astype("str")
    return RawSurvey(
        path=p,
        format=fmt,
        encoding="xlsx",
        df=body,
        questions=questions,
        header_rows=n,
        sheet=chosen,
        notes=notes,
        first_data_row=int(sheet_rows[n]) if len(sheet_rows) > n else n + 1,
        row_numbers=sheet_rows[n:],
    )


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
        raw.notes.append(f"{int(blank.sum())} empty row(s) skipped")
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
