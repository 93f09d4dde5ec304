"""The map editor without a browser: what it draws (a snapshot of its state for a sample),
and what each gesture does to the workbook, through the shared editing session."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from cxkit.i18n import label_table
from cxkit.widgets import journey_mapper
from cxkit.widgets.mapeditor import STATIC, MapEditor
from cxkit.workbook.editing import EditSession
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"
SNAPSHOT = Path(__file__).parent / "snapshots" / "map-caravan-holiday.json"


@pytest.fixture
def caravan(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES / "caravan-holiday", tmp_path / "caravan")
    return tmp_path / "caravan" / "workbook.yml"


def _editor(path: Path) -> MapEditor:
    return MapEditor(EditSession.open(path, max_wait=0))


def test_the_widget_state_for_a_sample_matches_its_snapshot(caravan: Path) -> None:
    """The whole state the page receives for the caravan sample (set
    CXKIT_UPDATE_SNAPSHOTS=1 to write it again after a deliberate change, and review it)."""
    editor = _editor(caravan)
    state = {"view": editor.view, "labels": editor.labels, "selected": list(editor.selected)}
    text = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("CXKIT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")
    view = editor.view
    assert view["dir"] == "rtl" and [s["id"] for s in view["stages"]][:2] == ["discover", "plan"]
    assert sum(len(s["touchpoints"]) for s in view["stages"]) == 13
    first = view["stages"][0]["touchpoints"][0]
    assert first["moment_of_truth"] is True and first["emotion"] == 2


def test_every_map_label_exists_in_both_languages_with_the_same_placeholders() -> None:
    en, he = label_table("forms", "en"), label_table("forms", "he")
    keys = [k for k in en if k.startswith("map_")]
    assert len(keys) > 40
    for key in keys:
        assert key in he, key
        assert set(re.findall(r"\{(\w+)\}", en[key])) == set(re.findall(r"\{(\w+)\}", he[key]))


def test_the_front_end_is_a_plain_module_with_nothing_from_a_network() -> None:
    js = (STATIC / "mapeditor.js").read_text(encoding="utf-8")
    assert "export default" in js
    assert not re.search(r"^\s*import\s", js, re.M)  # no imports: nothing to fetch
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", js)
    assert "innerHTML" not in js  # text is set as text, never parsed as markup
    assert len(js.splitlines()) > 300 and js.count("//") > 40  # readable, commented source


def test_a_drop_in_another_stage_moves_the_card_and_keeps_its_links(caravan: Path) -> None:
    editor = _editor(caravan)
    result = editor.handle(
        {"op": "move_tp", "tp": ["stay", "problem-call"], "to": "discover", "index": 0}
    )
    assert result["problems"] == [] and editor.selected == ["discover", "problem-call"]
    journey = load_workbook(caravan).journeys[0]
    assert next(tp.id for tp in journey.stages[0].touchpoints) == "problem-call"
    assert [tp.id for tp in journey.stages[3].touchpoints] == ["morning-check-in"]
    assert (
        "problem-call"
        in next(o for o in journey.opportunities if o.id == "welcome-card").touchpoints
    )
    editor.handle({"op": "undo"})  # one gesture, one undo
    journey = load_workbook(caravan).journeys[0]
    assert [tp.id for tp in journey.stages[3].touchpoints] == ["morning-check-in", "problem-call"]


def test_a_stage_drop_past_the_end_lands_last(caravan: Path) -> None:
    editor = _editor(caravan)
    editor.handle({"op": "move_stage", "stage": "discover", "index": 99})
    assert [s.id for s in load_workbook(caravan).journeys[0].stages][-1] == "discover"


def test_add_needs_a_channel_and_lands_where_it_was_dropped(caravan: Path) -> None:
    editor = _editor(caravan)
    refused = editor.handle({"op": "add_tp", "stage": "pay", "name": "Card"})
    assert refused["problems"] == ["בחרו קודם את הערוץ של נקודת המגע החדשה."]
    added = editor.handle(
        {"op": "add_tp", "stage": "pay", "name": "Card payment", "channel": "web", "index": 0}
    )
    assert added["select"] == ["pay", "card-payment"]
    pay = load_workbook(caravan).journeys[0].stages[4]
    assert [tp.id for tp in pay.touchpoints] == ["card-payment", "settles-bill"]
    stage = editor.handle({"op": "add_stage", "name": "חזרה", "index": 1})
    stages = load_workbook(caravan).journeys[0].stages
    assert stages[1].name == "חזרה" and stage["select"] == [stages[1].id, None]


def test_delete_asks_naming_what_goes_with_it_then_undo_brings_it_back(caravan: Path) -> None:
    editor = _editor(caravan)
    asked = editor.handle({"op": "delete", "kind": "stage", "ids": ["plan"]})
    assert "3 נקודות מגע" in asked["confirm"]["text"]
    assert len(load_workbook(caravan).journeys[0].stages) == 6  # nothing yet
    editor.handle({"op": "delete", "kind": "stage", "ids": ["plan"], "confirmed": True})
    journey = load_workbook(caravan).journeys[0]
    assert "plan" not in [s.id for s in journey.stages]
    assert all("calls-haim" not in o.touchpoints for o in journey.opportunities)
    editor.handle({"op": "undo"})
    assert "plan" in [s.id for s in load_workbook(caravan).journeys[0].stages]


def test_opportunity_rows_create_link_and_unlink(caravan: Path) -> None:
    editor = _editor(caravan)
    incomplete = editor.handle(
        {"op": "opps", "tp": ["stay", "morning-check-in"], "rows": [{"id": None, "title": "Hi"}]}
    )
    assert incomplete["problems"] == ["בחרו קודם השפעה ומאמץ להזדמנות החדשה."]
    rows = [
        {"id": None, "title": "הודעת בוקר קבועה", "impact": 3, "effort": 1},
        {"id": "location-pin", "title": "נעיצת מיקום", "impact": None, "effort": None},
    ]
    assert (
        editor.handle({"op": "opps", "tp": ["stay", "morning-check-in"], "rows": rows})["problems"]
        == []
    )
    opps = {o.title: o for o in load_workbook(caravan).journeys[0].opportunities}
    assert opps["הודעת בוקר קבועה"].touchpoints == ["morning-check-in"]
    assert opps["נעיצת מיקום"].touchpoints == ["finds-meeting-point", "morning-check-in"]
    assert opps["נעיצת מיקום"].impact == 4  # unset in the row: kept
    editor.handle({"op": "opps", "tp": ["stay", "morning-check-in"], "rows": rows[:1]})
    pin = next(
        o for o in load_workbook(caravan).journeys[0].opportunities if o.id == "location-pin"
    )
    assert pin.touchpoints == ["finds-meeting-point"]  # unlinked here, kept in the journey


def test_a_refused_value_changes_nothing_and_says_why(caravan: Path) -> None:
    before = caravan.read_bytes()
    editor = _editor(caravan)
    result = editor.handle({"op": "set", "tp": ["pay", "settles-bill"], "fields": {"emotion": 5}})
    assert result["problems"] and "-2" in result["problems"][0]
    gone = editor.handle({"op": "set", "tp": ["pay", "no-such"], "fields": {"name": "x"}})
    assert gone["problems"] == [
        "„no-such” כבר לא בחוברת (מישהו שינה אותה): המפה מציגה עכשיו את הקובץ."
    ]
    assert caravan.read_bytes() == before


def test_selection_follows_between_the_map_and_the_detailed_form(caravan: Path) -> None:
    mapper = journey_mapper(caravan)
    assert mapper.map is not None
    mapper.map.handle({"op": "select", "ids": ["arrive", "setup-briefing"]})
    assert (mapper.stages.selected, mapper.touchpoints.selected) == ("arrive", "setup-briefing")
    assert mapper.tp_fields["name"].field.value == next(
        tp.name
        for _, tp in mapper.session.workbook.journeys[0].touchpoints()
        if tp.id == "setup-briefing"
    )
    mapper.stages.choose("pay")  # and back: a pick in the form selects the map's cell
    assert mapper.map.selected == ["pay", "settles-bill"]
    mapper.map.handle({"op": "set", "tp": ["pay", "settles-bill"], "fields": {"effort": 5}})
    assert mapper.tp_fields["effort"].field.value == 5  # the form shows the map's edit


def test_current_and_future_state_are_one_toggle_apart(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "pension-withdrawal", tmp_path / "p")
    editor = _editor(tmp_path / "p" / "workbook.yml")
    assert editor.view["state"] == "current"
    assert editor.view["counterpart"]["id"] == "withdrawal-future"
    editor.handle({"op": "journey", "id": "withdrawal-future"})
    assert editor.view["state"] == "future" and editor.view["counterpart"]["state"] == "current"
    assert editor.view["dir"] == "ltr"


def test_a_journey_from_nothing(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "caravan-holiday", tmp_path / "c")
    path = tmp_path / "c" / "workbook.yml"
    session = EditSession.open(path, max_wait=0)
    session.apply(lambda wb: setattr(wb, "surveys", []))
    session.delete("journey", ("caravan-two-families",))
    editor = MapEditor(session)
    assert editor.view["journey"] is None
    refused = editor.handle({"op": "new_journey", "title": "", "persona": "planning-mother"})
    assert refused["problems"]
    editor.handle({"op": "new_journey", "title": "Two families", "persona": "planning-mother"})
    assert editor.view["journey"] == "two-families" and editor.view["stages"] == []


def test_an_edit_made_meanwhile_elsewhere_is_not_overwritten_unseen(caravan: Path) -> None:
    editor = _editor(caravan)
    tp = ["pay", "settles-bill"]
    shown = next(t for _, t in editor.session.workbook.journeys[0].touchpoints() if t.id == tp[1])
    # another tab saved a new action after this cell was opened
    editor.handle({"op": "set", "tp": tp, "fields": {"action": "Theirs"}})
    mine = {"op": "set", "tp": tp, "fields": {"action": "Mine"}, "base": {"action": shown.action}}
    refused = editor.handle(mine)
    assert refused["problems"] and "“Theirs”" in refused["problems"][0].replace("„", "“")
    assert load_workbook(caravan).journeys[0].stages[4].touchpoints[0].action == "Theirs"
    del mine["base"]  # Enter again: the student means it
    assert editor.handle(mine)["problems"] == []
    assert load_workbook(caravan).journeys[0].stages[4].touchpoints[0].action == "Mine"


def test_undo_shows_the_journey_it_changed(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "pension-withdrawal", tmp_path / "p")
    editor = _editor(tmp_path / "p" / "workbook.yml")
    editor.handle({"op": "journey", "id": "withdrawal-future"})
    first = editor.view["stages"][0]
    editor.handle(
        {
            "op": "set",
            "tp": [first["id"], first["touchpoints"][0]["id"]],
            "fields": {"action": "Undo me"},
        }
    )
    editor.handle({"op": "journey", "id": "withdrawal-current"})
    editor.handle({"op": "undo"})
    assert editor.view["journey"] == "withdrawal-future"
