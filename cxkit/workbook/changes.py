"""Changes between two versions of a workbook's data, and applying them to a third.

An edit is recorded as the list of :class:`Change` s between the workbook before and
after it, found by :func:`diff` on the plain (JSON) data. Items of lists whose
entries have an ``id`` (personas, journeys, stages, touchpoints, opportunities,
surveys) are addressed by that id, never by position, so a change still finds its
item when another editor has inserted, removed or reordered items in between.
Lists of plain values (``goals``, an opportunity's ``touchpoints``) are values.

:func:`merge` applies changes to another version (the file as it is on disk now)
as a three-way merge: a field is changed only where it still holds the value the
change started from; where it holds something else, a :class:`Conflict` records
both values and the other editor's value is kept. Nothing is undone silently.

>>> base = {"personas": [{"id": "a", "name": "Ann"}]}
>>> mine = {"personas": [{"id": "a", "name": "Anna"}]}
>>> theirs = {"personas": [{"id": "b", "name": "Bo"}, {"id": "a", "name": "Ann"}]}
>>> merged, conflicts = merge(diff(base, mine), theirs)
>>> merged["personas"], conflicts
([{'id': 'b', 'name': 'Bo'}, {'id': 'a', 'name': 'Anna'}], [])
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

Address = tuple[str, ...]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Change:
    """One change. ``kind`` is set | insert | remove | order | rename.

    - set: ``at`` is the field; ``old``/``new`` its values (MISSING when absent);
    - insert / remove: ``at`` is the list, ``new``/``old`` the item, ``after`` the id
      of the item before it (None: first);
    - order: ``at`` is the list, ``old``/``new`` the ids in order;
    - rename: ``at`` is the list, ``old``/``new`` the item's id.
    """

    kind: str
    at: Address
    old: Any = None
    new: Any = None
    after: str | None = None

    def inverse(self) -> Change:
        kind = {"insert": "remove", "remove": "insert"}.get(self.kind, self.kind)
        return Change(kind, self.at, self.new, self.old, self.after)


@dataclass(frozen=True)
class Conflict:
    """Both editors changed ``at``: ``mine`` was not applied, ``theirs`` was kept."""

    at: Address
    mine: Any
    theirs: Any


def _keyed(items: list[Any]) -> bool:
    return all(isinstance(x, dict) and isinstance(x.get("id"), str) and x["id"] for x in items)


def diff(old: Any, new: Any, at: Address = ()) -> list[Change]:
    """The changes that turn ``old`` into ``new`` (plain JSON data)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Change] = []
        for key in [*old, *(k for k in new if k not in old)]:
            a, b = old.get(key, MISSING), new.get(key, MISSING)
            if a is MISSING or b is MISSING:
                if a != b:
                    out.append(Change("set", (*at, key), a, b))
            else:
                out += diff(a, b, (*at, key))
        return out
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and (old or new)
        and _keyed(old)
        and _keyed(new)
    ):
        return _diff_items(old, new, at)
    if old == new and type(old) is type(new):
        return []
    return [Change("set", at, old, new)]


def _diff_items(old: list[dict[str, Any]], new: list[dict[str, Any]], at: Address) -> list[Change]:
    out: list[Change] = []
    old_ids, new_ids = [x["id"] for x in old], [x["id"] for x in new]
    gone = [i for i in old_ids if i not in new_ids]
    came = [i for i in new_ids if i not in old_ids]
    renamed: dict[str, str] = {}
    if len(old) == len(new) and len(gone) == 1 and len(came) == 1:
        pos = old_ids.index(gone[0])
        if new_ids[pos] == came[0]:  # the same item, its id changed
            renamed = {gone[0]: came[0]}
            out.append(Change("rename", at, gone[0], came[0]))
            gone, came = [], []
    by_old = {x["id"]: x for x in old}
    for i in gone:
        pos = old_ids.index(i)
        out.append(Change("remove", at, by_old[i], None, old_ids[pos - 1] if pos else None))
    for i in came:
        pos = new_ids.index(i)
        out.append(Change("insert", at, None, new[pos], new_ids[pos - 1] if pos else None))
    kept_old = [renamed.get(i, i) for i in old_ids if i not in gone]
    kept_new = [i for i in new_ids if i not in came]
    if kept_old != kept_new:
        out.append(Change("order", at, kept_old, kept_new))
    for item in new:
        before = next((x for x in old if renamed.get(x["id"], x["id"]) == item["id"]), None)
        if before is not None:
            out += diff(before, item, (*at, item["id"]))
    return out


