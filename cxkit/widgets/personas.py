"""The persona builder: add, edit, duplicate and delete personas; a live persona card."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from cxkit.errors import Problem
from cxkit.widgets._common import Field, Form, esc, lines, message_for, text
from cxkit.workbook.editing import EditSession, unused_id
from cxkit.workbook.model import Channel, Persona, Workbook

LIST_FIELDS = ("goals", "expectations", "frustrations", "motivations")
TEXT_FIELDS = ("name", "quote", "segment", "description")


class PersonaBuilder(Form):
    """Form for the workbook's personas. Every edit is validated and autosaved."""

    title_key = "persona_builder"

    def __init__(self, session: EditSession) -> None:
        super().__init__(session)
        t = self.t
        self.selector = w.Dropdown(description="", layout=w.Layout(width="320px"))
        self.add_button = w.Button(description=t("add"), icon="plus")
        self.duplicate_button = w.Button(description=t("duplicate"), icon="copy")
        self.delete_button = w.Button(description=t("delete"), icon="trash", button_style="danger")
        self.list_error = w.HTML(value="")
        self.list_error.add_class("cxkit-error")
        self.fields: dict[str, Field] = {"id": Field(t("id"), text())}
        for name in TEXT_FIELDS:
            self.fields[name] = Field(t(name), text(multiline=name in {"quote", "description"}))
        for name in LIST_FIELDS:
            self.fields[name] = Field(t(name), text(multiline=True), hint=t("one_per_line"))
        self.fields["channels"] = Field(
            t("channels"),
            w.TagsInput(allowed_tags=[c.value for c in Channel], allow_duplicates=False),
        )
        self.card = w.HTML(value="")

        self.selector.observe(lambda _c: self._load_selected(), names="value")
        self.add_button.on_click(lambda _b: self.add())
        self.duplicate_button.on_click(lambda _b: self.duplicate())
        self.delete_button.on_click(lambda _b: self.delete())
        self.on_change(self.fields["id"], self._rename)
        for name in TEXT_FIELDS:
            self.on_change(self.fields[name], self._setter(name, lambda v: v))
        for name in LIST_FIELDS:
            self.on_change(self.fields[name], self._setter(name, lines))
        self.on_change(self.fields["channels"], self._setter("channels", list))

        left = w.VBox([f.box for f in self.fields.values()], layout=w.Layout(width="55%"))
        right = w.VBox([self.card], layout=w.Layout(width="45%", padding="0 12px"))
        toolbar = w.HBox(
            [
                w.HTML(f"<b>{esc(t('persona'))}</b>&nbsp;"),
                self.selector,
                self.add_button,
                self.duplicate_button,
                self.delete_button,
            ]
        )
        self._widget = self.frame(toolbar, self.list_error, w.HBox([left, right]))
        self._refresh_selector()

    @property
    def widget(self) -> w.Widget:
        return self._widget

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> Persona | None:
        pid = self.selector.value
        for p in self.session.workbook.personas:
            if p.id == pid:
                return p
        return None

    def _index(self) -> int:
        ids = [p.id for p in self.session.workbook.personas]
        return ids.index(self.selector.value)

    def _refresh_selector(self, select: str | None = None) -> None:
        personas = self.session.workbook.personas

        def update() -> None:
            self.selector.options = [(f"{p.name} ({p.id})", p.id) for p in personas]
            if select is not None:
                self.selector.value = select
            elif personas and self.selector.value not in {p.id for p in personas}:
                self.selector.value = personas[0].id

        self.quietly(update)
        self._load_selected()

    def _load_selected(self) -> None:
        persona = self.current
        has = persona is not None

        def fill() -> None:
            for name, field in self.fields.items():
                field.input.disabled = not has
                field.show([])
                value: Any = getattr(persona, name) if persona is not None else None
                if name in LIST_FIELDS:
                    field.value = "\n".join(value or [])
                elif name == "channels":
                    field.value = [c.value for c in value or []]
                else:
                    field.value = value or ""

        self.quietly(fill)
        self.duplicate_button.disabled = self.delete_button.disabled = not has
        self._draw_card()

    # ------------------------------------------------------------------ edits

    def _setter(self, name: str, convert: Any) -> Any:
        def handler(value: Any) -> list[Problem]:
            if self.current is None:
                return []
            i = self._index()

            def edit(wb: Workbook) -> None:
                setattr(wb.personas[i], name, convert(value))

            return self.session.apply(edit, at=("personas", i))

        return handler

    def _rename(self, new_id: str) -> list[Problem]:
        """Change a persona's id and every reference to it (journeys, per-persona emotions)."""
        if self.current is None:
            return []
        i, old = self._index(), self.current.id
        new_id = new_id.strip()

        def edit(wb: Workbook) -> None:
            wb.personas[i].id = new_id
            for j in wb.journeys:
                if j.persona == old:
                    j.persona = new_id
                for _, tp in j.touchpoints():
                    if old in tp.emotion_by_persona:
                        tp.emotion_by_persona = {
                            (new_id if k == old else k): v for k, v in tp.emotion_by_persona.items()
                        }

        problems = self.session.apply(edit, at=("personas", i))
        if not problems:
            self._refresh_selector(select=new_id)
        return problems

    def add(self) -> None:
        taken = {p.id for p in self.session.workbook.personas}
        new = Persona(id=unused_id("persona", taken), name=self.t("new_persona"))
        self._apply_list(lambda wb: wb.personas.append(new), select=new.id)

    def duplicate(self) -> None:
        persona = self.current
        if persona is None:
            return
        taken = {p.id for p in self.session.workbook.personas}
        copy = persona.model_copy(deep=True)
        copy.id = unused_id(f"{persona.id}-copy", taken)
        copy.name = self.t("copy_of", name=persona.name)
        i = self._index()
        self._apply_list(lambda wb: wb.personas.insert(i + 1, copy), select=copy.id)

    def delete(self) -> None:
        persona = self.current
        if persona is None:
            return
        users = [j.title for j in self.session.workbook.journeys if j.persona == persona.id]
        if users:
            self.list_error.value = esc(self.t("in_use", users=", ".join(users)))
            return
        pid = persona.id

        def edit(wb: Workbook) -> None:
            wb.personas[:] = [p for p in wb.personas if p.id != pid]
            for j in wb.journeys:
                for _, tp in j.touchpoints():
                    tp.emotion_by_persona.pop(pid, None)

        self._apply_list(edit)

    def _apply_list(self, edit: Any, select: str | None = None) -> None:
        problems = self.session.apply(edit)
        self.list_error.value = "<br>".join(esc(message_for(p, self.t)) for p in problems)
        if not problems:
            self._refresh_selector(select=select)

    def after_edit(self) -> None:
        persona = self.current
        if persona is not None:
            # keep the dropdown label in step with the name
            self.quietly(lambda: self._relabel(persona))
        self._draw_card()

    def _relabel(self, persona: Persona) -> None:
        options = list(self.selector.options)
        i = self._index()
        if options[i][0] != f"{persona.name} ({persona.id})":
            options[i] = (f"{persona.name} ({persona.id})", persona.id)
            self.selector.options = options
            self.selector.value = persona.id

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
        chips = "".join(f"<span class='cxkit-chip'>{esc(c.value)}</span>" for c in persona.channels)
        parts.append(f"<b>{esc(t('card_channels'))}</b><div>{chips}</div>")
    parts.append("</div>")
    return "".join(parts)


__all__ = ["PersonaBuilder", "persona_card_html"]
