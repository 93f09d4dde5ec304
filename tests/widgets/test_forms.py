"""The forms, driven in-process as a student would: set values, press buttons, and check
the file on disk, the messages next to fields and the preview's figure data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cxkit.widgets import feedback_scorer, journey_mapper, persona_builder
from cxkit.workbook import editing as editing_module
from cxkit.workbook.editing import EditSession
from cxkit.workbook.starters import create_client
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT


def _values_pushed(widget: Any) -> list[Any]:
    """Every value the kernel puts into ``widget`` from now on (what the browser is sent)."""
    seen: list[Any] = []
    widget.observe(lambda c: seen.append(c["new"]), names="value")
    return seen


def test_persona_edits_reach_the_file(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, max_wait=0)
    assert form.personas.selected == "busy-traveller"
    form.fields["name"].value = "Very busy traveller"
    form.fields["goals"].value = "Renew online\n\nNever queue\n"
    form.fields["channels"].value = ("web", "chat")
    wb = load_workbook(valid_copy)
    persona = wb.persona("busy-traveller")
    assert persona.name == "Very busy traveller"
    assert persona.goals == ["Renew online", "Never queue"]
    assert [c.value for c in persona.channels] == ["web", "chat"]
    assert "# never enters a branch" in valid_copy.read_text("utf-8")
    assert "Very busy traveller" in form.card.value
    assert form.personas.items.children[0].description == "Very busy traveller (busy-traveller)"


def test_typing_into_the_second_item_never_shows_another_items_value(valid_copy: Path) -> None:
    """Finding 1: relabelling a list refilled the fields with the first item while the
    student typed (the browser then sent that back, plus the next letter)."""
    form = persona_builder(valid_copy, max_wait=0)
    form.personas.choose("retiree")
    pushed = _values_pushed(form.fields["name"].input)
    typed = "Retiree"
    for letter in " planner":
        typed += letter
        form.fields["name"].value = typed
    assert "Busy traveller" not in pushed  # the first persona's name never reached the field
    assert form.personas.selected == "retiree"
    assert load_workbook(valid_copy).persona("retiree").name == "Retiree planner"
    assert load_workbook(valid_copy).persona("busy-traveller").name == "Busy traveller"

    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.stages.choose("onboarding")
    pushed = _values_pushed(mapper.stage_name.input)
    for text in ("Activating", "Activating!", "Activating!!"):
        mapper.stage_name.value = text
    assert "Renewal notice" not in pushed
    assert mapper.stages.selected == "onboarding"
    journey = load_workbook(valid_copy).journey("renewal")
    assert [s.name for s in journey.stages] == ["Renewal notice", "Activating!!"]

    # A keystroke the browser sends after the click on the next item (it buffers value
    # messages while one is in flight) still goes to the item it was typed into.
    mapper.touchpoints.choose("activate-card")
    typed_in = mapper.tp_fields["name"].field
    mapper.stages.choose("notice")
    typed_in.value = "Activate the card now"
    journey = load_workbook(valid_copy).journey("renewal")
    assert journey.stages[1].touchpoints[0].name == "Activate the card now"
    assert journey.stages[0].touchpoints[0].name == "Renewal letter"


def test_persona_inline_errors_keep_last_good_state(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, max_wait=0)
    form.fields["name"].value = ""
    assert form.fields["name"].error.value == "Required: please fill this in."
    form.fields["id"].value = "Busy Traveller"
    assert "lowercase English letters" in form.fields["id"].error.value
    form.fields["id"].value = "retiree"
    assert (
        form.fields["id"].error.value
        == "The id &#x27;retiree&#x27; is already used; choose another."
    )
    assert load_workbook(valid_copy).personas[0].name == "Busy traveller"


def test_persona_rename_add_duplicate_delete_undo(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, max_wait=0)
    form.fields["id"].value = "frequent-flyer"
    assert form.personas.selected == "frequent-flyer"
    wb = load_workbook(valid_copy)
    assert {j.persona for j in wb.journeys} == {"frequent-flyer"}
    form.personas.add.click()
    assert form.personas.selected == "persona"
    form.fields["name"].value = "Student"
    form.duplicate_button.click()
    assert form.personas.selected == "persona-copy"
    assert form.fields["name"].value == "Copy of Student"
    form.personas.choose("frequent-flyer")
    form.personas.delete.click()  # refused: journeys use it
    assert "Still used by: Card renewal" in form.personas.error.value
    form.personas.choose("retiree")
    form.personas.delete.click()  # asks first, naming what goes with it
    assert "1 per-persona emotion" in form.personas.confirm_text.value
    assert "retiree" in [p.id for p in load_workbook(valid_copy).personas]
    form.personas.confirm_yes.click()
    wb = load_workbook(valid_copy)
    assert [p.id for p in wb.personas] == ["frequent-flyer", "persona", "persona-copy"]
    assert form.personas.selected in {p.id for p in wb.personas}
    assert wb.journey("renewal").stages[1].touchpoints[0].emotion_by_persona == {}
    form.undo_button.click()
    wb = load_workbook(valid_copy)
    assert "retiree" in [p.id for p in wb.personas]
    assert wb.journey("renewal").stages[1].touchpoints[0].emotion_by_persona == {"retiree": -1}


def test_persona_card_escapes_user_text(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, max_wait=0)
    form.fields["name"].value = "<script>alert(1)</script>"
    assert "<script>" not in form.card.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in form.card.value


def test_hebrew_form_is_all_hebrew_with_real_minus_signs(tmp_path: Path) -> None:
    """Finding 7 and 9: channel names, statuses, "ALL" and the scale read in Hebrew; −2."""
    path = create_client(tmp_path, "c", template="five-interfaces", language="he")
    form = persona_builder(path, max_wait=0)
    assert "cxkit-rtl" in form.widget._dom_classes
    form.fields["name"].value = ""
    assert form.fields["name"].error.value == "שדה חובה: נא למלא."
    assert ("טלפון", "phone") in form.fields["channels"].input.options
    mapper = journey_mapper(path, max_wait=0)
    assert "cxkit-rtl" in mapper.form_box._dom_classes
    assert "cxkit-chart" in mapper.chart.box._dom_classes  # set back to left-to-right
    assert mapper.curve.layout.xaxis.autorange == "reversed"
    assert mapper.curve.layout.yaxis.ticktext[0] == "\u22122"
    emotion = mapper.tp_fields["emotion"].field.input
    assert emotion.options[1] == ("\u22122", -2) and emotion.options[0][0] == "לא נקבע"
    channels = [label for label, _ in mapper.tp_fields["channel"].field.input.options]
    statuses = [label for label, _ in mapper.opp_fields["status"].field.input.options]
    assert "טלפון" in channels and "phone" not in channels
    assert statuses[0] == "רעיון"
    assert all(not any("a" <= ch <= "z" for ch in label) for label in channels + statuses)


def test_reopening_shows_exactly_what_was_saved(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, max_wait=0)
    form.fields["quote"].value = "I renew online or not at all."
    again = persona_builder(valid_copy, max_wait=0)
    assert again.session is form.session  # one session per file per kernel
    assert again.fields["quote"].value == "I renew online or not at all."
    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.tp_fields["pain_points"].field.value = "Arrives late\nUnclear wording"
    reopened = journey_mapper(valid_copy, max_wait=0)
    assert reopened.tp_fields["pain_points"].field.value == "Arrives late\nUnclear wording"


def test_a_conflict_shows_both_values_and_lets_the_student_choose(valid_copy: Path) -> None:
    """Finding 2: "both say saved" while one had undone the other."""
    from cxkit.workbook.yamlfile import WorkbookFile

    form = persona_builder(valid_copy, max_wait=0)
    assert form.conflict_bar.layout.display == "none"
    other = WorkbookFile.load(valid_copy)  # another kernel's save
    other.workbook.personas[0].segment = "Theirs"
    other.save()
    form.fields["segment"].value = "Mine"
    assert load_workbook(valid_copy).persona("busy-traveller").segment == "Theirs"
    assert "“Theirs”" in form.conflict.value and "“Mine”" in form.conflict.value
    assert form.conflict_bar.layout.display is None
    assert form.fields["segment"].value == "Theirs"  # the form shows what is in the file
    form.keep_mine_button.click()
    assert load_workbook(valid_copy).persona("busy-traveller").segment == "Mine"
    assert form.fields["segment"].value == "Mine"
    assert form.conflict_bar.layout.display == "none"


def test_two_forms_in_one_kernel_share_the_session_and_see_each_other(valid_copy: Path) -> None:
    """Finding 2: forms on one file in one kernel no longer hold two copies."""
    one, two = journey_mapper(valid_copy, max_wait=0), journey_mapper(valid_copy, max_wait=0)
    two.tp_fields["emotion"].field.value = 2
    assert one.tp_fields["emotion"].field.value == 2  # refreshed from the shared session
    one.tp_fields["owner"].field.value = "Cards team"
    tp = load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0]
    assert (tp.emotion, tp.owner) == (2, "Cards team")


# --------------------------------------------------------------------------- journey mapper


def test_emotion_choice_redraws_the_curve_and_saves(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, max_wait=0)
    assert mapper.curve.data[0].y == (-1, 1)
    mapper.tp_fields["emotion"].field.value = -2
    assert mapper.curve.data[0].y == (-2, 1)
    assert list(mapper.curve.data[0].x) == [
        "Renewal notice · Renewal letter",
        "Activating the new card · Activate the card",
    ]
    assert mapper.curve.data[0].marker.symbol == ("circle", "star")  # moment of truth
    assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].emotion == -2


def test_unset_is_a_state_and_zero_a_value(valid_copy: Path) -> None:
    """Finding 5: unset shows "not set", 0 saves, both clear; new items invent nothing."""
    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.stages.choose("onboarding")
    assert mapper.touchpoints.selected == "activate-card"
    emotion, effort = mapper.tp_fields["emotion"].field, mapper.tp_fields["effort"].field
    assert effort.input.label == "not set"  # the fixture sets no effort here
    emotion.value = 0
    effort.value = 1
    tp = load_workbook(valid_copy).journey("renewal").stages[1].touchpoints[0]
    assert (tp.emotion, tp.effort) == (0, 1)
    emotion.value = "unset"
    effort.value = "unset"
    tp = load_workbook(valid_copy).journey("renewal").stages[1].touchpoints[0]
    assert (tp.emotion, tp.effort) == (None, None)
    assert emotion.input.label == effort.input.label == "not set"
    mapper.stages.choose("notice")
    mapper.touchpoints.add.click()  # no channel chosen: nothing is invented
    assert "channel" in mapper.touchpoints.error.value
    assert [t.id for t in load_workbook(valid_copy).journey("renewal").stages[0].touchpoints] == [
        "renewal-letter"
    ]
    mapper.new_channel.value = "email"
    mapper.touchpoints.add.click()
    new = load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[1]
    assert (new.channel.value, new.emotion, new.effort) == ("email", None, None)
    assert mapper.tp_fields["emotion"].field.input.label == "not set"


def test_stages_and_touchpoints_add_rename_reorder_delete(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.stages.choose("onboarding")
    mapper.new_channel.value = "phone"
    mapper.touchpoints.add.click()
    assert mapper.touchpoints.selected == "touchpoint"
    mapper.tp_fields["name"].field.value = "Calls the bank"
    mapper.tp_fields["value"].field.value = "waste"
    mapper.touchpoints.up.click()
    mapper.stages.add.click()
    mapper.stage_name.value = "First use"
    mapper.stages.up.click()
    journey = load_workbook(valid_copy).journey("renewal")
    assert [s.name for s in journey.stages] == [
        "Renewal notice",
        "First use",
        "Activating the new card",
    ]
    assert [t.id for t in journey.stages[2].touchpoints] == ["touchpoint", "activate-card"]
    assert journey.stages[2].touchpoints[0].value.value == "waste"
    assert len(mapper.curve.data[0].x) == 3
    # Deleting a stage asks, naming what goes with it; then it removes its touchpoints
    # from opportunities and survey maps, and one undo brings it all back.
    mapper.stages.choose("notice")
    mapper.stages.delete.click()
    assert "1 touchpoint, 1 opportunity link" in mapper.stages.confirm_text.value
    mapper.stages.confirm_yes.click()
    mapper.stages.choose("onboarding")
    mapper.stages.delete.click()
    assert "2 touchpoints" in mapper.stages.confirm_text.value
    assert "survey answer link" in mapper.stages.confirm_text.value
    mapper.stages.confirm_yes.click()
    wb = load_workbook(valid_copy)
    assert wb.journey("renewal").opportunities[0].touchpoints == []
    assert wb.surveys[0].stage_map == {}
    mapper.undo_button.click()
    mapper.undo_button.click()
    wb = load_workbook(valid_copy)
    assert [s.id for s in wb.journey("renewal").stages] == ["notice", "stage", "onboarding"]
    assert wb.journey("renewal").opportunities[0].touchpoints == ["renewal-letter"]
    assert wb.surveys[0].stage_map != {}
    mapper.redo_button.click()
    assert [s.id for s in load_workbook(valid_copy).journey("renewal").stages] == [
        "stage",
        "onboarding",
    ]


def test_renaming_a_stage_keeps_the_touchpoint_selection(valid_copy: Path) -> None:
    """Finding 9: a rename used to move the touchpoint selection back to the first."""
    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.stages.choose("notice")
    mapper.new_channel.value = "web"
    mapper.touchpoints.add.click()
    assert mapper.touchpoints.selected == "touchpoint"
    mapper.stage_name.value = "Renewal notice!"
    assert mapper.touchpoints.selected == "touchpoint"
    assert mapper.tp_fields["name"].field.value == "New touchpoint"


def test_create_journey_from_template_and_opportunity(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.template_select.value = "four-encounters"
    mapper.persona_for_new.value = "retiree"
    mapper.create_button.click()
    assert mapper.journeys.selected == "four-encounters"
    mapper.stages.choose("contact-centre")
    mapper.touchpoints.choose("ivr-menu")
    mapper.tp_fields["pain_points"].field.value = "Loses place in the queue"
    mapper.opportunities.add.click()  # impact and effort not chosen: refused
    assert "impact" in mapper.opportunities.error.value
    mapper.new_impact.value, mapper.new_effort.value = 4, 3
    mapper.opportunities.add.click()
    mapper.opp_fields["title"].field.value = "Visual IVR that keeps your place"
    mapper.opp_fields["impact"].field.value = 5
    mapper.opp_fields["effort"].field.value = 2
    journey = load_workbook(valid_copy).journey("four-encounters")
    assert journey.persona == "retiree"
    [opp] = journey.opportunities
    assert (opp.title, opp.touchpoints, opp.impact, opp.effort) == (
        "Visual IVR that keeps your place",
        ["ivr-menu"],
        5,
        2,
    )


def test_touchpoint_field_errors_show_next_to_the_field(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, max_wait=0)
    mapper.tp_fields["name"].field.value = "   "
    assert mapper.tp_fields["name"].field.error.value == "Required: please fill this in."
    mapper.tp_fields["name"].field.value = "Renewal letter v2"
    assert mapper.tp_fields["name"].field.error.value == ""


def test_feedback_scorer_menus_say_none_and_roles_are_labels(valid_copy: Path) -> None:
    """Finding 9: empty menus showed blank, role names were codes, "ALL" was English."""
    form = feedback_scorer(valid_copy, max_wait=0)
    assert form.roles["csat"].label == "(none)"
    assert form.roles["nps"].description == "NPS" and form.roles["date"].description == "Date"
    assert "All responses" in form.table.value and ">ALL<" not in form.table.value


def test_feedback_scorer_never_reads_a_survey_outside_the_client_folder(
    valid_copy: Path, tmp_path: Path
) -> None:
    """The form follows the same rule as validate and score (cxkit._limits.resolve_inside)."""
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("How likely are you to recommend us?,Comment\n10,a private note\n", "utf-8")
    survey = valid_copy.parent / "surveys" / "renewal.csv"
    survey.unlink()
    survey.symlink_to(secret)
    form = feedback_scorer(valid_copy, max_wait=0)
    assert form.raw is None
    assert "outside the client folder" in form.error.value
    assert "a private note" not in form.table.value + form.detected.value


def test_the_form_layout_wraps_into_columns(valid_copy: Path) -> None:
    """Finding 8 (in-process half): no fixed-width rows; columns are wrapping boxes."""
    mapper = journey_mapper(valid_copy, max_wait=0)

    def walk(widget: Any) -> Any:
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    widths = {getattr(x.layout, "width", None) for x in walk(mapper.widget) if hasattr(x, "layout")}
    assert not {wd for wd in widths if wd and wd.endswith("px") and int(wd[:-2]) > 200}
    assert sum("cxkit-columns" in x._dom_classes for x in walk(mapper.widget)) >= 2


# --------------------------------------------------------------------------- saving


def test_interrupted_save_keeps_last_good_file_and_retries(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = persona_builder(valid_copy, max_wait=0)
    form.fields["name"].value = "Saved before the crash"
    good = valid_copy.read_text("utf-8")

    def crash(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(editing_module, "atomic_write", crash)
    form.fields["name"].value = "Never reaches the disk"
    assert form.session.status.state == "error"
    assert "Not saved: disk full" in form.status.value
    assert valid_copy.read_text("utf-8") == good
    load_workbook(valid_copy)  # still valid
    monkeypatch.undo()
    form.fields["segment"].value = "business"
    assert form.session.status.state == "saved"
    assert "Saved " in form.status.value
    persona = load_workbook(valid_copy).persona("busy-traveller")
    assert (persona.name, persona.segment) == ("Never reaches the disk", "business")


def test_closing_the_form_writes_pending_edits(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, max_wait=30)  # longer than the test
    form.fields["name"].value = "Closed with an edit pending"
    assert form.session.dirty
    assert form.status.value == "Saving…"
    form.close()
    assert re.fullmatch(r"Saved \d\d:\d\d:\d\d", form.status.value)
    assert load_workbook(valid_copy).persona("busy-traveller").name == (
        "Closed with an edit pending"
    )


def test_the_notebooks_open_the_forms_through_the_shared_session() -> None:
    import nbformat

    for name in ("01_personas", "02_journey_mapping", "03_feedback_scoring"):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "from cxkit.widgets import" in code
        assert "EditSession(" not in code


def test_session_is_one_per_file(valid_copy: Path) -> None:
    assert EditSession.open(valid_copy) is EditSession.open(valid_copy.parent)


def test_a_refill_never_swallows_the_space_being_typed(valid_copy: Path) -> None:
    """The browser race behind finding 1: the student has typed "name " and the saved,
    trimmed "name" comes back to the field before the next letter arrives."""
    builder = persona_builder(valid_copy, max_wait=0)
    field = builder.panel.parts["name"].field
    field.input.value = field.input.value + " "  # the browser's keystroke
    typed = field.input.value
    builder.panel.show(builder.panel.target.ids, builder.session.workbook.personas[0])
    assert field.input.value == typed
    field.value = "Someone else"  # a real change (undo, another editor) still shows
    assert field.input.value == "Someone else"
