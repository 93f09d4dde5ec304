"""The journey mapper: stages, touchpoints and opportunities, with a live emotion curve.

Every list keeps its selection by id (:class:`~cxkit.widgets._lists.ItemList`); every
edit names its item by ids (:mod:`cxkit.workbook.edits`), and the domain rules (what a delete
takes along) live in the editing session, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from cxkit.errors import Problem
from cxkit.widgets._common import NONE, Field, Form, columns, esc, message_for, row, text
from cxkit.widgets._journey_parts import (
    EmotionCurve,
    emotion_points,
    opportunity_parts,
    touchpoint_parts,
)
from cxkit.widgets._lists import ItemList, goes_with
from cxkit.widgets._panel import Panel, Part
from cxkit.widgets.mapeditor import MapEditor
from cxkit.workbook import edits
from cxkit.workbook.editing import EditSession
from cxkit.workbook.model import Channel, Journey, Opportunity, Stage, Touchpoint
from cxkit.workbook.starters import list_starters, starter_journey

Ids = tuple[str, ...]


class JourneyMapper(Form):
    """Form for one journey at a time: pick it, edit stages and touchpoints, see the curve."""

    title_key = "journey_mapper"

    def __init__(
        self, session: EditSession, *, with_map: bool = True, map_editor: MapEditor | None = None
    ) -> None:
        super().__init__(session)
        t = self.t
        # The map editor on the same session, above the detailed form; selecting a cell
        # selects that touchpoint below, and the other way round. A map shown already
        # (``map_editor``, displayed first so it appears while this form is built) is
        # linked, not shown again.
        self.map: MapEditor | None = map_editor or (MapEditor(session) if with_map else None)
        self.journeys = ItemList(t, self._journey_selected, movable=False)
        self.journeys.add.layout.display = self.journeys.delete.layout.display = "none"
        self.template_select = w.Dropdown(
            options=[
                (f"{s.name}: {s.description.get(t.language, s.name)}", s.name)
                for s in list_starters()
            ],
            layout=w.Layout(width="auto", max_width="100%"),
        )
        self.persona_for_new = w.Dropdown(
            options=[], layout=w.Layout(width="auto", max_width="100%")
        )
        self.create_button = w.Button(description=t("create"), layout=w.Layout(width="auto"))
        self.create_error = w.HTML("")
        self.create_error.add_class("cxkit-error")
        self.journey_panel = Panel(
            self, "journey", self._journey_parts, "journey", before_fill=self._persona_options
        )
        self.stages = ItemList(t, self._stage_selected)
        self.stage_panel = Panel(
            self, "stage", lambda: {"name": Part(Field(t("name"), text()))}, "stage"
        )
        self.new_channel = w.Dropdown(
            options=[(t("choose_channel"), NONE)]
            + [(t.channel(c.value), c.value) for c in Channel],
            layout=w.Layout(width="auto", max_width="100%"),
        )
        self.touchpoints = ItemList(t, self._touchpoint_selected, extra=[self.new_channel])
        self.tp_panel = Panel(self, "touchpoint", lambda: touchpoint_parts(t), "tp")
        scale = [(str(v), v) for v in range(1, 6)]
        self.new_impact = w.Dropdown(
            options=[(t("choose_impact"), NONE), *scale], layout=w.Layout(width="auto")
        )
        self.new_effort = w.Dropdown(
            options=[(t("choose_effort"), NONE), *scale], layout=w.Layout(width="auto")
        )
        self.opportunities = ItemList(
            t, self._opportunity_selected, extra=[self.new_impact, self.new_effort]
        )
        self.opp_panel = Panel(
            self, "opportunity", lambda: opportunity_parts(t), "opp", before_fill=self._tp_options
        )
        # The curve is drawn with the first journey from the start: a page that shows the
        # figure later (Voila) gets it with its trace, not an update for a trace it lacks.
        self.chart = EmotionCurve(
            t, session.workbook.journeys[0] if session.workbook.journeys else None
        )
        self.curve = self.chart.figure

        for name, editor in (
            ("journeys", self.journeys),
            ("stages", self.stages),
            ("touchpoints", self.touchpoints),
            ("opportunities", self.opportunities),
        ):
            editor.box.add_class(f"cxkit-list-{name}")
        self._wire()
        if self.map is not None:
            self.map.selection_listeners.append(self.select_touchpoint)
        self._widget = self.frame(
            w.HTML(f"<h4>{esc(t('journey'))}</h4>"),
            self.journeys.box,
            row(
                w.HTML(f"<b>{esc(t('new_journey'))}</b>"),
                self.template_select,
                self.persona_for_new,
                self.create_button,
            ),
            self.create_error,
            self.journey_panel.box,
            self.chart.box,
            columns(
                (
                    [
                        w.HTML(f"<h4>{esc(t('stages'))}</h4>"),
                        self.stages.box,
                        self.stage_panel.box,
                    ],
                    "col",
                ),
                ([w.HTML(f"<h4>{esc(t('touchpoints'))}</h4>"), self.touchpoints.box], "col"),
                ([self.tp_panel.box], "col-wide"),
            ),
            w.HTML(f"<h4>{esc(t('opportunities'))}</h4>"),
            columns(
                ([self.opportunities.box], "col"),
                ([self.opp_panel.box], "col-wide"),
            ),
        )
        self.form_box = self._widget
        if self.map is not None and map_editor is None:  # full width, above (the form: 980 px)
            self._widget = w.VBox([self.map, self.form_box])
        self.reload()

    @property
    def widget(self) -> w.Widget:
        return self._widget

    # ------------------------------------------------------------------ wiring

    def _wire(self) -> None:
        self.create_button.on_click(lambda _b: self.create_journey())
        for kind, editor in (
            ("stage", self.stages),
            ("touchpoint", self.touchpoints),
            ("opportunity", self.opportunities),
        ):
            editor.add.on_click(lambda _b, k=kind: self.add(k))
            editor.up.on_click(lambda _b, k=kind: self.move(k, -1))
            editor.down.on_click(lambda _b, k=kind: self.move(k, 1))
            editor.delete.on_click(lambda _b, k=kind: self.delete(k))
            editor.confirm_yes.on_click(lambda _b, k=kind: self.delete(k, confirmed=True))

    # ------------------------------------------------------------------ where we are

    def ids(self, kind: str) -> Ids | None:
        """The ids of the selected item of ``kind`` (None when nothing is selected)."""
        j = self.journeys.selected
        chosen = {
            "journey": (j,),
            "stage": (j, self.stages.selected),
            "touchpoint": (j, self.stages.selected, self.touchpoints.selected),
            "opportunity": (j, self.opportunities.selected),
        }[kind]
        return None if None in chosen else tuple(str(i) for i in chosen)

    def item(self, kind: str) -> Any:
        ids = self.ids(kind)
        found = edits.find(self.session.workbook, kind, ids) if ids else None
        return found[0] if found else None

    @property
    def journey(self) -> Journey | None:
        return self.item("journey")

    @property
    def journey_fields(self) -> dict[str, Part]:
        return self.journey_panel.parts

    @property
    def stage_name(self) -> Field:
        return self.stage_panel.parts["name"].field

    @property
    def tp_fields(self) -> dict[str, Part]:
        """The fields of the selected touchpoint (each touchpoint has its own widgets)."""
        return self.tp_panel.parts

    @property
    def opp_fields(self) -> dict[str, Part]:
        return self.opp_panel.parts

    def _journey_parts(self) -> dict[str, Part]:
        t = self.t
        return {
            "title": Part(Field(t("title"), text())),
            "persona": Part(
                Field(t("persona"), w.Dropdown(options=[], layout=w.Layout(width="96%")))
            ),
            "description": Part(Field(t("findings"), text(multiline=True))),
        }

    def _persona_options(self, parts: dict[str, Part]) -> None:
        options = [(p.name, p.id) for p in self.session.workbook.personas]
        dropdown = parts["persona"].field.input
        if list(dropdown.options) != options:
            with dropdown.hold_sync():
                dropdown.options = options

    def _tp_options(self, parts: dict[str, Part]) -> None:
        journey = self.journey
        options = [(tp.name, tp.id) for _, tp in journey.touchpoints()] if journey else []
        addresses = parts["touchpoints"].field.input
        if list(addresses.options) != options:
            keep = tuple(v for v in addresses.value if v in {i for _, i in options})
            with addresses.hold_sync():
                addresses.options = options
                addresses.value = keep

    def _list(self, kind: str) -> ItemList:
        return {
            "stage": self.stages,
            "touchpoint": self.touchpoints,
            "opportunity": self.opportunities,
        }[kind]

    # ------------------------------------------------------------------ loading into widgets

    def reload(self, select: str | None = None) -> None:
        wb = self.session.workbook

        def update() -> None:
            personas = [(p.name, p.id) for p in wb.personas]
            options = [(self.t("choose_persona"), NONE), *personas]
            dropdown = self.persona_for_new
            if list(dropdown.options) != options:
                with dropdown.hold_sync():
                    keep = dropdown.value
                    dropdown.options = options
                    dropdown.value = keep if keep in {i for _, i in options} else NONE
            self.journeys.set([(j.title, j.id) for j in wb.journeys], select)

        self.quietly(update)
        self._journey_selected()

    def _journey_selected(self) -> None:
        journey = self.journey

        self.journey_panel.show(self.ids("journey"), journey)

        def fill() -> None:
            self.stages.set([(s.name, s.id) for s in journey.stages] if journey else [])
            self.opportunities.set(
                [(o.title, o.id) for o in journey.opportunities] if journey else []
            )

        self.quietly(fill)
        self.create_error.value = "" if journey else esc(self.t("no_journeys"))
        self._stage_selected()
        self._opportunity_selected()
        self.chart.draw(journey)

    def _stage_selected(self) -> None:
        stage: Stage | None = self.item("stage")

        self.stage_panel.show(self.ids("stage"), stage)

        def fill() -> None:
            self.touchpoints.set([(tp.name, tp.id) for tp in stage.touchpoints] if stage else [])

        self.quietly(fill)
        self._touchpoint_selected()

    def _touchpoint_selected(self) -> None:
        self.tp_panel.show(self.ids("touchpoint"), self.item("touchpoint"))
        if self.map is not None:
            self.map.select(self.journeys.selected, self.stages.selected, self.touchpoints.selected)

    def select_touchpoint(self, journey: str | None, stage: str | None, tp: str | None) -> None:
        """Select a touchpoint (or a stage, or a journey) as the map editor asks."""
        if journey is not None and journey != self.journeys.selected:
            self.journeys.choose(journey)
        if stage is not None and stage != self.stages.selected:
            self.stages.choose(stage)
        if tp is not None and tp != self.touchpoints.selected:
            self.touchpoints.choose(tp)

    def _opportunity_selected(self) -> None:
        self.opp_panel.show(self.ids("opportunity"), self.item("opportunity"))

    # ------------------------------------------------------------------ edits

    def after_edit(self) -> None:
        """Keep list labels in step with names (labels only), and redraw the curve."""
        journey = self.journey
        if journey is not None:
            self.journeys.relabel(journey.id, journey.title)
            stage, opp = self.item("stage"), self.item("opportunity")
            if stage is not None:
                self.stages.relabel(stage.id, stage.name)
                for tp in stage.touchpoints:
                    self.touchpoints.relabel(tp.id, tp.name)
            if opp is not None:
                self.opportunities.relabel(opp.id, opp.title)
                self._tp_options(self.opp_fields)
        self.chart.draw(journey)

    def _structural(self, change: Callable[[], list[Problem]], editor: ItemList) -> bool:
        problems: list[Problem] = []
        self.quietly(lambda: problems.extend(change()))
        editor.error.value = "<br>".join(esc(message_for(p, self.t)) for p in problems)
        return not problems

    def create_journey(self) -> None:
        wb = self.session.workbook
        persona = self.persona_for_new.value
        if persona in (None, NONE):
            self.create_error.value = esc(self.t("choose_persona_first"))
            return
        template = str(self.template_select.value)
        jid = edits.unused_id(template, {j.id for j in wb.journeys})
        journey = starter_journey(template, self.t.language, persona, jid)
        if self._structural(lambda: self.session.insert("journey", (), journey), self.journeys):
            self.create_error.value = ""
            self.reload(select=jid)

    def _new_item(self, kind: str) -> Any:
        """A new item with nothing invented: required choices come from the add row."""
        journey = self.journey
        assert journey is not None
        if kind == "stage":
            sid = edits.unused_id("stage", {s.id for s in journey.stages})
            return Stage(id=sid, name=self.t("new_stage"))
        if kind == "touchpoint":
            if self.new_channel.value == NONE:
                raise ValueError(self.t("choose_channel_first"))
            tid = edits.unused_id("touchpoint", {tp.id for _, tp in journey.touchpoints()})
            return Touchpoint(
                id=tid, name=self.t("new_touchpoint"), channel=Channel(self.new_channel.value)
            )
        if NONE in (self.new_impact.value, self.new_effort.value):
            raise ValueError(self.t("choose_impact_first"))
        tp = self.item("touchpoint")
        return Opportunity(
            id=edits.unused_id("opportunity", {o.id for o in journey.opportunities}),
            title=self.t("new_opportunity"),
            impact=self.new_impact.value,
            effort=self.new_effort.value,
            touchpoints=[tp.id] if tp is not None else [],
        )

    def add(self, kind: str) -> None:
        ids = self.ids(kind)
        parent = self.ids("stage") if kind == "touchpoint" else self.ids("journey")
        editor = self._list(kind)
        if parent is None:
            return
        try:
            item = self._new_item(kind)
        except ValueError as exc:
            editor.error.value = esc(exc)
            return
        after = ids[-1] if ids else (editor.ids[-1] if editor.ids else None)
        if self._structural(lambda: self.session.insert(kind, parent, item, after), editor):
            self._refresh_lists(kind, item.id)

    def delete(self, kind: str, *, confirmed: bool = False) -> None:
        ids, editor = self.ids(kind), self._list(kind)
        item = self.item(kind)
        if ids is None or item is None:
            return
        if not confirmed:
            name = str(getattr(item, "name", None) or getattr(item, "title", ""))
            editor.ask(goes_with(self.t, name, self.session.what_goes(kind, ids)))
            return
        editor.ask(None)
        if self._structural(lambda: self.session.delete(kind, ids), editor):
            self._refresh_lists(kind, None)

    def move(self, kind: str, step: int) -> None:
        ids = self.ids(kind)
        if ids is not None and self._structural(
            lambda: self.session.move(kind, ids, step), self._list(kind)
        ):
            self._refresh_lists(kind, ids[-1])

    def _refresh_lists(self, kind: str, select: str | None) -> None:
        journey = self.journey
        if journey is None:
            return
        if kind == "stage":
            self.quietly(lambda: self.stages.set([(s.name, s.id) for s in journey.stages], select))
            self._stage_selected()
        elif kind == "touchpoint":
            stage = self.item("stage")
            items = [(tp.name, tp.id) for tp in stage.touchpoints] if stage else []
            self.quietly(lambda: self.touchpoints.set(items, select))
            self._touchpoint_selected()
        else:
            items = [(o.title, o.id) for o in journey.opportunities]
            self.quietly(lambda: self.opportunities.set(items, select))
        self._opportunity_selected()
        self.chart.draw(journey)


__all__ = ["JourneyMapper", "emotion_points"]
