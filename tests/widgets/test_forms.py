"""The forms, driven in-process as a student would: set values, press buttons, and check
the file on disk, the messages next to fields and the preview's figure data."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxkit.widgets import journey_mapper, persona_builder
from cxkit.workbook import yamlfile as workbook_module
from cxkit.workbook.editing import EditSession
from cxkit.workbook.starters import create_client
from cxkit.workbook.yamlfile import load_workbook


def test_persona_edits_reach_the_file(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, delay=0)
    assert form.selector.value == "busy-traveller"
    form.fields["name"].value = "Very busy traveller"
    form.fields["goals"].value = "Renew online\n\nNever queue\n"
    form.fields["channels"].value = ["web", "chat"]
    wb = load_workbook(valid_copy)
    persona = wb.persona("busy-traveller")
    assert persona.name == "Very busy traveller"
    assert persona.goals == ["Renew online", "Never queue"]
    assert [c.value for c in persona.channels] == ["web", "chat"]
    assert "# never enters a branch" in valid_copy.read_text("utf-8")
    assert "Very busy traveller" in form.card.value
    assert form.selector.options[0][0] == "Very busy traveller (busy-traveller)"


def test_persona_inline_errors_keep_last_good_state(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, delay=0)
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


def test_persona_rename_add_duplicate_delete(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, delay=0)
    form.fields["id"].value = "frequent-flyer"
    wb = load_workbook(valid_copy)
    assert {j.persona for j in wb.journeys} == {"frequent-flyer"}
    form.add_button.click()
    assert form.selector.value == "persona"
    form.fields["name"].value = "Student"
    form.duplicate_button.click()
    assert form.selector.value == "persona-copy"
    assert form.fields["name"].value == "Copy of Student"
    form.selector.value = "frequent-flyer"
    form.delete_button.click()  # refused: journeys use it
    assert "Still used by: Card renewal" in form.list_error.value
    form.selector.value = "retiree"
    form.delete_button.click()
    wb = load_workbook(valid_copy)
    assert [p.id for p in wb.personas] == ["frequent-flyer", "persona", "persona-copy"]
    tp = wb.journey("renewal").stages[1].touchpoints[0]
    assert tp.emotion_by_persona == {}


def test_persona_card_escapes_user_text(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, delay=0)
    form.fields["name"].value = "<script>alert(1)</script>"
    assert "<script>" not in form.card.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in form.card.value


def test_hebrew_workbook_gets_hebrew_labels_and_rtl(tmp_path: Path) -> None:
    path = create_client(tmp_path, "c", template="five-interfaces", language="he")
    form = persona_builder(path, delay=0)
    assert "cxkit-rtl" in form.widget._dom_classes
    form.fields["name"].value = ""
    assert form.fields["name"].error.value == "שדה חובה: נא למלא."
    mapper = journey_mapper(path, delay=0)
    assert "cxkit-rtl" in mapper.widget._dom_classes
    assert mapper.curve.layout.xaxis.autorange == "reversed"


def test_reopening_shows_exactly_what_was_saved(valid_copy: Path) -> None:
    form = persona_builder(valid_copy, delay=0)
    form.fields["quote"].value = "I renew online or not at all."
    again = persona_builder(valid_copy, delay=0)
    assert again.fields["quote"].value == "I renew online or not at all."
    mapper = journey_mapper(valid_copy, delay=0)
    mapper.tp_fields["pain_points"].value = "Arrives late\nUnclear wording"
    reopened = journey_mapper(valid_copy, delay=0)
    assert reopened.tp_fields["pain_points"].value == "Arrives late\nUnclear wording"


# --------------------------------------------------------------------------- journey mapper


def test_emotion_slider_redraws_the_curve_and_saves(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, delay=0)
    assert mapper.curve.data[0].y == (-1, 1)
    mapper.tp_fields["emotion"].value = -2
    assert mapper.curve.data[0].y == (-2, 1)
    assert list(mapper.curve.data[0].x) == [
        "Renewal notice · Renewal letter",
        "Activating the new card · Activate the card",
    ]
    assert mapper.curve.data[0].marker.symbol == ("circle", "star")  # moment of truth
    assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].emotion == -2


def test_stages_and_touchpoints_add_rename_reorder_delete(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, delay=0)
    mapper.stages.select.value = "onboarding"
    mapper.touchpoints.add.click()
    assert mapper.touchpoints.select.value == "touchpoint"
    mapper.tp_fields["name"].value = "Calls the bank"
    mapper.tp_fields["channel"].value = "phone"
    mapper.tp_fields["value"].value = "waste"
    mapper.touchpoints.up.click()
    mapper.stages.add.click()
    mapper.stage_name.value = "First use"
    mapper.stages.up.click()
    wb = load_workbook(valid_copy)
    journey = wb.journey("renewal")
    assert [s.name for s in journey.stages] == [
        "Renewal notice",
        "First use",
        "Activating the new card",
    ]
    assert [t.id for t in journey.stages[2].touchpoints] == ["touchpoint", "activate-card"]
    assert journey.stages[2].touchpoints[0].value.value == "waste"
    assert len(mapper.curve.data[0].x) == 3
    # Deleting a stage removes its touchpoints from opportunities and survey maps.
    mapper.stages.select.value = "notice"
    mapper.stages.delete.click()
    mapper.stages.select.value = "onboarding"
    mapper.stages.delete.click()
    wb = load_workbook(valid_copy)
    assert wb.journey("renewal").opportunities[0].touchpoints == []
    assert wb.surveys[0].stage_map == {}


def test_create_journey_from_template_and_opportunity(valid_copy: Path) -> None:
    mapper = journey_mapper(valid_copy, delay=0)
    mapper.template_select.value = "four-encounters"
    mapper.persona_for_new.value = "retiree"
    mapper.create_button.click()
    assert mapper.journey_select.value == "four-encounters"
    mapper.stages.select.value = "contact-centre"
    mapper.touchpoints.select.value = "ivr-menu"
    mapper.tp_fields["pain_points"].value = "Loses place in the queue"
    mapper.opportunities.add.click()
    mapper.opp_fields["title"].value = "Visual IVR that keeps your place"
    mapper.opp_fields["impact"].value = 5
    mapper.opp_fields["effort"].value = 2
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
    mapper = journey_mapper(valid_copy, delay=0)
    mapper.tp_fields["name"].value = "   "
    assert mapper.tp_fields["name"].error.value == "Required: please fill this in."
    mapper.tp_fields["name"].value = "Renewal letter v2"
    assert mapper.tp_fields["name"].error.value == ""


# --------------------------------------------------------------------------- autosave under fire


def test_rapid_edits_are_debounced_into_one_save(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[str] = []
    real = workbook_module.atomic_write

    def counting(path: Path, data: str | bytes, *, backup: bool = True) -> None:
        writes.append(str(data))
        real(path, data, backup=backup)

    monkeypatch.setattr(workbook_module, "atomic_write", counting)
    form = persona_builder(valid_copy, delay=30)  # longer than the test: only flush writes
    for i in range(40):
        form.fields["name"].value = f"Traveller {i}"
    form.fields["name"].value = ""  # a bad value in the middle is refused
    form.fields["segment"].value = "frequent"
    assert writes == []
    assert form.session.dirty
    form.session.flush()
    assert len(writes) == 1
    persona = load_workbook(valid_copy).persona("busy-traveller")
    assert (persona.name, persona.segment) == ("Traveller 39", "frequent")


def test_interrupted_save_keeps_last_good_file_and_retries(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = persona_builder(valid_copy, delay=0)
    form.fields["name"].value = "Saved before the crash"
    good = valid_copy.read_text("utf-8")

    def crash(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(workbook_module, "atomic_write", crash)
    form.fields["name"].value = "Never reaches the disk"
    assert form.session.status.state == "error"
    assert "Not saved: disk full" in form.status.value
    assert valid_copy.read_text("utf-8") == good
    load_workbook(valid_copy)  # still valid
    monkeypatch.undo()
    form.fields["segment"].value = "business"
    assert form.session.status.state == "saved"
    persona = load_workbook(valid_copy).persona("busy-traveller")
    assert (persona.name, persona.segment) == ("Never reaches the disk", "business")


def test_timer_save_happens_without_flush(valid_copy: Path) -> None:
    session = EditSession.open(valid_copy, delay=0.05)
    session.apply(lambda wb: setattr(wb.client, "name", "Timed"), at=("client",))
    timer = session._timer
    assert timer is not None
    timer.join(5)
    assert load_workbook(valid_copy).client.name == "Timed"
    assert session.status.state == "saved"
