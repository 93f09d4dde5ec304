"""Reading the body of a UTF-8 survey export with pyarrow, straight from the file.

This is the importer's fast path (see :func:`cxkit.surveys.formats.read_survey`).
Compared with ``pandas.read_csv(engine="pyarrow")`` it

- reads from the file at the offset after the header rows, in pyarrow's own
  buffers (no copy of the file in Python, no whole-file decode);
- dictionary-encodes text columns with few distinct values while parsing (stage,
  segment, labelled answers arrive as categoricals, so linking them costs
  nothing per row), falling back to plain text per column when there are many;
- converts to pandas without consolidating columns into 2-D blocks, and with
  dates as datetime64 (pandas would hand out Python ``date`` objects).

It declines (returns None) whenever the careful path should decide instead:
bytes that are not UTF-8 (pyarrow then types the column as binary), ragged
rows, an empty body. Values read the same as pandas reads them: the same texts
count as missing, all-blank columns are float NaN, text is pandas' ``str``.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path
from typing import Any

import pandas as pd

# The texts pandas reads as missing (its documented na_values default).
NA_TEXTS = [
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
]


def has_quote(path: Path, offset: int) -> bool:
    """True if the file has a ``"`` after ``offset`` (a memchr over the mapped file)."""
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size <= offset:
            return False
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(b'"', offset) >= 0


def read_body(path: Path, offset: int, names: list[str], delimiter: str) -> pd.DataFrame | None:
    """The rows after the header (from byte ``offset``) as a DataFrame, or None to decline."""
    import pyarrow as pa

    with pa.OSFile(str(path)) as f:
        f.seek(offset)
        # A quoted value may hold a line break only if the file has a quote at all;
        # without one, pyarrow may split the file into blocks at any line (faster).
        return read_table(f, names, delimiter, quoted=has_quote(path, offset))


def read_table(
    source: Any, names: list[str], delimiter: str, *, quoted: bool = True
) -> pd.DataFrame | None:
    """Parse CSV rows from a pyarrow readable ``source``, or None to decline."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names),
            # A blank line is a row in a spreadsheet; kept, it is a ragged row here, so
            # pyarrow declines and the careful path keeps the numbering of later rows.
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=quoted, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                null_values=NA_TEXTS, strings_can_be_null=True, auto_dict_encode=True
            ),
        )
    except pa.ArrowException:  # ragged rows, empty body, ...: the careful path decides
        return None
    if table.num_rows == 0:
        return None
    fields = []
    for field in table.schema:
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            return None  # bytes that are not UTF-8
        fields.append(field.with_type(pa.float64()) if pa.types.is_null(kind) else field)
    if any(pa.types.is_null(f.type) for f in table.schema):
        table = table.cast(pa.schema(fields))  # all-blank columns: float NaN, as pandas
    # Dates become datetime64 like timestamps do (not Python date objects).
    return table.to_pandas(split_blocks=True, self_destruct=True, date_as_object=False)
