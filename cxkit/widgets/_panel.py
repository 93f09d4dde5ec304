"""The fields of the selected item, with widgets of its own for every item.

A text box is never reused for another item: when the student picks another item,
that item's own widgets are shown. A keystroke the browser sends late (after the
click on the next item) still reaches the widget, and so the item, it was typed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from cxkit.errors import Problem
from cxkit.widgets._common import Field

if TYPE_CHECKING:
    from cxkit.widgets._common import Form

Ids = tuple[str, ...]


def same(v: Any) -> Any:
    return v


def text_fill(v: Any) -> Any:
    return v or ""


@dataclass
class Part:
    """A field of an item: its widget, how a model value shows, how a choice saves."""

    field: Field
    fill: Callable[[Any], Any] = text_fill
    convert: Callable[[Any], Any] = same


class Target:
    """The ids of the item a set of widgets belongs to (they change on a rename)."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids


Special = Callable[[Target, Any], list[Problem]]


class Panel:
    """Shows ``make()``'s fields for the item named by ``ids``, one widget set per item."""

    def __init__(
        self,
        form: Form,
        kind: str,
        make: Callable[[], dict[str, Part]],
        prefix: str,
        special: dict[str, Special] | None = None,
        before_fill: Callable[[dict[str, Part]], None] | None = None,
    ) -> None:
        self.form, self.kind, self.make, self.prefix = form, kind, make, prefix
        self.special = special or {}
        self.before_fill = before_fill
        self.box = w.VBox([], layout=w.Layout(width="100%"))
        self._sets: dict[Ids, tuple[Target, dict[str, Part]]] = {}
        self.empty = self._new()
        for part in self.empty.values():
            part.field.input.disabled = True
        self.parts = self.empty
        self.target: Target | None = None
        self._show_parts(self.empty)

    def _new(self) -> dict[str, Part]:
        parts = self.make()
        for name, part in parts.items():
            part.field.box.add_class(f"cxkit-{self.prefix}-{name}")
        return parts

    def _wire(self, target: Target, parts: dict[str, Part]) -> None:
        for name, part in parts.items():
            self.form.on_change(part.field, self._handler(target, name, part.convert))

    def _handler(
        self, target: Target, name: str, convert: Callable[[Any], Any]
    ) -> Callable[[Any], list[Problem]]:
        special = self.special.get(name)

        def handler(value: Any) -> list[Problem]:
            if special is not None:
                return special(target, value)
            return self.form.session.set_field(self.kind, target.ids, name, convert(value))

        return handler

    def show(self, ids: Ids | None, item: Any) -> None:
        """Show (and fill) the widgets of ``item``; the empty, disabled set for None."""
        if ids is None or item is None:
            self.target, self.parts = None, self.empty
            self._show_parts(self.empty)
            return
        if ids not in self._sets:
            target, parts = Target(ids), self._new()
            self._wire(target, parts)
            self._sets[ids] = (target, parts)
        self.target, self.parts = self._sets[ids]

        def fill() -> None:
            if self.before_fill is not None:
                self.before_fill(self.parts)
            for name, part in self.parts.items():
                part.field.show([])
                part.field.value = part.fill(getattr(item, name))

        self.form.quietly(fill)
        self._show_parts(self.parts)

    def rekey(self, old: Ids, new: Ids) -> None:
        """The item's ids changed (a rename): its widgets follow it."""
        if old in self._sets:
            target, parts = self._sets.pop(old)
            target.ids = new
            self._sets[new] = (target, parts)

    def _show_parts(self, parts: dict[str, Part]) -> None:
        children = tuple(p.field.box for p in parts.values())
        if tuple(self.box.children) != children:
            self.box.children = children
