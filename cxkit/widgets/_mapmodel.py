"""What the map editor shows, and what its gestures do, without a browser.

:func:`view` turns a journey into the plain data the front end draws (stages as columns,
touchpoints within them, one lane per row); :func:`command` carries out one message the
front end sends (a cell commit, a drop, an add, a delete) through the editing session.
Both are plain functions of a session, so the tests drive them directly and the widget
(:mod:`cxkit.widgets.mapeditor`) is only the wire between them and the page.
"""

from __future__ import annotations

from typing import Any

from cxkit.errors import Problem
from cxkit.i18n import label_table
from cxkit.widgets._common import Labels, lines, message_for, signed
from cxkit.widgets._lists import goes_with
from cxkit.workbook import edits
from cxkit.workbook.editing import EditSession
from cxkit.workbook.model import (
    Channel,
    Journey,
    Opportunity,
    Stage,
    State,
    Touchpoint,
    Value,
    Workbook,
)
from cxkit.workbook.starters import slugify

# The lanes, top to bottom, as the report's poster orders them. The kind says which
# editor a cell opens: text (one value), lines (one item per line), a menu, the
# emotion dot, or a small group of fields edited together.
LANES: tuple[tuple[str, str], ...] = (
    ("touchpoint", "card"),  # name + channel
    ("action", "text"),
    ("questions", "lines"),
    ("expectation", "text"),
    ("emotion", "emotion"),
    ("effort", "effort"),
    ("moment_of_truth", "mot"),  # the flag + why
    ("pain_points", "lines"),
    ("documents", "lines"),
    ("value", "value"),
    ("opportunities", "opps"),
    ("backstage", "backstage"),  # owner + processes
)
EMOTIONS = tuple(range(-2, 3))
EFFORTS = tuple(range(1, 6))
_SHARED_LABELS = (
    "choose_channel choose_impact choose_effort choose_persona name channel owner backstage "
    "moment_of_truth_reason impact effort cancel delete_confirm undo redo emotion_curve"
)


def _lane_label(t: Labels, key: str) -> str:
    return t(f"map_lane_{key}")


def labels(t: Labels) -> dict[str, Any]:
    """Every text the front end shows, from the forms' locale files."""
    keys = [k for k in label_table("forms", "en") if k.startswith("map_")]
    keys += _SHARED_LABELS.split()
    out: dict[str, Any] = {key: t(key) for key in keys}
    out["lanes"] = {key: _lane_label(t, key) for key, _ in LANES}
    return out


def _tp_view(tp: Touchpoint, opps: list[Opportunity]) -> dict[str, Any]:
    data = tp.model_dump(mode="json", exclude={"emotion_by_persona"})
    data["opportunities"] = [
        {"id": o.id, "title": o.title, "impact": o.impact, "effort": o.effort}
        for o in opps
        if tp.id in o.touchpoints
    ]
    return data


def counterpart(wb: Workbook, journey: Journey) -> Journey | None:
    """The future state that redesigns ``journey``, or the current one it redesigns."""
    if journey.redesigns:
        for other in wb.journeys:
            if other.id == journey.redesigns:
                return other
    for other in wb.journeys:
        if other.redesigns == journey.id:
            return other
    return None


def view(session: EditSession, journey_id: str | None, t: Labels) -> dict[str, Any]:
    """The journey ``journey_id`` (or the first) as the front end draws it."""
    wb = session.workbook
    journey = next((j for j in wb.journeys if j.id == journey_id), None)
    if journey is None and wb.journeys:
        journey = wb.journeys[0]
    other = counterpart(wb, journey) if journey is not None else None
    return {
        "lang": t.language,
        "dir": "rtl" if t.rtl else "ltr",
        "lanes": [{"key": key, "kind": kind} for key, kind in LANES],
        "channels": [[c.value, t.channel(c.value)] for c in Channel],
        "values": [["", t("value_none")]] + [[v.value, t(f"value_{v.value}")] for v in Value],
        "emotions": [[v, signed(v)] for v in EMOTIONS],
        "efforts": list(EFFORTS),
        "personas": [[p.id, p.name] for p in wb.personas],
        "journeys": [[j.id, j.title] for j in wb.journeys],
        "journey": journey.id if journey else None,
        "title": journey.title if journey else "",
        "state": journey.state.value if journey else State.CURRENT.value,
        "counterpart": (
            {"id": other.id, "state": other.state.value, "title": other.title} if other else None
        ),
        "opportunities": (
            [{"id": o.id, "title": o.title} for o in journey.opportunities] if journey else []
        ),
        "stages": (
            [
                {
                    "id": s.id,
                    "name": s.name,
                    "touchpoints": [_tp_view(tp, journey.opportunities) for tp in s.touchpoints],
                }
                for s in journey.stages
            ]
            if journey
            else []
        ),
    }


