"""The Excel workbook template: export a workbook to sheets and read it back losslessly.

One sheet per kind of thing (Client, Personas, Journeys, Stages, Touchpoints,
Opportunities, Surveys, SurveyMaps), one row per item, one column per field.
Lists are written one item per line inside a cell (a list whose items hold line
breaks themselves is written as a JSON list, so it reads back whole); mappings of
a survey go to the SurveyMaps sheet, one row per entry. Problems name the sheet,
row and column. Text cells are always text, never formulas
(:mod:`cxkit._spreadsheet`), and a file is checked as a zip (declared sizes and
ratios, :func:`cxkit._limits.check_zip`) before any sheet is read.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlWorkbook
from openpyxl import load_workbook as xl_load
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cxkit import _limits
from cxkit._files import atomic_write
from cxkit._spreadsheet import text_cell
from cxkit.errors import (
    Problem,
    Reason,
    Term,
    Words,
    WorkbookError,
    WorkbookLimitExceeded,
    did_you_mean,
)
from cxkit.i18n.messages import word
from cxkit.workbook.cells import JSON, LIST, PAIRS, Col, Place, cell_text, cell_value
from cxkit.workbook.model import Channel, Loc, OpportunityStatus, Scope, State, Value, Workbook
from cxkit.workbook.problems import validate_data


def _enum(e: Any) -> tuple[str, ...]:
    return tuple(m.value for m in e)


SHEETS: dict[str, tuple[Col, ...]] = {
    "Client": (Col("field", width=22), Col("value", width=60)),
    "Personas": (
        Col("id"),
        Col("name", width=22),
        Col("quote", width=40),
        Col("segment"),
        Col("description", width=40),
        Col("goals", LIST, width=40),
        Col("expectations", LIST, width=40),
        Col("frustrations", LIST, width=40),
        Col("motivations", LIST, width=40),
        Col("channels", LIST, width=20),
    ),
    "Journeys": (
        Col("id"),
        Col("title", width=30),
        Col("persona"),
        Col("scope", choices=_enum(Scope)),
        Col("state", choices=_enum(State)),
        Col("redesigns"),
        Col("description", width=40),
    ),
    "Stages": (Col("journey"), Col("id"), Col("name", width=24), Col("description", width=40)),
    "Touchpoints": (
        Col("journey"),
        Col("stage"),
        Col("id"),
        Col("name", width=24),
        Col("channel", choices=_enum(Channel)),
        Col("action", width=32),
        Col("questions", LIST, width=32),
        Col("expectation", width=32),
        Col("emotion", width=9),
        Col("emotion_by_persona", PAIRS),
        Col("effort", width=8),
        Col("moment_of_truth", "bool", width=10),
        Col("moment_of_truth_reason", width=30),
        Col("pain_points", LIST, width=36),
        Col("owner"),
        Col("backstage", LIST, width=30),
        Col("documents", LIST, width=24),
        Col("value", choices=_enum(Value), width=10),
    ),
    "Opportunities": (
        Col("journey"),
        Col("id"),
        Col("title", width=30),
        Col("description", width=40),
        Col("touchpoints", LIST),
        Col("impact", width=8),
        Col("effort", width=8),
        Col("owner"),
        Col("status", choices=_enum(OpportunityStatus), width=12),
    ),
    "Surveys": (
        Col("id"),
        Col("file", width=30),
        Col("format"),
        Col("journey"),
        Col("sheet"),
        Col("encoding"),
        Col("columns", PAIRS, width=36),
        Col("csat_scale", JSON, width=30),
        Col("ces_scale", JSON, width=30),
    ),
    "SurveyMaps": (Col("survey"), Col("map"), Col("column"), Col("answer", width=30), Col("value")),
}
CLIENT_FIELDS = (
    "cxkit",
    "name",
    "language",
    "industry",
    "description",
    "brand.primary",
    "brand.secondary",
    "brand.logo",
    "course.exercise",
    "course.student",
)
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_MAPS = ("stage_map", "touchpoint_map", "value_labels")


# --------------------------------------------------------------------------- export


def write_excel(wb: Workbook, path: str | Path) -> Path:
    """Write ``wb`` as the Excel template (one sheet per kind of item)."""
    data = wb.model_dump(mode="json")
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    client = data["client"]
    rows["Client"] = [
        {"field": "cxkit", "value": data["cxkit"]},
        *({"field": f, "value": client[f]} for f in CLIENT_FIELDS[1:5]),
        *(
            {"field": f"brand.{k}", "value": client["brand"][k]}
            for k in ("primary", "secondary", "logo")
        ),
    ]
    if data.get("course"):
        rows["Client"] += [
            {"field": f"course.{k}", "value": v} for k, v in data["course"].items() if v is not None
        ]
    rows["Personas"] = data["personas"]
    for j in data["journeys"]:
        rows["Journeys"].append(j)
        for s in j["stages"]:
            rows["Stages"].append({"journey": j["id"], **s})
            for tp in s["touchpoints"]:
                rows["Touchpoints"].append({"journey": j["id"], "stage": s["id"], **tp})
        for o in j["opportunities"]:
            rows["Opportunities"].append({"journey": j["id"], **o})
    for s in data["surveys"]:
        rows["Surveys"].append(s)
        for m in ("stage_map", "touchpoint_map"):
            for answer, target in s[m].items():
                rows["SurveyMaps"].append(
                    {"survey": s["id"], "map": m, "answer": answer, "value": target}
                )
        for column, labels in s["value_labels"].items():
            for answer, number in labels.items():
                rows["SurveyMaps"].append(
                    {
                        "survey": s["id"],
                        "map": "value_labels",
                        "column": column,
                        "answer": answer,
                        "value": number,
                    }
                )

    book = XlWorkbook()
    book.remove(book.active)  # type: ignore[arg-type]
    rtl = wb.client.language.value == "he"
    for name, cols in SHEETS.items():
        ws = book.create_sheet(name)
        ws.sheet_view.rightToLeft = rtl
        _write_sheet(ws, cols, rows[name])
    out = Path(path)
    buf = io.BytesIO()
    book.save(buf)
    atomic_write(out, buf.getvalue(), backup=False)
    return out


def _write_sheet(ws: Worksheet, cols: tuple[Col, ...], items: list[dict[str, Any]]) -> None:
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=c, value=col.name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = col.width
        if col.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
            )
            dv.add(f"{get_column_letter(c)}2:{get_column_letter(c)}2000")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, item in enumerate(items, start=2):
        for c, col in enumerate(cols, start=1):
            value = cell_text(item.get(col.name), col)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.alignment = wrap
                text_cell(cell)  # never let text that starts with '=' become a formula


# --------------------------------------------------------------------------- import


def _hint(value: str, choices: Any) -> Words | None:
    best = did_you_mean(value, list(choices))
    return Words.of("did-you-mean", suggestion=best) if best else None


class _Reader:
    """Reads the template's sheets into workbook data, remembering where each value came from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = str(path)
        self.places: dict[Loc, Place] = {}
        self.problems: list[Problem] = []

    def problem(self, place: Place | None, words: Words, reason: Reason) -> None:
        at = place.words if place else None
        self.problems.append(
            Problem(self.file, word(words), reason, where=str(place or ""), words=words, at=at)
        )

    def rows(self, book: Any, name: str) -> list[tuple[int, dict[str, tuple[Any, Place]]]]:
        if name not in book.sheetnames:
            words = Words.of("missing-sheet", sheet=name, sheets=tuple(SHEETS))
            self.problem(None, words, Reason.MISSING_SHEET)
            return []
        ws = book[name]
        known = [c.name for c in SHEETS[name]]
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        columns: list[tuple[int, str]] = []
        for i, h in enumerate(header):
            if h is None or str(h).strip() == "":
                continue
            key = str(h).strip()
            if key not in known:
                words = Words.of("unknown-column", key=_limits.excerpt(key), hint=_hint(key, known))
                self.problem(
                    Place(name, 1, key, get_column_letter(i + 1)), words, Reason.UNKNOWN_KEY
                )
                continue
            columns.append((i, key))
        out = []
        for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            cells = {}
            for i, key in columns:
                value = row[i] if i < len(row) else None
                if isinstance(value, str) and value.strip() == "":
                    value = None
                if value is not None:
                    cells[key] = (value, Place(name, r, key, get_column_letter(i + 1)))
            if cells:
                out.append((r, cells))
        return out

    def fields(
        self, cells: dict[str, tuple[Any, Place]], sheet: str, loc: Loc, skip: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        kinds = {c.name: c for c in SHEETS[sheet]}
        item: dict[str, Any] = {}
        for key, (value, place) in cells.items():
            if key in skip:
                continue
            self.places[(*loc, key)] = place
            item[key] = self.convert(value, kinds[key], place)
        return item

    def convert(self, value: Any, col: Col, place: Place) -> Any:
        data, problems = cell_value(value, col)
        for words, reason in problems:
            self.problem(place, words, reason)
        return data

    def locate(self, loc: Loc) -> tuple[str, int | None, Words | None]:
        for cut in range(len(loc), 0, -1):
            place = self.places.get(loc[:cut])
            if place is not None:
                if cut < len(loc) and place.column is None:
                    at = Words.of("at-field", place=place.words, field=str(loc[cut]))
                    return word(at), None, at
                return str(place), None, place.words
        return "", None, None


def read_excel(path: str | Path) -> Workbook:
    """Read the Excel template back into a validated workbook."""
    p = Path(path)
    rd = _Reader(p)
    words: Words | None = None
    try:
        _limits.check_zip(
            p,
            what="workbook",
            error=WorkbookLimitExceeded,
            limit=_limits.excel_workbook_max_bytes(),
            raise_hint=f"if it really is that large, set {_limits.ENV_WORKBOOK_MB} to more "
            f"than {_limits.workbook_max_bytes() // 1_000_000} (megabytes of YAML; an Excel "
            f"workbook may unzip to {_limits.EXCEL_PER_YAML} times that)",
        )
        book = xl_load(p, data_only=True, read_only=False)
    except FileNotFoundError:
        words, reason = Words("file-not-found"), Reason.FILE_NOT_FOUND
    except IsADirectoryError:
        words, reason = Words("is-a-folder"), Reason.NOT_A_FILE
    except WorkbookError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ...: not an xlsx at all
        words, reason = Words.of("not-excel", detail=_limits.excerpt(exc, 120)), Reason.MALFORMED
    if words is not None:
        raise WorkbookError([Problem(str(p), word(words), reason, words=words)])
    sheets = {name: rd.rows(book, name) for name in SHEETS}
    if rd.problems:
        raise WorkbookError(rd.problems)
    data = _assemble(rd, sheets)
    try:  # rows with a bad parent were left out; still show every other row's problems
        wb = validate_data(data, rd.file, rd.locate)
    except WorkbookError as exc:
        raise WorkbookError(rd.problems + exc.problems) from None
    if rd.problems:
        raise WorkbookError(rd.problems)
    return wb


Rows = list[tuple[int, dict[str, tuple[Any, Place]]]]


def _assemble(rd: _Reader, sheets: dict[str, Rows]) -> dict[str, Any]:
    data: dict[str, Any] = {"personas": [], "journeys": [], "surveys": []}
    client: dict[str, Any] = {}
    for r, cells in sheets["Client"]:
        if "field" not in cells:
            continue
        name = str(cells["field"][0]).strip()
        value, place = cells.get("value", (None, Place("Client", r, "value", "B")))
        if name not in CLIENT_FIELDS:
            hint = _hint(name, CLIENT_FIELDS)
            words = Words.of("unknown-field", key=_limits.excerpt(name), hint=hint)
            rd.problem(cells["field"][1], words, Reason.UNKNOWN_KEY)
        elif name == "cxkit":
            rd.places[("cxkit",)] = place
            data["cxkit"] = value
        elif name.startswith("brand."):
            rd.places[("client", "brand", name[6:])] = place
            client.setdefault("brand", {})[name[6:]] = value
        elif name.startswith("course."):
            rd.places[("course", name[7:])] = place
            data.setdefault("course", {})[name[7:]] = value
        else:
            rd.places[("client", name)] = place
            client[name] = value
    data["client"] = client
    for i, (r, cells) in enumerate(sheets["Personas"]):
        rd.places[("personas", i)] = Place("Personas", r)
        data["personas"].append(rd.fields(cells, "Personas", ("personas", i)))

    journeys: dict[str, dict[str, Any]] = {}
    for i, (r, cells) in enumerate(sheets["Journeys"]):
        rd.places[("journeys", i)] = Place("Journeys", r)
        j = rd.fields(cells, "Journeys", ("journeys", i))
        j.setdefault("stages", [])
        j.setdefault("opportunities", [])
        data["journeys"].append(j)
        journeys.setdefault(str(j.get("id")), j)
    jloc = {str(j.get("id")): i for i, j in enumerate(data["journeys"])}

    def parent(
        cells: dict[str, tuple[Any, Place]],
        sheet: str,
        row: int,
        key: str,
        options: dict[str, Any],
        within: str | None = None,
    ) -> Any:
        if key not in cells:
            rd.problem(Place(sheet, row), Words.of("missing-parent", key=key), Reason.MISSING)
            return None
        ident, place = str(cells[key][0]), cells[key][1]
        if ident not in options:
            words = Words.of(
                "not-found" if within is None else "not-found-in",
                what=Term(key),
                id=_limits.excerpt(ident),
                journey=within,
                hint=_hint(ident, list(options)),
            )
            rd.problem(place, words, Reason.BAD_REFERENCE)
            return None
        return options[ident]

    stages: dict[tuple[str, str], tuple[dict[str, Any], Loc]] = {}
    for r, cells in sheets["Stages"]:
        j = parent(cells, "Stages", r, "journey", journeys)
        if j is None:
            continue
        loc: Loc = ("journeys", jloc[j["id"]], "stages", len(j["stages"]))
        rd.places[loc] = Place("Stages", r)
        s = rd.fields(cells, "Stages", loc, skip=("journey",))
        s["touchpoints"] = []
        j["stages"].append(s)
        stages.setdefault((str(j["id"]), str(s.get("id"))), (s, loc))
    for r, cells in sheets["Touchpoints"]:
        j = parent(cells, "Touchpoints", r, "journey", journeys)
        if j is None:
            continue
        options = {sid: v for (jid, sid), v in stages.items() if jid == str(j["id"])}
        found = parent(cells, "Touchpoints", r, "stage", options, str(j["id"]))
        if found is None:
            continue
        s, sloc = found
        loc = (*sloc, "touchpoints", len(s["touchpoints"]))
        rd.places[loc] = Place("Touchpoints", r)
        s["touchpoints"].append(rd.fields(cells, "Touchpoints", loc, skip=("journey", "stage")))
    for r, cells in sheets["Opportunities"]:
        j = parent(cells, "Opportunities", r, "journey", journeys)
        if j is None:
            continue
        loc = ("journeys", jloc[j["id"]], "opportunities", len(j["opportunities"]))
        rd.places[loc] = Place("Opportunities", r)
        j["opportunities"].append(rd.fields(cells, "Opportunities", loc, skip=("journey",)))

    surveys: dict[str, dict[str, Any]] = {}
    for i, (r, cells) in enumerate(sheets["Surveys"]):
        rd.places[("surveys", i)] = Place("Surveys", r)
        s = rd.fields(cells, "Surveys", ("surveys", i))
        data["surveys"].append(s)
        surveys.setdefault(str(s.get("id")), s)
    sidx = {str(s.get("id")): i for i, s in enumerate(data["surveys"])}
    for r, cells in sheets["SurveyMaps"]:
        s = parent(cells, "SurveyMaps", r, "survey", surveys)
        if s is None:
            continue
        _add_map_row(rd, s, ("surveys", sidx[str(s["id"])]), cells, r)
    return data


def _add_map_row(
    rd: _Reader, survey: dict[str, Any], sloc: Loc, cells: dict[str, tuple[Any, Place]], row: int
) -> None:
    kind = str(cells.get("map", ("", None))[0])
    if kind not in _MAPS:
        place = cells["map"][1] if "map" in cells else Place("SurveyMaps", row, "map", "B")
        got = f"'{_limits.excerpt(kind)}'"
        words = Words.of("expected-choice", options=tuple(_MAPS), got=got, hint=_hint(kind, _MAPS))
        rd.problem(place, words, Reason.BAD_VALUE)
        return
    answer = cells.get("answer", (None, None))[0]
    value, place = cells.get("value", (None, Place("SurveyMaps", row, "value", "E")))
    if answer is None:
        where = Place("SurveyMaps", row, "answer", "D")
        rd.problem(where, Words("missing-answer"), Reason.MISSING)
        return
    target: dict[str, Any] = survey.setdefault(kind, {})
    loc: Loc = (*sloc, kind)
    if kind == "value_labels":
        column = str(cells.get("column", ("", None))[0])
        target = target.setdefault(column, {})
        loc = (*loc, column)
    target[str(answer)] = value
    rd.places[(*loc, str(answer))] = place
