"""A list of named items the student picks from, with add / move / delete buttons.

The selection is an item id kept here in the kernel. Renaming an item changes the
label of its button and nothing else: no options are replaced, so the browser never
sends a selection back while the student types (which is what used to move their
typing into the first item).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from cxkit.widgets._common import Labels, esc


class ItemList:
    """Items as a column of buttons; ``selected`` is the id of the chosen one."""

    def __init__(
        self,
        t: Labels,
        on_select: Callable[[], None],
        *,
        movable: bool = True,
        extra: list[w.Widget] | None = None,
    ) -> None:
        self.t = t
        self.selected: str | None = None
        self.ids: list[str] = []
        self._on_select = on_select
        self._buttons: list[w.Button] = []
        self.items = w.VBox([])
        self.items.add_class("cxkit-items")
        self.add = w.Button(description=t("add"), layout=w.Layout(width="auto"))
        self.up = w.Button(
            description=t("move_up"), tooltip=t("move_up_tip"), layout=w.Layout(width="44px")
        )
        self.down = w.Button(
            description=t("move_down"), tooltip=t("move_down_tip"), layout=w.Layout(width="44px")
        )
        self.delete = w.Button(
            description=t("delete"), button_style="danger", layout=w.Layout(width="auto")
        )
        self.error = w.HTML("")
        self.error.add_class("cxkit-error")
        self.confirm_text = w.HTML("")
        self.confirm_yes = w.Button(
            description=t("delete_confirm"), button_style="danger", layout=w.Layout(width="auto")
        )
        self.confirm_no = w.Button(description=t("cancel"), layout=w.Layout(width="auto"))
        self.confirm = w.HBox([self.confirm_text, self.confirm_yes, self.confirm_no])
        self.confirm.add_class("cxkit-row")
        self.confirm.add_class("cxkit-confirm")
        self.confirm.layout.display = "none"
        self.confirm_no.on_click(lambda _b: self.ask(None))
        buttons = [*(extra or []), self.add]
        if movable:
            buttons += [self.up, self.down]
        buttons.append(self.delete)
        bar = w.HBox(buttons)
        bar.add_class("cxkit-row")
        self.box = w.VBox([self.items, bar, self.confirm, self.error])

    def set(self, items: list[tuple[str, str]], keep: str | None = None) -> None:
        """Show ``items`` (label, id); keep the selection on ``keep`` (default: current)."""
        keep = self.selected if keep is None else keep
        self.ids = [i for _, i in items]
        while len(self._buttons) < len(items):
            button = w.Button(layout=w.Layout(width="100%"))
            button.add_class("cxkit-item")
            index = len(self._buttons)
            button.on_click(lambda _b, k=index: self.choose(self.ids[k]))
            self._buttons.append(button)
        for button, (label, _) in zip(self._buttons, items, strict=False):
            if button.description != label:
                button.description = label
                button.tooltip = label
        shown = tuple(self._buttons[: len(items)])
        if tuple(self.items.children) != shown:
            self.items.children = shown
        self.selected = keep if keep in self.ids else (self.ids[0] if self.ids else None)
        self._mark()
        self.delete.disabled = self.selected is None
        self.up.disabled = self.down.disabled = self.selected is None

    def relabel(self, ident: str, label: str) -> None:
        if ident in self.ids:
            button = self._buttons[self.ids.index(ident)]
            if button.description != label:
                button.description = label
                button.tooltip = label

    def choose(self, ident: str | None) -> None:
        """Select ``ident`` as the student would (the form refills its fields)."""
        if ident == self.selected:
            return
        self.selected = ident
        self.ask(None)
        self._on_select()
        self._mark()  # last: once the browser shows it, the item's fields are there

    def _mark(self) -> None:
        for ident, button in zip(self.ids, self._buttons, strict=False):
            if ident == self.selected:
                button.add_class("cxkit-selected")
            else:
                button.remove_class("cxkit-selected")

    def ask(self, question: str | None) -> None:
        """Show the delete confirmation with ``question``, or hide it (None)."""
        self.confirm_text.value = f"<b>{esc(question)}</b>" if question else ""
        self.confirm.layout.display = None if question else "none"

    # The face of the selection widget this replaced (``.select.value``, ``.options``).
    @property
    def select(self) -> ItemList:
        return self

    @property
    def options(self) -> list[tuple[str, str]]:
        return [(b.description, i) for b, i in zip(self._buttons, self.ids, strict=False)]

    @property
    def value(self) -> str | None:
        return self.selected

    @value.setter
    def value(self, ident: str | None) -> None:
        self.choose(ident)

    @property
    def asking(self) -> bool:
        return self.confirm.layout.display != "none"


def goes_with(t: Labels, name: str, counts: dict[str, int]) -> str:
    """ "Delete “Notice” and with it 3 touchpoints, 1 opportunity link?"."""
    parts = [
        t(f"goes_{key}_{'one' if n == 1 else 'other'}", n=n)
        for key, n in counts.items()
        if key != "journeys_using"
    ]
    if parts:
        return t("delete_with", name=name, what=", ".join(parts))
    return t("delete_ask", name=name)