def _resolve(data: Any, at: Address) -> Any:
    """The container at ``at`` (dicts by key, keyed lists by id), or MISSING."""
    node = data
    for part in at:
        if isinstance(node, dict):
            node = node.get(part, MISSING)
        elif isinstance(node, list):
            node = next((x for x in node if isinstance(x, dict) and x.get("id") == part), MISSING)
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node


def merge(changes: list[Change], data: Any) -> tuple[Any, list[Conflict]]:
    """Apply ``changes`` to a copy of ``data``; return it and the conflicts."""
    result = copy.deepcopy(data)
    conflicts: list[Conflict] = []
    for change in changes:
        conflict = _apply(change, result)
        if conflict is not None:
            conflicts.append(conflict)
    return result, conflicts


def _apply(change: Change, data: Any) -> Conflict | None:
    if change.kind == "set":
        parent = _resolve(data, change.at[:-1])
        key = change.at[-1]
        if not isinstance(parent, dict):
            return Conflict(change.at, change.new, MISSING)
        current = parent.get(key, MISSING)
        if _same(current, change.new):
            return None
        if not _same(current, change.old):
            return Conflict(change.at, change.new, current)
        if change.new is MISSING:
            del parent[key]
        else:
            parent[key] = copy.deepcopy(change.new)
        return None
    items = _resolve(data, change.at)
    if items is MISSING:
        if change.at and isinstance(_resolve(data, change.at[:-1]), dict):
            items = []
            _resolve(data, change.at[:-1])[change.at[-1]] = items
        else:
            return Conflict(change.at, change.new, MISSING)
    if not isinstance(items, list):
        return Conflict(change.at, change.new, items)
    ids = [x.get("id") for x in items if isinstance(x, dict)]
    if change.kind == "insert":
        item = change.new
        if item["id"] in ids:
            existing = items[ids.index(item["id"])]
            return None if existing == item else Conflict((*change.at, item["id"]), item, existing)
        pos = ids.index(change.after) + 1 if change.after in ids else 0
        items.insert(pos, copy.deepcopy(item))
        return None
    if change.kind == "remove":
        item = change.old
        if item["id"] not in ids:
            return None
        existing = items[ids.index(item["id"])]
        if existing != item:  # changed elsewhere meanwhile: keep it
            return Conflict((*change.at, item["id"]), MISSING, existing)
        del items[ids.index(item["id"])]
        return None
    if change.kind == "rename":
        if change.new in ids:
            return None
        if change.old not in ids:
            return Conflict((*change.at, str(change.old)), change.new, MISSING)
        items[ids.index(change.old)]["id"] = change.new
        return None
    if change.kind == "order":
        items[:] = _reorder(items, list(change.new))
        return None
    raise ValueError(f"unknown change kind {change.kind!r}")


def _reorder(items: list[Any], order: list[str]) -> list[Any]:
    """``items`` in ``order``; items the order does not name stay after their neighbour."""
    by_id = {x["id"]: x for x in items}
    placed = [by_id[i] for i in order if i in by_id]
    for pos, item in enumerate(items):
        if item["id"] in order:
            continue
        before = items[pos - 1]["id"] if pos else None
        at = next((k + 1 for k, x in enumerate(placed) if x["id"] == before), 0)
        placed.insert(at, item)
    return placed


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return bool(a == b and type(a) is type(b))


def describe(at: Address) -> str:
    """A change's place for people: ``journeys › renewal › stages › notice › name``."""
    return " › ".join(at)


__all__ = ["MISSING", "Address", "Change", "Conflict", "describe", "diff", "merge"]
