"""Which language to speak about a workbook: its own ``client.language`` when the file
parses that far, else a cheap look at its text (a ``language: he`` line, or mostly
Hebrew letters), else English.

Messages about a Hebrew workbook are worded in Hebrew (``cxkit.i18n.messages``); this
is how the command line knows, even for a file too broken to read as a workbook.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from cxkit.i18n import LANGUAGES
from cxkit.workbook.model import Workbook

SNIFF_BYTES = 64_000  # enough for the client block and a good share of the text
_LANGUAGE_LINE = re.compile(
    r"(?:^|[{,])\s*language\s*:\s*[\"']?(he|en)[\"']?\s*(?:#.*)?(?:$|[,}])", re.MULTILINE
)  # a block line ``language: he`` or a flow entry ``{..., language: he}``
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_LATIN = re.compile(r"[A-Za-z]")
_COMMENT = re.compile(r"#[^\n]*")
_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*:", re.MULTILINE)


def sniff_text(text: str) -> str:
    """``he`` or ``en`` for a workbook's text that may not parse.

    >>> sniff_text("cxkit: 1\\nclient:\\n  language: he\\n")
    'he'
    >>> sniff_text("cxkit: [\\nclient:\\n  name: צימר נוף הגליל\\n")
    'he'
    >>> sniff_text('client: {name: "Acme", language: he}\\n')
    'he'
    >>> sniff_text("cxkit: 1\\nclient:\\n  name: Acme\\n")
    'en'
    """
    said = _LANGUAGE_LINE.findall(text)
    if said:
        return str(said[0])
    body = _KEY.sub("", _COMMENT.sub("", text))  # the keys are English in every workbook
    hebrew = len(_HEBREW.findall(body))
    return "he" if hebrew and hebrew >= len(_LATIN.findall(body)) else "en"


def _head(path: Path) -> str | None:
    """The first bytes of a regular file as text, or None (never blocks on a pipe)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES).decode("utf-8-sig", errors="ignore")
    except OSError:
        return None


def workbook_language(path: str | Path, wb: Workbook | None = None) -> str:
    """The language of the workbook at ``path`` (``he`` or ``en``); ``wb`` if it was read."""
    if wb is not None:
        return wb.client.language.value
    p = Path(path)
    if p.is_dir():
        from cxkit.workbook.yamlfile import resolve_workbook_path

        p = resolve_workbook_path(p)
    if p.suffix.lower() not in {".yml", ".yaml"}:
        return _excel_language(p)
    text = _head(p)
    return sniff_text(text) if text else "en"


def _excel_language(path: Path) -> str:
    """The Excel template's ``language`` row on its Client sheet, when it can be read."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return "en"
    try:
        from openpyxl import load_workbook

        from cxkit import _limits

        _limits.check_zip(path, what="workbook", limit=_limits.excel_workbook_max_bytes())
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = book["Client"].iter_rows(min_row=2, max_col=2, values_only=True)
            said = next((str(v).strip() for k, v in rows if k == "language"), "en")
        finally:
            book.close()
    except Exception:
        return "en"
    return said if said in LANGUAGES else "en"
