"""The persona builder: add, edit, duplicate and delete personas; a live persona card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from cxkit.errors import Problem
from cxkit.widgets._common import Field, Form, columns, esc, lines, message_for, text
from cxkit.widgets._lists import ItemList, goes_with
from cxkit.widgets._panel import Panel, Part, Target
from cxkit.workbook import edits
from cxkit.workbook.editing import EditSession
from cxkit.workbook.model import Channel, Persona

LIST_FIELDS = ("goals", "expectations", "frustrations", "motivations")
TEXT_FIELDS = ("name", "quote", "segment", "description")


def persona_label(persona: Persona) -> str:
    return f"{persona.name} ({persona.id})"


class PersonaBuilder(Form):
    """Form for the workbook's personas. Every edit is validated and saved within 0.6 s."""

    title_key = "persona_builder"

    def __init__(self, session: EditSession) -> None:
        super().__init__(session)
        t = self.t
        self.duplicate_button = w.Button(description=t("duplicate"), layout=w.Layout(width="auto"))
        self.personas = ItemList(t, self._load_selected, extra=[self.duplicate_button])
        self.panel = Panel(self, "persona", self._parts, "persona", special={"id": self._rename})
        self.card = w.HTML(value="")
        self.personas.box.add_class("cxkit-list-personas")

        self.personas.add.on_click(lambda _b: self.add())
        self.duplicate_button.on_click(lambda _b: self.duplicate())
        self.personas.delete.on_click(lambda _b: self.delete())
        self.personas.confirm_yes.on_click(lambda _b: self.delete(confirmed=True))
        self.personas.up.on_click(lambda _b: self._move(-1))
        self.personas.down.on_click(lambda _b: self._move(1))

        self._widget = self.frame(
            w.HTML(f"<h4>{esc(t('personas'))}</h4>"),
            columns(
                ([self.personas.box], "col"),
                ([self.panel.box], "col-wide"),
                ([self.card], "col"),
            ),
        )
        self.reload()

    @property
    def widget(self) -> w.Widget:
        return self._widget

    # ------------------------------------------------------------------ state

    @property
    def selector(self) -> ItemList:
        return self.personas

    @property
    def current(self) -> Persona | None:
        found = (
            edits.find(self.session.workbook, "persona", (self.personas.selected,))
            if self.personas.selected
            else None
        )
        return found[0] if found else None

    def reload(self, select: str | None = None) -> None:
        personas = self.session.workbook.personas
        self.quietly(
            lambda: self.personas.set([(persona_label(p), p.id) for p in personas], select)
        )
        self._load_selected()

    @property
    def fields(self) -> dict[str, Field]:
        """The selected persona's fields (each persona has its own widgets)."""
        return {name: part.field for name, part in self.panel.parts.items()}

    def _parts(self) -> dict[str, Part]:
        t = self.t
        parts = {"id": Part(Field(t("id"), text()))}
        for name in TEXT_FIELDS:
            parts[name] = Part(Field(t(name), text(multiline=name in {"quote", "description"})))
        for name in LIST_FIELDS:
            parts[name] = Part(
                Field(t(name), text(multiline=True), hint=t("one_per_line")),
                lambda v: "\n".join(v or []),
                lines,
            )
        parts["channels"] = Part(
            Field(
                t("channels"),
                w.SelectMultiple(
                    options=[(t.channel(c.value), c.value) for c in Channel],
                    rows=6,
                    layout=w.Layout(width="96%"),
                ),
            ),
            lambda v: tuple(c.value for c in v or []),
            list,
        )
        return parts

    def _load_selected(self) -> None:
        persona = self.current
        self.panel.show((persona.id,) if persona else None, persona)
        self.duplicate_button.disabled = persona is None
        self._draw_card()

    # ------------------------------------------------------------------ edits

    def _rename(self, target: Target, new_id: str) -> list[Problem]:
        """Change a persona's id and every reference to it (journeys, per-persona emotions)."""
        old = target.ids[0]
        found = edits.find(self.session.workbook, "persona", (old,))
        if found is None:
            return []
        new_id = new_id.strip()
        problems = self.session.apply(edits.rename_persona(old, new_id), at=found[1], label="id")
        if not problems:
            self.panel.rekey((old,), (new_id,))
            if old in self.personas.ids:
                self.personas.ids[self.personas.ids.index(old)] = new_id
            if self.personas.selected == old:
                self.personas.selected = new_id
        return problems

    def add(self) -> None:
        taken = {p.id for p in self.session.workbook.personas}
        new = Persona(id=edits.unused_id("persona", taken), name=self.t("new_persona"))
        self._apply_list(
            lambda: self.session.insert("persona", (), new, self.personas.selected), new.id
        )

    def duplicate(self) -> None:
        persona = self.current
        if persona is None:
            return
        taken = {p.id for p in self.session.workbook.personas}
        copy = persona.model_copy(deep=True)
        copy.id = edits.unused_id(f"{persona.id}-copy", taken)
        copy.name = self.t("copy_of", name=persona.name)
        self._apply_list(lambda: self.session.insert("persona", (), copy, persona.id), copy.id)

    def delete(self, *, confirmed: bool = False) -> None:
        persona = self.current
        if persona is None:
            return
        users = [j.title for j in self.session.workbook.journeys if j.persona == persona.id]
        if users:
            self.personas.error.value = esc(self.t("in_use", users=", ".join(users)))
            return
        if not confirmed:
            counts = self.session.what_goes("persona", (persona.id,))
            self.personas.ask(goes_with(self.t, persona.name, counts))
            return
        self.personas.ask(None)
        self._apply_list(lambda: self.session.delete("persona", (persona.id,)))

    def _move(self, step: int) -> None:
        if self.personas.selected is not None:
            pid = self.personas.selected
            self._apply_list(lambda: self.session.move("persona", (pid,), step), pid)

    def _apply_list(self, change: Callable[[], list[Problem]], select: str | None = None) -> None:
        problems: list[Problem] = []
        self.quietly(lambda: problems.extend(change()))
        self.personas.error.value = "<br>".join(esc(message_for(p, self.t)) for p in problems)
        if not problems:
            self.reload(select=select)

    def after_edit(self) -> None:
        persona = self.current
        if persona is not None:  # the button's label follows the name; nothing else moves
            self.personas.relabel(persona.id, persona_label(persona))
        self._draw_card()

    # ------------------------------------------------------------------ preview

    def _draw_card(self) -> None:
        self.card.value = persona_card_html(self.current, self.t)