# --------------------------------------------------------------------------- commands


class Refused(ValueError):
    """A gesture that cannot be carried out as asked (the message says what to do)."""


def _new_id(name: str, base: str, taken: set[str]) -> str:
    slug = slugify(name)[:40].strip("-")
    return edits.unused_id(slug if slug and slug != "client" else base, taken)


def _text(value: Any) -> str | None:
    text = str(value or "").strip()
    return text or None


def _touchpoint_values(fields: dict[str, Any]) -> dict[str, Any]:
    """What the front end sent for a touchpoint's cell, as model values."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("questions", "pain_points", "documents", "backstage"):
            out[name] = lines(str(value or ""))
        elif name in ("action", "expectation", "owner", "moment_of_truth_reason"):
            out[name] = _text(value)
        elif name == "name":
            out[name] = str(value or "").strip()
        elif name in ("emotion", "effort"):
            out[name] = None if value in (None, "") else int(value)
        elif name == "value":
            out[name] = value or None
        elif name == "channel":
            out[name] = value
        elif name == "moment_of_truth":
            out[name] = bool(value)
        else:
            raise Refused(f"unknown field {name!r}")
    return out


def _refuse_if_changed(
    tp: Touchpoint, values: dict[str, Any], base: dict[str, Any] | None, t: Labels
) -> None:
    """Two editors on one cell: ``base`` is what the cell showed when it was opened. If
    the touchpoint holds something else now (another tab saved meanwhile) and the edit
    would overwrite it, refuse and name their value; the page keeps what was typed and
    a second Enter saves it over theirs (it is then sent without a base)."""
    if not base:
        return
    now = tp.model_dump(mode="json")
    shown = {
        k: (v if isinstance(v, list) else _touchpoint_values({k: v})[k])
        for k, v in base.items()
        if k in values
    }
    for name, was in shown.items():
        current = now.get(name)
        if current != was and current != values[name]:
            theirs = "; ".join(current) if isinstance(current, list) else current
            raise Refused(t("map_changed_meanwhile", theirs="" if theirs is None else theirs))


def _set_opportunities(jid: str, tid: str, rows: list[dict[str, Any]], t: Labels) -> edits.Edit:
    """The opportunities linked to touchpoint ``tid`` become ``rows`` (title, impact,
    effort; an id for one that exists). A row left out is unlinked, not deleted: other
    touchpoints may share it, and the detailed form still lists it."""
    for row in rows:
        if (
            not row.get("id")
            and _text(row.get("title"))
            and not (row.get("impact") and row.get("effort"))
        ):
            raise Refused(t("choose_impact_first"))

    def edit(wb: Workbook) -> None:
        journey = wb.journey(jid)
        kept: set[str] = set()
        for row in rows:
            title = _text(row.get("title"))
            oid = row.get("id")
            opp = next((o for o in journey.opportunities if o.id == oid), None) if oid else None
            if opp is None:
                if title is None:
                    continue
                taken = {o.id for o in journey.opportunities}
                opp = Opportunity(
                    id=_new_id(title, "opportunity", taken),
                    title=title,
                    impact=int(row["impact"]),
                    effort=int(row["effort"]),
                    touchpoints=[tid],
                )
                journey.opportunities.append(opp)
            else:
                if title is None:  # the title cleared: unlink it from here
                    continue
                opp.title = title
                if row.get("impact"):
                    opp.impact = int(row["impact"])
                if row.get("effort"):
                    opp.effort = int(row["effort"])
                if tid not in opp.touchpoints:
                    opp.touchpoints = [*opp.touchpoints, tid]
            kept.add(opp.id)
        for opp in journey.opportunities:
            if tid in opp.touchpoints and opp.id not in kept:
                opp.touchpoints = [x for x in opp.touchpoints if x != tid]

    return edit


def _journey_of(step: Any) -> str | None:
    """The journey an undo step changed (its changes are addressed by ids)."""
    for change in step.changes:
        if len(change.at) >= 2 and change.at[0] == "journeys" and isinstance(change.at[1], str):
            return change.at[1]
    return None


def command(
    session: EditSession, journey_id: str | None, msg: dict[str, Any], t: Labels
) -> dict[str, Any]:
    """Carry out one front-end message. Returns what the widget should show next:
    ``problems`` (messages), ``select`` (stage, touchpoint ids), ``journey``, ``confirm``."""
    op = msg.get("op")
    wb = session.workbook
    jid = str(msg.get("journey") or journey_id or "")
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    try:
        if op == "new_journey":
            title = _text(msg.get("title"))
            persona = msg.get("persona")
            if title is None or not persona:
                raise Refused(t("map_new_journey_needs"))
            new = _new_id(title, "journey", {j.id for j in wb.journeys})
            journey = Journey(id=new, title=title, persona=str(persona))
            problems = session.apply(edits.insert("journey", (), journey), label="add journey")
            out["journey"] = new
        elif op == "set":
            sid, tid = msg["tp"]
            values = _touchpoint_values(msg.get("fields", {}))
            found = edits.find(wb, "touchpoint", (jid, sid, tid))
            if found is None:
                raise KeyError(tid)
            at = found[1]
            _refuse_if_changed(found[0], values, msg.get("base"), t)
            label = ",".join(sorted(values))
            edit = edits.set_fields("touchpoint", (jid, sid, tid), values)
            problems = session.apply(edit, at=at, label=label)
            out["select"] = [sid, tid]
        elif op == "opps":
            sid, tid = msg["tp"]
            edit = _set_opportunities(jid, tid, list(msg.get("rows", [])), t)
            problems = session.apply(edit, label="opportunities")
            out["select"] = [sid, tid]
        elif op == "stage_name":
            problems = session.set_field(
                "stage", (jid, msg["stage"]), "name", str(msg["name"]).strip()
            )
        elif op == "move_tp":
            sid, tid = msg["tp"]
            problems = session.relocate(
                "touchpoint", (jid, sid, tid), (jid, msg["to"]), int(msg["index"])
            )
            out["select"] = [msg["to"], tid]
        elif op == "move_stage":
            problems = session.relocate("stage", (jid, msg["stage"]), (jid,), int(msg["index"]))
        elif op == "add_tp":
            out.update(_add_touchpoint(session, jid, msg, t))
            problems = out.pop("problems")
        elif op == "add_stage":
            journey = wb.journey(jid)
            name = _text(msg.get("name")) or t("new_stage")
            stage = Stage(id=_new_id(name, "stage", {s.id for s in journey.stages}), name=name)
            index = int(msg.get("index", len(journey.stages)))
            edit = edits.insert("stage", (jid,), stage, index=index)
            problems = session.apply(edit, label="add stage")
            out["select"] = [stage.id, None]
        elif op == "delete":
            kind, ids = str(msg["kind"]), (jid, *msg["ids"])
            found = edits.find(wb, kind, ids)
            if found is not None and not msg.get("confirmed"):
                name = str(getattr(found[0], "name", ""))
                out["confirm"] = {
                    "kind": kind,
                    "ids": list(msg["ids"]),
                    "text": goes_with(t, name, session.what_goes(kind, ids)),
                }
            elif found is not None:
                problems = session.delete(kind, ids)
        elif op in ("undo", "redo"):
            steps = session.undo_steps if op == "undo" else session.redo_steps
            changed = _journey_of(steps[-1]) if steps else None
            session.undo() if op == "undo" else session.redo()
            if changed is not None and changed != jid:  # show what the undo changed
                out["journey"] = changed
        else:
            raise Refused(f"unknown command {op!r}")
    except Refused as exc:
        return {**out, "problems": [str(exc)]}
    except KeyError as exc:  # the item went meanwhile (another editor, an undo)
        return {**out, "problems": [t("map_gone", id=str(exc.args[0]))]}
    return {**out, "problems": [message_for(p, t) for p in problems]}


def _add_touchpoint(
    session: EditSession, jid: str, msg: dict[str, Any], t: Labels
) -> dict[str, Any]:
    channel = msg.get("channel")
    if channel not in {c.value for c in Channel}:
        raise Refused(t("choose_channel_first"))
    journey = session.workbook.journey(jid)
    name = _text(msg.get("name")) or t("new_touchpoint")
    taken = {tp.id for _, tp in journey.touchpoints()}
    tp = Touchpoint(id=_new_id(name, "touchpoint", taken), name=name, channel=Channel(channel))
    sid = str(msg["stage"])
    index = int(msg.get("index", 10**6))
    edit = edits.insert("touchpoint", (jid, sid), tp, index=index)
    problems = session.apply(edit, label="add touchpoint")
    return {"problems": problems, "select": [sid, tp.id]}


__all__ = ["LANES", "Refused", "command", "counterpart", "labels", "view"]
