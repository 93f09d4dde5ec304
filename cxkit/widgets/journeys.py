"""The journey mapper: stages, touchpoints and opportunities, with a live emotion curve."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from cxkit.errors import Problem
from cxkit.widgets._common import Field, Form, esc, lines, message_for, text
from cxkit.workbook.editing import EditSession, unused_id
from cxkit.workbook.model import (
    Channel,
    Journey,
    Opportunity,
    OpportunityStatus,
    Stage,
    Touchpoint,
    Value,
    Workbook,
)
from cxkit.workbook.starters import list_starters, starter_journey

TP_TEXT = ("name", "action", "expectation", "owner", "moment_of_truth_reason")
TP_LISTS = ("questions", "pain_points", "backstage", "documents")
OPP_TEXT = ("title", "owner")


def emotion_points(journey: Journey | None) -> tuple[list[str], list[int | None], list[bool]]:
    """x labels, assumed emotions and moment-of-truth flags, in journey order."""
    if journey is None:
        return [], [], []
    xs, ys, mot = [], [], []
    for stage, tp in journey.touchpoints():
        xs.append(f"{stage.name} · {tp.name}")
        ys.append(tp.emotion)
        mot.append(tp.moment_of_truth)
    return xs, ys, mot


class _ListEditor:
    """A list of named items with add / move up / move down / delete buttons."""

    def __init__(self, t: Any, on_select: Callable[[], None]) -> None:
        self.select = w.Select(options=[], rows=6, layout=w.Layout(width="100%"))
        self.add = w.Button(description=t("add"), icon="plus", layout=w.Layout(width="auto"))
        self.up = w.Button(description=t("move_up"), layout=w.Layout(width="40px"))
        self.down = w.Button(description=t("move_down"), layout=w.Layout(width="40px"))
        self.delete = w.Button(
            description=t("delete"),
            icon="trash",
            button_style="danger",
            layout=w.Layout(width="auto"),
        )
        self.error = w.HTML("")
        self.error.add_class("cxkit-error")
        self.select.observe(lambda _c: on_select(), names="value")
        self.box = w.VBox(
            [self.select, w.HBox([self.add, self.up, self.down, self.delete]), self.error]
        )

    def set(self, items: list[tuple[str, str]], keep: str | None) -> None:
        ids = [i for _, i in items]
        self.select.options = items
        self.select.value = keep if keep in ids else (ids[0] if ids else None)


class JourneyMapper(Form):
    """Form for one journey at a time: pick it, edit stages and touchpoints, see the curve."""

    title_key = "journey_mapper"

    def __init__(self, session: EditSession) -> None:
        super().__init__(session)
        t = self.t
        wb = session.workbook
        self.journey_select = w.Dropdown(options=[], layout=w.Layout(width="360px"))
        self.template_select = w.Dropdown(
            options=[
                (f"{s.name}: {s.description.get(t.language, s.name)}", s.name)
                for s in list_starters()
            ],
            layout=w.Layout(width="360px"),
        )
        self.persona_for_new = w.Dropdown(options=[(p.name, p.id) for p in wb.personas])
        self.create_button = w.Button(description=t("create"), icon="plus")
        self.create_error = w.HTML("")
        self.create_error.add_class("cxkit-error")
        self.journey_fields = {
            "title": Field(t("title"), text()),
            "persona": Field(t("persona"), w.Dropdown(options=[])),
            "description": Field(t("findings"), text(multiline=True)),
        }

        self.stages = _ListEditor(t, self._stage_selected)
        self.stage_name = Field(t("name"), text())
        self.touchpoints = _ListEditor(t, self._touchpoint_selected)
        self.tp_fields: dict[str, Field] = {
            "name": Field(t("name"), text()),
            "channel": Field(t("channel"), w.Dropdown(options=[c.value for c in Channel])),
            "action": Field(t("action"), text(multiline=True)),
            "questions": Field(t("questions"), text(multiline=True), t("one_per_line")),
            "expectation": Field(t("expectation"), text(multiline=True)),
            "emotion": Field(t("emotion"), w.IntSlider(min=-2, max=2, value=0)),
            "effort": Field(t("effort"), w.IntSlider(min=1, max=5, value=1)),
            "moment_of_truth": Field(t("moment_of_truth"), w.Checkbox(indent=False)),
            "moment_of_truth_reason": Field(t("moment_of_truth_reason"), text()),
            "pain_points": Field(t("pain_points"), text(multiline=True), t("one_per_line")),
            "owner": Field(t("owner"), text()),
            "backstage": Field(t("backstage"), text(multiline=True), t("one_per_line")),
            "documents": Field(t("documents"), text(multiline=True), t("one_per_line")),
            "value": Field(
                t("value"),
                w.Dropdown(
                    options=[(t("value_none"), None)]
                    + [(t(f"value_{v.value}"), v.value) for v in Value]
                ),
            ),
        }
        self.opportunities = _ListEditor(t, self._opportunity_selected)
        self.opp_fields: dict[str, Field] = {
            "title": Field(t("title"), text()),
            "touchpoints": Field(t("addresses"), w.SelectMultiple(options=[], rows=5)),
            "impact": Field(t("impact"), w.IntSlider(min=1, max=5, value=3)),
            "effort": Field(t("effort"), w.IntSlider(min=1, max=5, value=3)),
            "owner": Field(t("owner"), text()),
            "status": Field(t("status"), w.Dropdown(options=[s.value for s in OpportunityStatus])),
        }
        self.curve = go.FigureWidget(
            layout=go.Layout(
                height=300,
                margin={"l": 40, "r": 20, "t": 40, "b": 90},
                title={"text": t("emotion_curve")},
                yaxis={"range": [-2.4, 2.4], "dtick": 1, "zeroline": True},
                xaxis={"autorange": "reversed" if t.rtl else True},
            )
        )
        self.curve.add_scatter(
            mode="lines+markers",
            name=t("emotion"),
            connectgaps=False,
            line={"shape": "spline", "width": 3},
        )

        self._wire()
        self._widget = self.frame(
            w.HBox([w.HTML(f"<b>{esc(t('journey'))}</b>&nbsp;"), self.journey_select]),
            w.HBox(
                [
                    w.HTML(f"<b>{esc(t('new_journey'))}</b>&nbsp;"),
                    self.template_select,
                    self.persona_for_new,
                    self.create_button,
                ]
            ),
            self.create_error,
            w.HBox([f.box for f in self.journey_fields.values()]),
            self.curve,
            w.HBox(
                [
                    w.VBox(
                        [
                            w.HTML(f"<h4>{esc(t('stages'))}</h4>"),
                            self.stages.box,
                            self.stage_name.box,
                        ],
                        layout=w.Layout(width="30%"),
                    ),
                    w.VBox(
                        [w.HTML(f"<h4>{esc(t('touchpoints'))}</h4>"), self.touchpoints.box],
                        layout=w.Layout(width="30%"),
                    ),
                    w.VBox([f.box for f in self.tp_fields.values()], layout=w.Layout(width="40%")),
                ]
            ),
            w.HTML(f"<h4>{esc(t('opportunities'))}</h4>"),
            w.HBox(
                [
                    w.VBox([self.opportunities.box], layout=w.Layout(width="35%")),
                    w.VBox([f.box for f in self.opp_fields.values()], layout=w.Layout(width="65%")),
                ]
            ),
        )
        self._refresh_journeys()

    @property
    def widget(self) -> w.Widget:
        return self._widget

    # ------------------------------------------------------------------ wiring

    def _wire(self) -> None:
        self.journey_select.observe(lambda _c: self._journey_selected(), names="value")
        self.create_button.on_click(lambda _b: self.create_journey())
        self.on_change(self.journey_fields["title"], self._journey_setter("title"))
        self.on_change(self.journey_fields["persona"], self._journey_setter("persona"))
        self.on_change(self.journey_fields["description"], self._journey_setter("description"))
        self.on_change(self.stage_name, self._stage_setter("name"))
        for name, field in self.tp_fields.items():
            convert: Callable[[Any], Any] = lines if name in TP_LISTS else (lambda v: v)
            self.on_change(field, self._tp_setter(name, convert))
        for name, field in self.opp_fields.items():
            self.on_change(
                field, self._opp_setter(name, list if name == "touchpoints" else (lambda v: v))
            )
        self.stages.add.on_click(lambda _b: self.add_stage())
        self.stages.up.on_click(lambda _b: self._move("stages", -1))
        self.stages.down.on_click(lambda _b: self._move("stages", 1))
        self.stages.delete.on_click(lambda _b: self.delete_stage())
        self.touchpoints.add.on_click(lambda _b: self.add_touchpoint())
        self.touchpoints.up.on_click(lambda _b: self._move("touchpoints", -1))
        self.touchpoints.down.on_click(lambda _b: self._move("touchpoints", 1))
        self.touchpoints.delete.on_click(lambda _b: self.delete_touchpoint())
        self.opportunities.add.on_click(lambda _b: self.add_opportunity())
        self.opportunities.up.on_click(lambda _b: self._move("opportunities", -1))
        self.opportunities.down.on_click(lambda _b: self._move("opportunities", 1))
        self.opportunities.delete.on_click(lambda _b: self.delete_opportunity())

    # ------------------------------------------------------------------ where we are

    def _j(self) -> int | None:
        ids = [j.id for j in self.session.workbook.journeys]
        return ids.index(self.journey_select.value) if self.journey_select.value in ids else None

    @property
    def journey(self) -> Journey | None:
        j = self._j()
        return None if j is None else self.session.workbook.journeys[j]

    def _s(self) -> int | None:
        journey = self.journey
        if journey is None:
            return None
        ids = [s.id for s in journey.stages]
        return ids.index(self.stages.select.value) if self.stages.select.value in ids else None

    def _t(self) -> int | None:
        j, s = self._j(), self._s()
        if j is None or s is None:
            return None
        ids = [tp.id for tp in self.session.workbook.journeys[j].stages[s].touchpoints]
        value = self.touchpoints.select.value
        return ids.index(value) if value in ids else None

    def _o(self) -> int | None:
        journey = self.journey
        if journey is None:
            return None
        ids = [o.id for o in journey.opportunities]
        value = self.opportunities.select.value
        return ids.index(value) if value in ids else None

    # ------------------------------------------------------------------ loading into widgets

    def _refresh_journeys(self, select: str | None = None) -> None:
        wb = self.session.workbook

        def update() -> None:
            persona_options = [(p.name, p.id) for p in wb.personas]
            self.journey_fields["persona"].input.options = persona_options
            self.persona_for_new.options = persona_options
            self.journey_select.options = [(j.title, j.id) for j in wb.journeys]
            ids = [j.id for j in wb.journeys]
            if select in ids:
                self.journey_select.value = select
            elif self.journey_select.value not in ids:
                self.journey_select.value = ids[0] if ids else None

        self.quietly(update)
        self._journey_selected()

    def _journey_selected(self) -> None:
        journey = self.journey

        def fill() -> None:
            for field in self.journey_fields.values():
                field.input.disabled = journey is None
                field.show([])
            if journey is not None:
                self.journey_fields["title"].value = journey.title
                self.journey_fields["persona"].value = journey.persona
                self.journey_fields["description"].value = journey.description or ""
            self.stages.set(
                [(s.name, s.id) for s in journey.stages] if journey else [],
                self.stages.select.value,
            )
            self.opportunities.set(
                [(o.title, o.id) for o in journey.opportunities] if journey else [],
                self.opportunities.select.value,
            )

        self.quietly(fill)
        self.create_error.value = "" if journey else esc(self.t("no_journeys"))
        self._stage_selected()
        self._opportunity_selected()
        self._draw_curve()

    def _stage_selected(self) -> None:
        journey, s = self.journey, self._s()
        stage = journey.stages[s] if journey is not None and s is not None else None

        def fill() -> None:
            self.stage_name.input.disabled = stage is None
            self.stage_name.value = stage.name if stage else ""
            self.stage_name.show([])
            self.touchpoints.set(
                [(tp.name, tp.id) for tp in stage.touchpoints] if stage else [],
                self.touchpoints.select.value,
            )

        self.quietly(fill)
        self._touchpoint_selected()

    def _touchpoint(self) -> Touchpoint | None:
        j, s, t = self._j(), self._s(), self._t()
        if j is None or s is None or t is None:
            return None
        return self.session.workbook.journeys[j].stages[s].touchpoints[t]

    def _touchpoint_selected(self) -> None:
        tp = self._touchpoint()

        def fill() -> None:
            for name, field in self.tp_fields.items():
                field.input.disabled = tp is None
                field.show([])
                value = getattr(tp, name) if tp is not None else None
                if name in TP_LISTS:
                    field.value = "\n".join(value or [])
                elif name == "emotion":
                    field.value = 0 if value is None else value
                elif name == "effort":
                    field.value = 1 if value is None else value
                elif name in {"channel", "value"}:
                    field.value = (
                        value.value if value is not None else (None if name == "value" else "phone")
                    )
                elif name == "moment_of_truth":
                    field.value = bool(value)
                else:
                    field.value = value or ""

        self.quietly(fill)

    def _opportunity_selected(self) -> None:
        journey, o = self.journey, self._o()
        opp = journey.opportunities[o] if journey is not None and o is not None else None

        def fill() -> None:
            tps = [(tp.name, tp.id) for _, tp in journey.touchpoints()] if journey else []
            self.opp_fields["touchpoints"].input.options = tps
            for name, field in self.opp_fields.items():
                field.input.disabled = opp is None
                field.show([])
                value = getattr(opp, name) if opp is not None else None
                if name == "touchpoints":
                    field.value = tuple(value or ())
                elif name == "status":
                    field.value = value.value if value is not None else "idea"
                elif name in {"impact", "effort"}:
                    field.value = value or 3
                else:
                    field.value = value or ""

        self.quietly(fill)

    # ------------------------------------------------------------------ edits

    def _journey_setter(self, name: str) -> Callable[[Any], list[Problem]]:
        def handler(value: Any) -> list[Problem]:
            j = self._j()
            if j is None:
                return []
            return self.session.apply(
                lambda wb: setattr(wb.journeys[j], name, value), at=("journeys", j)
            )

        return handler

    def _stage_setter(self, name: str) -> Callable[[Any], list[Problem]]:
        def handler(value: Any) -> list[Problem]:
            j, s = self._j(), self._s()
            if j is None or s is None:
                return []
            return self.session.apply(
                lambda wb: setattr(wb.journeys[j].stages[s], name, value),
                at=("journeys", j, "stages", s),
            )

        return handler

    def _tp_setter(
        self, name: str, convert: Callable[[Any], Any]
    ) -> Callable[[Any], list[Problem]]:
        def handler(value: Any) -> list[Problem]:
            j, s, t = self._j(), self._s(), self._t()
            if j is None or s is None or t is None:
                return []
            return self.session.apply(
                lambda wb: setattr(wb.journeys[j].stages[s].touchpoints[t], name, convert(value)),
                at=("journeys", j, "stages", s, "touchpoints", t),
            )

        return handler

    def _opp_setter(
        self, name: str, convert: Callable[[Any], Any]
    ) -> Callable[[Any], list[Problem]]:
        def handler(value: Any) -> list[Problem]:
            j, o = self._j(), self._o()
            if j is None or o is None:
                return []
            return self.session.apply(
                lambda wb: setattr(wb.journeys[j].opportunities[o], name, convert(value)),
                at=("journeys", j, "opportunities", o),
            )

        return handler

    def after_edit(self) -> None:
        """Keep list labels in step with names, and redraw the curve."""
        journey = self.journey
        if journey is not None:

            def relabel() -> None:
                self.journey_select.options = [
                    (jj.title, jj.id) for jj in self.session.workbook.journeys
                ]
                self.journey_select.value = journey.id
                self.stages.set([(s.name, s.id) for s in journey.stages], self.stages.select.value)
                s = self._s()
                if s is not None:
                    self.touchpoints.set(
                        [(tp.name, tp.id) for tp in journey.stages[s].touchpoints],
                        self.touchpoints.select.value,
                    )
                self.opportunities.set(
                    [(o.title, o.id) for o in journey.opportunities],
                    self.opportunities.select.value,
                )

            self.quietly(relabel)
        self._draw_curve()

    def _structural(self, edit: Callable[[Workbook], Any], error: w.HTML) -> bool:
        problems = self.session.apply(edit)
        error.value = "<br>".join(esc(message_for(p, self.t)) for p in problems)
        return not problems

    def create_journey(self) -> None:
        wb = self.session.workbook
        persona = self.persona_for_new.value
        if persona is None:
            self.create_error.value = esc(self.t("required"))
            return
        template = str(self.template_select.value)
        jid = unused_id(template, {j.id for j in wb.journeys})
        journey = starter_journey(template, self.t.language, persona, jid)
        if self._structural(lambda wb: wb.journeys.append(journey), self.create_error):
            self._refresh_journeys(select=jid)

    def add_stage(self) -> None:
        j = self._j()
        if j is None:
            return
        journey = self.session.workbook.journeys[j]
        sid = unused_id("stage", {s.id for s in journey.stages})
        stage = Stage(id=sid, name=self.t("new_stage"))
        s = self._s()
        at = len(journey.stages) if s is None else s + 1
        if self._structural(lambda wb: wb.journeys[j].stages.insert(at, stage), self.stages.error):
            self.quietly(
                lambda: self.stages.set(
                    [(x.name, x.id) for x in self.session.workbook.journeys[j].stages], sid
                )
            )
            self._stage_selected()
            self._draw_curve()

    def delete_stage(self) -> None:
        j, s = self._j(), self._s()
        if j is None or s is None:
            return
        gone = {tp.id for tp in self.session.workbook.journeys[j].stages[s].touchpoints}

        stage_id = self.session.workbook.journeys[j].stages[s].id

        def edit(wb: Workbook) -> None:
            journey = wb.journeys[j]
            del journey.stages[s]
            _drop_touchpoint_refs(wb, journey, gone)
            for survey in wb.surveys:
                if survey.journey in (journey.id, None) and stage_id in survey.stage_map.values():
                    survey.stage_map = {k: v for k, v in survey.stage_map.items() if v != stage_id}

        if self._structural(edit, self.stages.error):
            self._journey_selected()

    def add_touchpoint(self) -> None:
        j, s = self._j(), self._s()
        if j is None or s is None:
            return
        journey = self.session.workbook.journeys[j]
        tid = unused_id("touchpoint", {tp.id for _, tp in journey.touchpoints()})
        tp = Touchpoint(id=tid, name=self.t("new_touchpoint"), channel=Channel.PHONE)
        t = self._t()
        at = len(journey.stages[s].touchpoints) if t is None else t + 1
        if self._structural(
            lambda wb: wb.journeys[j].stages[s].touchpoints.insert(at, tp), self.touchpoints.error
        ):
            self.quietly(
                lambda: self.touchpoints.set(
                    [
                        (x.name, x.id)
                        for x in self.session.workbook.journeys[j].stages[s].touchpoints
                    ],
                    tid,
                )
            )
            self._touchpoint_selected()
            self._opportunity_selected()
            self._draw_curve()

    def delete_touchpoint(self) -> None:
        j, s, t = self._j(), self._s(), self._t()
        if j is None or s is None or t is None:
            return
        gone = {self.session.workbook.journeys[j].stages[s].touchpoints[t].id}

        def edit(wb: Workbook) -> None:
            journey = wb.journeys[j]
            del journey.stages[s].touchpoints[t]
            _drop_touchpoint_refs(wb, journey, gone)

        if self._structural(edit, self.touchpoints.error):
            self._stage_selected()
            self._opportunity_selected()
            self._draw_curve()

    def add_opportunity(self) -> None:
        j = self._j()
        if j is None:
            return
        journey = self.session.workbook.journeys[j]
        oid = unused_id("opportunity", {o.id for o in journey.opportunities})
        tp = self._touchpoint()
        opp = Opportunity(
            id=oid,
            title=self.t("new_opportunity"),
            impact=3,
            effort=3,
            touchpoints=[tp.id] if tp is not None else [],
        )
        if self._structural(
            lambda wb: wb.journeys[j].opportunities.append(opp), self.opportunities.error
        ):
            self.quietly(
                lambda: self.opportunities.set(
                    [(o.title, o.id) for o in self.session.workbook.journeys[j].opportunities], oid
                )
            )
            self._opportunity_selected()

    def delete_opportunity(self) -> None:
        j, o = self._j(), self._o()
        if j is None or o is None:
            return
        if self._structural(
            lambda wb: wb.journeys[j].opportunities.pop(o), self.opportunities.error
        ):
            self._journey_selected()

    def _move(self, what: str, step: int) -> None:
        j = self._j()
        if j is None:
            return
        if what == "stages":
            i, editor = self._s(), self.stages
        elif what == "touchpoints":
            i, editor = self._t(), self.touchpoints
        else:
            i, editor = self._o(), self.opportunities
        if i is None:
            return
        s = self._s()

        def edit(wb: Workbook) -> None:
            journey = wb.journeys[j]
            items: list[Any] = (
                journey.stages
                if what == "stages"
                else journey.opportunities
                if what == "opportunities"
                else journey.stages[s].touchpoints
                if s is not None
                else []
            )
            k = i + step
            if 0 <= k < len(items):
                items[i], items[k] = items[k], items[i]

        if self._structural(edit, editor.error):
            self.after_edit()

    # ------------------------------------------------------------------ preview

    def _draw_curve(self) -> None:
        xs, ys, mot = emotion_points(self.journey)
        with self.curve.batch_update():
            trace = self.curve.data[0]
            trace.x = xs
            trace.y = ys
            trace.marker = {
                "size": [14 if m else 8 for m in mot],
                "symbol": ["star" if m else "circle" for m in mot],
            }
            self.curve.layout.annotations = (
                ()
                if xs
                else (
                    {
                        "text": self.t("no_touchpoints"),
                        "showarrow": False,
                        "xref": "paper",
                        "yref": "paper",
                        "x": 0.5,
                        "y": 0.5,
                    },
                )
            )


def _drop_touchpoint_refs(wb: Workbook, journey: Journey, gone: set[str]) -> None:
    """Removing touchpoints also removes them from the opportunities that named them."""
    for opp in journey.opportunities:
        if gone & set(opp.touchpoints):
            opp.touchpoints = [t for t in opp.touchpoints if t not in gone]
    for survey in wb.surveys:
        if survey.journey in (journey.id, None) and gone & set(survey.touchpoint_map.values()):
            survey.touchpoint_map = {
                k: v for k, v in survey.touchpoint_map.items() if v not in gone
            }