def persona_card_html(persona: Persona | None, t: Any) -> str:
    """The persona card shown beside the form (all text escaped)."""
    if persona is None:
        return ""
    parts = [f"<div class='cxkit-card'><h4>{esc(persona.name)}</h4>"]
    if persona.segment:
        parts.append(f"<div class='cxkit-chip'>{esc(persona.segment)}</div>")
    if persona.quote:
        parts.append(f"<blockquote>“{esc(persona.quote)}”</blockquote>")
    if persona.description:
        parts.append(f"<p>{esc(persona.description)}</p>")
    for key, label in (
        ("goals", "card_goals"),
        ("expectations", "card_expectations"),
        ("frustrations", "card_frustrations"),
        ("motivations", "card_motivations"),
    ):
        items = getattr(persona, key)
        if items:
            lis = "".join(f"<li>{esc(x)}</li>" for x in items)
            parts.append(f"<b>{esc(t(label))}</b><ul>{lis}</ul>")
    if persona.channels:
        chips = "".join(
            f"<span class='cxkit-chip'>{esc(t.channel(c.value))}</span>" for c in persona.channels
        )
        parts.append(f"<b>{esc(t('card_channels'))}</b><div>{chips}</div>")
    parts.append("</div>")
    return "".join(parts)


__all__ = ["PersonaBuilder", "persona_card_html"]
