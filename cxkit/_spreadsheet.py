"""Text stays text in every CSV and XLSX cxkit writes (spreadsheet or "CSV" injection).

Survey comments, workbook names and group labels come from other people. A cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run
as a formula by Excel, LibreOffice or Google Sheets (``=HYPERLINK(...)``,
``=cmd|' /C calc'!A0``). Following OWASP's guidance on CSV injection:

- in a CSV, such text gets a leading apostrophe (``'=HYPERLINK(...)``), which
  spreadsheet programs show as text;
- in an XLSX, such text is stored as a string cell (never a formula) and marked
  with Excel's "quote prefix", so editing the cell keeps it text too; its value
  is unchanged, so an XLSX cxkit wrote reads back exactly.

Real numbers (ints and floats, negatives included) stay numbers, and text that is
only a number (``-5``, ``+3.2``) is left alone: it cannot be a formula.

>>> csv_text("=HYPERLINK(1)"), csv_text("-5"), csv_text(-5), csv_text("ok")
("'=HYPERLINK(1)", '-5', -5, 'ok')
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def risky(text: str) -> bool:
    """True when a spreadsheet program could read ``text`` as a formula."""
    return text.startswith(FORMULA_START) and not _NUMBER.match(text)


def csv_text(value: Any) -> Any:
    """``value`` for a CSV cell: risky text gets a leading ``'``; anything else unchanged."""
    if isinstance(value, str) and risky(value):
        return "'" + value
    return value


def text_cell(cell: Any) -> Any:
    """Make an openpyxl cell holding text a string cell, quote-prefixed when risky.

    Call it after the value is set (``ws.append`` and ``cell.value = ...`` turn text
    starting with ``=`` into a formula). Numbers and empty cells are left as they are.
    Returns the cell.
    """
    value = cell.value
    if not isinstance(value, str):
        return cell
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        from openpyxl.styles.cell_style import StyleArray

        style = StyleArray(cell._style) if cell._style is not None else StyleArray()
        style.quotePrefix = 1
        cell._style = style
    return cell


def text_cells(ws: Any, min_row: int = 1) -> None:
    """:func:`text_cell` on every cell of an openpyxl worksheet from ``min_row`` down."""
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            text_cell(cell)
