"""The edits a form (or any editor) makes to a workbook, as functions of a workbook.

Items are named by kind and ids, never by position, so an edit made while another
editor reorders the list still reaches the item the student was looking at:

- ``("persona", (persona_id,))``
- ``("journey", (journey_id,))``
- ``("stage", (journey_id, stage_id))``
- ``("touchpoint", (journey_id, stage_id, touchpoint_id))``
- ``("opportunity", (journey_id, opportunity_id))``

Each function returns an edit for :meth:`cxkit.workbook.editing.EditSession.apply`. The domain
rules live here: deleting a stage or touchpoint removes the references to what went
with it (opportunity links, survey answer links); renaming a persona's id renames
every reference to it; :func:`what_goes` says beforehand what a delete takes along.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cxkit.workbook.model import Journey, Loc, Persona, Stage, Workbook

Ids = tuple[str, ...]
Edit = Callable[[Workbook], Any]
KINDS = ("persona", "journey", "stage", "touchpoint", "opportunity")


def _index(items: list[Any], ident: str) -> int:
    for i, item in enumerate(items):
        if item.id == ident:
            return i
    raise KeyError(ident)  # gone: another editor removed it


def siblings(wb: Workbook, kind: str, parent: Ids) -> tuple[list[Any], Loc]:
    """The list holding items of ``kind`` under ``parent`` ids, and its place."""
    if kind == "persona":
        return wb.personas, ("personas",)
    if kind == "journey":
        return wb.journeys, ("journeys",)
    j = _index(wb.journeys, parent[0])
    journey = wb.journeys[j]
    if kind == "stage":
        return journey.stages, ("journeys", j, "stages")
    if kind == "opportunity":
        return journey.opportunities, ("journeys", j, "opportunities")
    if kind == "touchpoint":
        s = _index(journey.stages, parent[1])
        return journey.stages[s].touchpoints, ("journeys", j, "stages", s, "touchpoints")
    raise ValueError(f"unknown kind {kind!r}")


def find(wb: Workbook, kind: str, ids: Ids) -> tuple[Any, Loc] | None:
    """The item and its place, or None when it is gone."""
    try:
        items, loc = siblings(wb, kind, ids[:-1])
        i = _index(items, ids[-1])
    except (KeyError, IndexError):
        return None
    return items[i], (*loc, i)


def set_field(kind: str, ids: Ids, name: str, value: Any) -> Edit:
    return set_fields(kind, ids, {name: value})


def set_fields(kind: str, ids: Ids, values: dict[str, Any]) -> Edit:
    """Set several fields of one item in one edit (one undo step: a map cell's name and
    channel, a moment of truth and its reason)."""

    def edit(wb: Workbook) -> None:
        found = find(wb, kind, ids)
        if found is None:
            raise KeyError(ids[-1])
        for name, value in values.items():
            setattr(found[0], name, value)

    return edit


def insert(
    kind: str, parent: Ids, item: Any, after: str | None = None, *, index: int | None = None
) -> Edit:
    """Add ``item`` after the item with id ``after`` (at the end when None or gone), or at
    position ``index`` (clamped to the list) when that is given: a drop between two cards."""

    def edit(wb: Workbook) -> None:
        items, _ = siblings(wb, kind, parent)
        ids = [x.id for x in items]
        if index is not None:
            items.insert(max(0, min(index, len(items))), item)
        else:
            items.insert(ids.index(after) + 1 if after in ids else len(items), item)

    return edit


def move(kind: str, ids: Ids, step: int) -> Edit:
    def edit(wb: Workbook) -> None:
        items, _ = siblings(wb, kind, ids[:-1])
        i = _index(items, ids[-1])
        k = i + step
        if 0 <= k < len(items):
            items[i], items[k] = items[k], items[i]

    return edit


def relocate(kind: str, ids: Ids, parent: Ids, index: int) -> Edit:
    """Move a stage to ``index`` of its journey, or a touchpoint to ``index`` of the stage
    ``parent`` names (its own or another). The index counts the list without the item,
    as a drop between two cards does; it is clamped to the list. Ids do not change, so
    every reference to the item stays valid."""

    def edit(wb: Workbook) -> None:
        items, _ = siblings(wb, kind, ids[:-1])
        item = items.pop(_index(items, ids[-1]))
        target, _ = siblings(wb, kind, parent)
        target.insert(max(0, min(index, len(target))), item)

    return edit


def delete(kind: str, ids: Ids) -> Edit:
    """Remove the item and every reference to what goes with it."""

    def edit(wb: Workbook) -> None:
        items, _ = siblings(wb, kind, ids[:-1])
        item = items.pop(_index(items, ids[-1]))
        if kind == "persona":
            for journey in wb.journeys:
                for _, tp in journey.touchpoints():
                    tp.emotion_by_persona.pop(item.id, None)
        elif kind in ("stage", "touchpoint"):
            journey = wb.journey(ids[0])
            gone = {tp.id for tp in item.touchpoints} if kind == "stage" else {item.id}
            _drop_touchpoint_refs(wb, journey, gone)
            if kind == "stage":
                for survey in _surveys_of(wb, journey):
                    if item.id in survey.stage_map.values():
                        survey.stage_map = {
                            k: v for k, v in survey.stage_map.items() if v != item.id
                        }

    return edit


def rename_persona(old: str, new: str) -> Edit:
    """Change a persona's id and every reference to it (journeys, per-persona emotions)."""

    def edit(wb: Workbook) -> None:
        wb.personas[_index(wb.personas, old)].id = new
        for journey in wb.journeys:
            if journey.persona == old:
                journey.persona = new
            for _, tp in journey.touchpoints():
                if old in tp.emotion_by_persona:
                    tp.emotion_by_persona = {
                        (new if k == old else k): v for k, v in tp.emotion_by_persona.items()
                    }

    return edit


