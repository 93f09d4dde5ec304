"""One Excel template cell, both ways: a field's value as cell text, and back.

A list is one item per line and a mapping one ``key: value`` per line, which is what
a person types into a cell. When that cannot hold the value (an item or value with a
line break, a key with a colon, text that would read as JSON), the cell holds JSON
instead, so YAML -> Excel -> YAML never splits or merges anything. A ``json`` field
(a scale) is always JSON.

>>> col = Col("goals", LIST)
>>> cell_text(["a", "b"], col), cell_text(["one\\ntwo"], col)
('a\\nb', '["one\\\\ntwo"]')
>>> cell_value('["one\\\\ntwo"]', col)
(['one\\ntwo'], [])
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cxkit._limits import excerpt
from cxkit.errors import Reason, Words
from cxkit.i18n.messages import word

LIST = "list"  # one item per line
PAIRS = "pairs"  # "key: value" per line
JSON = "json"


@dataclass(frozen=True)
class Place:
    """A place in the Excel template: a sheet's row, or one cell of it."""

    sheet: str
    row: int
    column: str | None = None
    letter: str | None = None

    @property
    def words(self) -> Words:
        if self.column:
            return Words.of(
                "at-cell", sheet=self.sheet, row=self.row, column=self.column, letter=self.letter
            )
        return Words.of("at-row", sheet=self.sheet, row=self.row)

    def __str__(self) -> str:
        return word(self.words)


@dataclass(frozen=True)
class Col:
    name: str
    kind: str = "text"  # text | list | pairs | json | bool
    choices: tuple[str, ...] = ()
    width: int = 18


def _breaks(text: str) -> bool:
    return "\n" in text or "\r" in text or text != text.strip()


def cell_text(value: Any, col: Col) -> Any:
    """The cell for a field's value (None for an empty one)."""
    if value is None:
        return None
    if col.kind == LIST:
        items = [str(v) for v in value]
        if any(_breaks(v) for v in items) or (items and items[0].startswith("[")):
            return json.dumps(items, ensure_ascii=False)
        return "\n".join(items) if items else None
    if col.kind == PAIRS:
        pairs = {str(k): str(v) for k, v in value.items() if v is not None}
        if any(_breaks(k) or ":" in k or _breaks(v) for k, v in pairs.items()) or (
            next(iter(pairs), "").startswith("{")
        ):
            return json.dumps(pairs, ensure_ascii=False)
        return "\n".join(f"{k}: {v}" for k, v in pairs.items()) or None
    if col.kind == JSON:
        return json.dumps(value, ensure_ascii=False)
    return value


def _json(text: str, kind: type) -> Any:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError:
        return None
    return loaded if isinstance(loaded, kind) else None


def cell_value(value: Any, col: Col) -> tuple[Any, list[tuple[Words, Reason]]]:
    """A cell's value as the field's data, and the problems found (words, reason)."""
    if col.kind == LIST:
        text = str(value)
        if text.startswith('["'):  # written as JSON: its items hold line breaks
            items = _json(text, list)
            if items is not None and all(isinstance(i, str) for i in items):
                return items, []
        return [s.strip() for s in text.splitlines() if s.strip()], []
    if col.kind == PAIRS:
        text = str(value)
        if text.startswith('{"'):  # written as JSON: a key or value holds a break
            loaded = _json(text, dict)
            if loaded is not None and all(isinstance(v, str) for v in loaded.values()):
                return loaded, []
        pairs: dict[str, Any] = {}
        problems = []
        for line in text.splitlines():
            if not line.strip():
                continue
            key, sep, rest = line.partition(":")
            if not sep:
                problems.append((Words.of("cell-pairs", got=excerpt(line)), Reason.BAD_VALUE))
                continue
            pairs[key.strip()] = rest.strip()
        return pairs, problems
    if col.kind == JSON:
        try:
            return json.loads(str(value)), []
        except json.JSONDecodeError as exc:
            return None, [(Words.of("cell-json", detail=exc.msg), Reason.MALFORMED)]
    if col.kind == "bool" and isinstance(value, str):
        low = value.strip().lower()
        if low in {"yes", "true", "1", "כן"}:
            return True, []
        if low in {"no", "false", "0", "לא"}:
            return False, []
    return value, []
