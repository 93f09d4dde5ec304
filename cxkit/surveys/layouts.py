"""Which tool wrote a survey export, and how many of its first rows are header rows.

:func:`detect_layout` reads the first few records of a file (as text cells) and
returns a :class:`Layout`: the tool (:class:`~cxkit.workbook.model.SurveyFormat`), the
layout's name within that tool (``"qualtrics-legacy"``, ``"surveymonkey-2017"``,
...), the header rows, the column ids with their question texts, and the reason
for the choice in words, so ``cxkit survey inspect`` can say why.

Layouts known (see docs/ and SCORING-NOTES): Qualtrics current (3 header rows,
ImportId JSON), 2016 (ImportId in single quotes), legacy (``V1..Vn`` then a
question row) and re-saved copies with one or two rows; SurveyMonkey current and
2017 (``RespondentID``) with two rows, and copies re-saved through pandas
(``Unnamed: N`` cells, an index column); Typeform with or without a
question-group row; Google Forms (a localised timestamp column); Microsoft Forms
(``ID``, start and completion time, email, name in the form's language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxkit.surveys.decoding import clean_text
from cxkit.workbook.model import SurveyFormat

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
    "tidstämpel",
}
TYPEFORM_MARKERS = {"submit date (utc)", "start date (utc)", "network id", "response type"}
QUALTRICS_MARKERS = {"responseid", "finished", "progress", "recordeddate", "startdate", "status"}
SURVEYMONKEY_MARKERS = {"respondent id", "collector id"}
SURVEYMONKEY_2017_MARKERS = {"respondentid", "collectorid"}
# SurveyMonkey's row-2 labels that add nothing to the question text.
SM_PLAIN_SUBHEADERS = {"", "response", "open-ended response", "תגובה", "תגובה פתוחה", "תשובה"}
# Microsoft Forms' metadata headers, in the languages seen; compared without accents
# (some files reach us with them mangled), so "slutf?randetid" matches too.
MS_START = {"start time", "starttid", "startzeit", "heure de debut", "hora de inicio", "שעת התחלה"}
MS_END = {
    "completion time",
    "slutforandetid",
    "abschlusszeit",
    "heure de fin",
    "hora de finalizacion",
    "שעת השלמה",
}
MS_EMAIL = {"email", "e-post", "e-mail", "correo electronico", "courriel", "דואר אלקטרוני"}
_UNNAMED = re.compile(r"^unnamed: \d+$")


@dataclass
class Layout:
    """What the header rows of an export say (see the module docstring)."""

    format: SurveyFormat
    name: str
    header_rows: int
    reason: str
    ids: list[str] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)  # columns that are no data (pandas' index)


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c != "?").strip()


def _row(records: list[list[str]], i: int) -> list[str]:
    return [clean_text(c).casefold() for c in records[i]] if len(records) > i else []


def _kind(records: list[list[str]]) -> tuple[SurveyFormat, str, str]:
    """(tool, layout name, reason) from the first records."""
    first, second = _row(records, 0), _row(records, 1)
    third = [c.strip() for c in records[2]] if len(records) > 2 else []
    names = set(first)
    if any(c.startswith('{"ImportId"') for c in third):
        return (SurveyFormat.QUALTRICS, "qualtrics", "row 3 holds Qualtrics' ImportId JSON")
    if any(c.startswith("{'ImportId'") for c in third):
        return (
            SurveyFormat.QUALTRICS,
            "qualtrics-2016",
            "row 3 holds ImportId in single quotes ({'ImportId': ...}), "
            "as Qualtrics' 2016 exporter wrote it",
        )
    if first[:3] == ["v1", "v2", "v3"]:
        return (
            SurveyFormat.QUALTRICS,
            "qualtrics-legacy",
            "row 1 is V1, V2, V3, ... (Qualtrics' legacy exporter); row 2 names those "
            "columns (ResponseID, Status, ...) and holds the question text",
        )
    if len(names & QUALTRICS_MARKERS) >= 3 and ("responseid" in names or "response id" in names):
        return (
            SurveyFormat.QUALTRICS,
            "qualtrics",
            "row 1 has Qualtrics' metadata columns (ResponseId, Finished, Progress, ...)",
        )
    if names & SURVEYMONKEY_MARKERS:
        return (
            SurveyFormat.SURVEYMONKEY,
            "surveymonkey",
            "row 1 has SurveyMonkey's Respondent ID / Collector ID; row 2 the answer options",
        )
    if names & SURVEYMONKEY_2017_MARKERS:
        return (
            SurveyFormat.SURVEYMONKEY,
            "surveymonkey-2017",
            "row 1 has RespondentID / CollectorID without spaces (SurveyMonkey's 2017 "
            "export); row 2 the answer options",
        )
    unnamed = sum(bool(_UNNAMED.match(c)) for c in first)
    plain = sum(c in SM_PLAIN_SUBHEADERS - {""} for c in second)
    if unnamed and plain:
        return (
            SurveyFormat.SURVEYMONKEY,
            "surveymonkey-resaved",
            f"row 1 has {unnamed} 'Unnamed: N' cells (pandas) and row 2 SurveyMonkey's "
            "'Response' labels: a SurveyMonkey export re-saved through pandas",
        )
    if second and second[0] == "#" and set(second) & TYPEFORM_MARKERS:
        return (
            SurveyFormat.TYPEFORM,
            "typeform-grouped",
            "row 2 has Typeform's columns (#, Start Date (UTC), Submit Date (UTC), "
            "Network ID) under a question-group row",
        )
    if names & TYPEFORM_MARKERS and (
        first[0] in {"#", "id", "response id"} or len(names & TYPEFORM_MARKERS) >= 2
    ):
        return (
            SurveyFormat.TYPEFORM,
            "typeform",
            "row 1 has Typeform's columns (#, Submit Date (UTC), Network ID, ...)",
        )
    if first and first[0] in TIMESTAMP_HEADERS:
        return (
            SurveyFormat.GOOGLE_FORMS,
            "google-forms",
            f"row 1 starts with Google Forms' timestamp column ('{records[0][0].strip()}')",
        )
    plainer = [_ascii(c) for c in first[:4]] + [""] * 4
    if plainer[0] == "id" and (
        plainer[1] in MS_START or plainer[2] in MS_END or plainer[3] in MS_EMAIL
    ):
        shown = ", ".join(c.strip() for c in records[0][:4])
        return (
            SurveyFormat.MICROSOFT_FORMS,
            "microsoft-forms",
            f"row 1 starts {shown} (Microsoft Forms' ID, start time, completion time, email)",
        )
    return SurveyFormat.GENERIC, "generic", "no survey tool's header rows found: one header row"


def _qualtrics_header_rows(records: list[list[str]], name: str) -> int:
    if name in {"qualtrics-2016"} or (
        len(records) > 2 and any(c.strip().startswith('{"ImportId"') for c in records[2])
    ):
        return 3
    if name == "qualtrics-legacy":
        return 2
    if len(records) < 2:
        return 1
    # A re-saved file may have only one header row. A data row has a number under
    # Progress or a boolean under Finished.
    ids = _row(records, 0)
    second = records[1]
    for col, pattern in (("progress", r"\d+"), ("finished", r"(?i)true|false|[01]")):
        if col in ids and ids.index(col) < len(second):
            return 1 if re.fullmatch(pattern, second[ids.index(col)].strip()) else 2
    return 2


def detect_layout(records: list[list[str]], forced: SurveyFormat = SurveyFormat.AUTO) -> Layout:
    """The layout of an export from its first records (see :class:`Layout`)."""
    if not records:
        return Layout(SurveyFormat.GENERIC, "generic", 1, "the file has no rows")
    fmt, name, reason = _kind(records)
    if forced not in (SurveyFormat.AUTO, fmt):
        fmt, name, reason = forced, forced.value, f"format given as '{forced.value}'"
    if fmt is SurveyFormat.QUALTRICS:
        n = _qualtrics_header_rows(records, name)
        if name == "qualtrics" and n < 3:
            reason += "; row 2 is question text" if n == 2 else "; row 2 is already a response"
    elif fmt is SurveyFormat.SURVEYMONKEY or name == "typeform-grouped":
        n = 2
    else:
        n = 1
    n = min(n, len(records))
    # Header rows only set the width: a longer data row is an error, not a new column.
    width = max(len(r) for r in records[:n])
    rows = [list(r) + [""] * (width - len(r)) for r in records[:n]]
    rows += [[""] * width] * (2 - len(rows))
    top = [clean_text(c) for c in rows[0]]
    sub = [clean_text(c) for c in rows[1]]
    drop: list[int] = []
    if fmt is SurveyFormat.QUALTRICS:
        legacy = name == "qualtrics-legacy"
        ids = [
            s if legacy and re.fullmatch(r"V\d+", t) and s else t
            for t, s in zip(top, sub, strict=True)
        ]
        texts = sub if n >= 2 else list(ids)
    elif fmt is SurveyFormat.SURVEYMONKEY and n == 2:
        ids, texts = _joined(top, sub)
        if name == "surveymonkey-resaved" and not top[0] and sub[0].isdigit():
            drop.append(0)
            reason += " (its index column is dropped)"
    elif name == "typeform-grouped":
        ids = list(sub)
        texts = [f"{t}: {s}" if t else s for t, s in zip(top, sub, strict=True)]
    else:
        ids, texts = list(top), list(top)
    unique = _unique_ids(ids)
    return Layout(
        format=fmt,
        name=name,
        header_rows=n,
        reason=reason,
        ids=unique,
        questions=dict(zip(unique, texts, strict=True)),
        drop=[unique[i] for i in drop],
    )


def _joined(top: list[str], sub: list[str]) -> tuple[list[str], list[str]]:
    """SurveyMonkey: a question spans the blank cells to its right; join with row 2."""
    ids, texts, current = [], [], ""
    for t, s in zip(top, sub, strict=True):
        if _UNNAMED.match(t.casefold()):
            t = ""  # pandas' name for a blank header cell
        current = t or current
        plain = s.casefold() in SM_PLAIN_SUBHEADERS or s == current
        ids.append(current if plain else f"{current} - {s}")
        texts.append(current if plain else f"{current}: {s}")
    return ids, texts


def _unique_ids(ids: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(ids):
        base = name or f"column {i + 1}"
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(base if k == 0 else f"{base} ({k + 1})")
    return out