def what_goes(wb: Workbook, kind: str, ids: Ids) -> dict[str, int]:
    """What deleting the item takes along, by what: ``{"touchpoints": 3, ...}``.

    ``journeys_using`` (for a persona) means the delete is refused until they change.
    """
    found = find(wb, kind, ids)
    if found is None:
        return {}
    item = found[0]
    out: dict[str, int] = {}
    if isinstance(item, Persona):
        out["journeys_using"] = sum(1 for j in wb.journeys if j.persona == item.id)
        out["persona_emotions"] = sum(
            1 for j in wb.journeys for _, tp in j.touchpoints() if item.id in tp.emotion_by_persona
        )
    elif kind in ("stage", "touchpoint"):
        journey = wb.journey(ids[0])
        gone = {tp.id for tp in item.touchpoints} if isinstance(item, Stage) else {item.id}
        if isinstance(item, Stage):
            out["touchpoints"] = len(item.touchpoints)
        out["opportunity_links"] = sum(
            1 for o in journey.opportunities if gone & set(o.touchpoints)
        )
        out["survey_links"] = sum(
            sum(1 for v in s.touchpoint_map.values() if v in gone)
            + (sum(1 for v in s.stage_map.values() if v == item.id) if kind == "stage" else 0)
            for s in _surveys_of(wb, journey)
        )
    return {k: v for k, v in out.items() if v}


def unused_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _surveys_of(wb: Workbook, journey: Journey) -> list[Any]:
    return [
        s
        for s in wb.surveys
        if s.journey == journey.id or (s.journey is None and len(wb.journeys) == 1)
    ]


def _drop_touchpoint_refs(wb: Workbook, journey: Journey, gone: set[str]) -> None:
    for opp in journey.opportunities:
        if gone & set(opp.touchpoints):
            opp.touchpoints = [t for t in opp.touchpoints if t not in gone]
    for survey in _surveys_of(wb, journey):
        if gone & set(survey.touchpoint_map.values()):
            survey.touchpoint_map = {
                k: v for k, v in survey.touchpoint_map.items() if v not in gone
            }


__all__ = [
    "KINDS",
    "delete",
    "find",
    "insert",
    "move",
    "relocate",
    "rename_persona",
    "set_field",
    "set_fields",
    "siblings",
    "unused_id",
    "what_goes",
]
