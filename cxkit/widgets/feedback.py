"""The feedback scorer: pick or upload a survey export, check the column roles, see
the scores by stage update live, and save the mapping into the workbook."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import ipywidgets as w

from cxkit._files import atomic_write
from cxkit._limits import resolve_inside
from cxkit.errors import CxkitError
from cxkit.i18n.messages import error_text
from cxkit.scoring.scores import score
from cxkit.surveys.formats import RawSurvey, read_survey
from cxkit.surveys.responses import load_responses
from cxkit.surveys.roles import suggest_roles
from cxkit.widgets._common import NONE, Form, esc, row
from cxkit.workbook.editing import EditSession, unused_id
from cxkit.workbook.model import SurveyColumns, SurveyFormat, SurveySource, Workbook
from cxkit.workbook.starters import slugify

ROLES = ("nps", "csat", "ces", "stage", "touchpoint", "segment", "date", "comment")
SURVEY_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}f}".replace("-", "\u2212")  # a real minus sign


class FeedbackScorer(Form):
    """Form for a workbook's survey sources, with live scores by stage."""

    title_key = "feedback_scorer"

    def __init__(self, session: EditSession) -> None:
        super().__init__(session)
        t = self.t
        self.folder = session.path.parent
        self.file_select = w.Dropdown(options=[], layout=w.Layout(width="480px", max_width="100%"))
        self.upload = w.FileUpload(
            accept=",".join(sorted(SURVEY_SUFFIXES)), multiple=False, description=t("upload")
        )
        self.detected = w.HTML("")
        self.error = w.HTML("")
        self.error.add_class("cxkit-error")
        self.roles = {
            role: w.Dropdown(
                options=[(t("none"), NONE)],
                value=NONE,
                description=t(f"role_{role}"),
                layout=w.Layout(width="480px", max_width="100%"),
                style={"description_width": "90px"},
            )
            for role in ROLES
        }
        self.save_button = w.Button(
            description=t("save_mapping"), icon="save", button_style="primary"
        )
        self.saved = w.HTML("")
        self.table = w.HTML("")
        self.links = w.VBox([])  # one dropdown per stage answer: survey text -> stage id
        self._answers: list[str] = []
        self.raw: RawSurvey | None = None

        self.file_select.observe(lambda _c: self._file_selected(), names="value")
        self.upload.observe(lambda _c: self._uploaded(), names="value")
        for dropdown in self.roles.values():
            dropdown.observe(lambda _c: self._changed(), names="value")
        self.roles["stage"].observe(lambda _c: self._draw_links(), names="value")
        self.save_button.on_click(lambda _b: self.save_mapping())

        self._widget = self.frame(
            row(w.HTML(f"<b>{esc(t('survey_file'))}</b>"), self.file_select, self.upload),
            self.detected,
            self.error,
            w.VBox(list(self.roles.values())),
            w.HTML(f"<h4>{esc(t('stage_links'))}</h4>"),
            self.links,
            row(self.save_button, self.saved),
            w.HTML(f"<h4>{esc(t('by_stage'))}</h4>"),
            self.table,
        )
        self._refresh_files()

    @property
    def widget(self) -> w.Widget:
        return self._widget

    # ------------------------------------------------------------------ files

    def _files(self) -> list[str]:
        listed = [s.file for s in self.session.workbook.surveys]
        found = (
            sorted(
                os.path.relpath(p, self.folder)
                for p in (self.folder / "surveys").glob("*")
                if p.suffix.lower() in SURVEY_SUFFIXES
            )
            if (self.folder / "surveys").is_dir()
            else []
        )
        return list(dict.fromkeys([*listed, *found]))

    def _refresh_files(self, select: str | None = None) -> None:
        files = self._files()

        def update() -> None:
            self.file_select.options = files
            self.file_select.value = select if select in files else (files[0] if files else None)

        self.quietly(update)
        self._file_selected()

    def _uploaded(self) -> None:
        for item in self.upload.value:
            name = Path(str(item["name"])).name
            if Path(name).suffix.lower() not in SURVEY_SUFFIXES:
                self.error.value = esc(f"{name}: {', '.join(sorted(SURVEY_SUFFIXES))}")
                continue
            atomic_write(self.folder / "surveys" / name, bytes(item["content"]), backup=True)
            self._refresh_files(select=f"surveys/{name}")

    def _source_for(self, file: str) -> SurveySource | None:
        return next((s for s in self.session.workbook.surveys if s.file == file), None)

    def _file_selected(self) -> None:
        file = self.file_select.value
        self.raw = None
        self.error.value = self.saved.value = ""
        if file is None:
            self.detected.value = esc(self.t("no_survey"))
            self.table.value = ""
            return
        source = self._source_for(file)
        inside = resolve_inside(self.folder, file)  # symlinks followed; see cxkit._limits
        if inside.problem:
            self.error.value = esc(inside.problem)
            self.table.value = ""
            return
        try:
            self.raw = read_survey(
                inside.path,
                format=source.format if source else SurveyFormat.AUTO,
                encoding=source.encoding if source else None,
                sheet=source.sheet if source else None,
            )
        except CxkitError as exc:
            self.error.value = esc(error_text(exc, self.t.language))
            self.table.value = ""
            return
        raw = self.raw
        self.detected.value = esc(
            self.t("detected", format=raw.format.value, encoding=raw.encoding, rows=raw.rows)
        )
        mapping = suggest_roles(raw)
        if source is not None:
            for role in ROLES:
                given = getattr(source.columns, role)
                if given:
                    with contextlib.suppress(CxkitError):  # a stale mapping: keep the guess
                        mapping[role] = raw.resolve(given, role=role)
        options = [(self.t("none"), NONE)] + [
            (
                f"{col}: {raw.questions.get(col, '')[:60]}"
                if raw.questions.get(col, col) != col
                else col,
                col,
            )
            for col in raw.columns
        ]

        def fill() -> None:
            for role, dropdown in self.roles.items():
                dropdown.options = options
                dropdown.value = mapping.get(role) or NONE

        self.quietly(fill)
        self._draw_links()
        self._changed()

    def _stages(self) -> list[tuple[str, str]]:
        wb = self.session.workbook
        source = self._source_for(self.file_select.value) if self.file_select.value else None
        journey = next(
            (j for j in wb.journeys if source and j.id == source.journey),
            wb.journeys[0] if wb.journeys else None,
        )
        return [(s.name, s.id) for s in journey.stages] if journey else []

    def _draw_links(self) -> None:
        """One dropdown per distinct answer in the stage column, pre-filled where known."""
        column = self.roles["stage"].value
        if self.raw is None or column == NONE:
            self.links.children = ()
            return
        stages = self._stages()
        by_text = {k.casefold(): v for name, v in stages for k in (name, v)}
        source = self._source_for(self.file_select.value)
        known = dict(source.stage_map) if source else {}
        answers = [str(a) for a in self.raw.df[column].dropna().unique()[:30]]
        self._answers = answers
        rows = []
        for answer in answers:
            guess = known.get(answer) or by_text.get(answer.strip().casefold())
            dropdown = w.Dropdown(
                options=[(self.t("none"), NONE), *stages],
                value=guess if guess in {v for _, v in stages} else NONE,
                description=answer[:60],
                layout=w.Layout(width="640px", max_width="100%"),
                style={"description_width": "45%"},
            )
            dropdown.observe(lambda _c: self._changed(), names="value")
            rows.append(dropdown)
        self.links.children = tuple(rows)

    # ------------------------------------------------------------------ mapping and scores

    @property
    def mapping(self) -> dict[str, str]:
        return {role: d.value for role, d in self.roles.items() if d.value != NONE}

    def _source(self) -> SurveySource | None:
        file = self.file_select.value
        if file is None or self.raw is None:
            return None
        existing = self._source_for(file)
        columns = SurveyColumns(**self.mapping)
        links = self._answers_to_stages()
        if existing is not None:
            update: dict[str, Any] = {"columns": columns}
            if links is not None:
                update["stage_map"] = links
            return existing.model_copy(update=update)
        wb = self.session.workbook
        sid = unused_id(slugify(Path(file).stem), {s.id for s in wb.surveys})
        journey = wb.journeys[0].id if len(wb.journeys) == 1 else None
        return SurveySource(
            id=sid,
            file=file,
            format=self.raw.format,
            columns=columns,
            journey=journey,
            stage_map=links or {},
        )

    def _answers_to_stages(self) -> dict[str, str] | None:
        """The answer -> stage links shown, or None when no stage column is chosen."""
        if self.roles["stage"].value == NONE:
            return None
        return {
            answer: d.value
            for answer, d in zip(self._answers, self.links.children, strict=False)
            if d.value
        }

    def _changed(self) -> None:
        if self._quiet:
            return
        self.saved.value = ""
        source = self._source()
        if source is None:
            return
        try:
            responses = load_responses(self.session.workbook, self.session.path, source)
            by = ("stage",) if "stage" in self.mapping else ()
            table = score(responses, by=by)
        except (CxkitError, KeyError, ValueError) as exc:
            text = error_text(exc, self.t.language)
            self.table.value = f"<span class='cxkit-error'>{esc(text)}</span>"
            return
        self.error.value = ""
        self.table.value = self._table_html(table)

    def _table_html(self, table: Any) -> str:
        names = {s.id: s.name for j in self.session.workbook.journeys for s in j.stages}
        rows = []
        for g in table.groups:
            label = self.t("all") if g.group == "ALL" else names.get(g.group, g.group)
            nps = g.nps
            nps_text = (
                f"{_fmt(nps.score)} [{_fmt(nps.low)}, {_fmt(nps.high)}]"
                if nps is not None and nps.n
                else "–"
            )
            csat = g.csat
            csat_text = (
                f"{_fmt(csat.top2)}% [{_fmt(csat.low)}, {_fmt(csat.high)}]"
                if csat is not None and csat.n
                else "–"
            )
            ces = g.ces
            ces_text = (
                f"{_fmt(ces.mean, 2)} [{_fmt(ces.low, 2)}, {_fmt(ces.high, 2)}]"
                if ces is not None and ces.n
                else "–"
            )
            flag = " ⚠" if g.n < 30 else ""
            rows.append(
                f"<tr><td>{esc(label)}</td><td>{g.n}{flag}</td><td>{esc(nps_text)}</td>"
                f"<td>{esc(csat_text)}</td><td>{esc(ces_text)}</td></tr>"
            )
        return (
            "<table class='cxkit-scores'><tr><th></th><th>n</th><th>NPS (95%)</th>"
            "<th>CSAT top-2 (95%)</th><th>CES (95%)</th></tr>" + "".join(rows) + "</table>"
        )

    def save_mapping(self) -> None:
        source = self._source()
        if source is None:
            return

        def edit(wb: Workbook) -> None:
            for i, s in enumerate(wb.surveys):
                if s.file == source.file:
                    wb.surveys[i] = source
                    return
            wb.surveys.append(source)

        problems = self.session.apply(edit)
        if problems:
            self.error.value = "<br>".join(esc(p) for p in problems)
            return
        self.session.flush()
        self.saved.value = esc(self.t("mapping_saved"))
