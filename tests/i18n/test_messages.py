"""Message templates: every key the code words a message with exists in English and in
Hebrew with the same placeholders, English reads exactly as the message that was made,
and Hebrew plurals, places and values read right."""

from __future__ import annotations

import ast

import pytest

from cxkit.errors import Problem, Reason, Term, Words
from cxkit.i18n import label_table
from cxkit.i18n.messages import count, placeholders, problem_text, where_text, word
from tests.conftest import ROOT

PACKAGE = ROOT / "cxkit"


def _keys_in_code() -> dict[str, str]:
    """Every template key written in cxkit's code: the first argument of ``Words(...)``
    and ``Words.of(...)`` (every string constant in it, so a conditional key counts
    both ways), and the keys of a table of words (``_SIMPLE``)."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func, "value", None)
            is_words = name == "Words" or (
                name == "of" and isinstance(owner, ast.Name) and owner.id == "Words"
            )
            first = node.args[0]
            if name in {"worded_error", "say"} and not isinstance(first, ast.JoinedStr):
                is_words = True  # a message by its key: ``say("wrote", lang, file=...)``
            if not is_words:
                continue
            constants = [
                n.value
                for n in ast.walk(first)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            assert constants or isinstance(first, ast.Name), (path, ast.unparse(node))
            for key in constants:
                found[key] = str(path.relative_to(ROOT))
    from cxkit.workbook.problems import _SIMPLE

    for key, _ in _SIMPLE.values():
        found[key] = "cxkit/workbook/problems.py"
    return found


def test_every_key_the_code_uses_has_both_templates_with_the_same_placeholders() -> None:
    en, he = label_table("messages", "en"), label_table("messages", "he")
    used = _keys_in_code()
    assert len(used) > 45, used  # the scan finds the messages (fields, references, files)
    for key, where in used.items():
        assert key in en and key in he, f"{where}: no template '{key}'"
        if key.endswith(".one"):  # Hebrew says "one" in words: "תשובה אחת"
            assert placeholders(en[key]) - placeholders(he[key]) <= {"n"}, key
            assert placeholders(he[key]) <= placeholders(en[key]), key
        else:
            assert placeholders(en[key]) == placeholders(he[key]), key


def test_all_templates_agree_and_every_term_is_worded() -> None:
    en, he = label_table("messages", "en"), label_table("messages", "he")
    assert set(en) == set(he)
    for key in en:
        if key.endswith(".one"):  # Hebrew says "one" in words: "בעיה אחת"
            assert placeholders(en[key]) - placeholders(he[key]) <= {"n"}, key
            assert placeholders(he[key]) <= placeholders(en[key]), key
        else:
            assert placeholders(en[key]) == placeholders(he[key]), key
    # Every Hebrew template has Hebrew words, but those that only join other parts
    no_words = {k for k, v in he.items() if not any("\u0590" <= c <= "\u05ff" for c in v)}
    joins = {"as-said", "named", "in-file", "at-said", "verdict", "term.measure-nps"}
    assert no_words == joins, no_words


@pytest.mark.parametrize(
    ("n", "noun", "en", "he"),
    [
        (1, "problems", "1 problem(s)", "בעיה אחת"),
        (3, "problems", "3 problem(s)", "3 בעיות"),
        (1, "bad-workbooks", "1 workbook(s) with problems", "חוברת עבודה אחת עם בעיות"),
        (2, "bad-workbooks", "2 workbook(s) with problems", "2 חוברות עבודה עם בעיות"),
        (1, "submissions", "1 submissions", "הגשה אחת"),
        (25, "submissions", "25 submissions", "25 הגשות"),
        (1, "feedback-files", "1 feedback files", "קובץ משוב אחד"),
    ],
)
def test_counts_have_a_form_for_one_and_for_many(n: int, noun: str, en: str, he: str) -> None:
    assert count(n, noun, "en") == en
    assert count(n, noun, "he") == he


def test_values_terms_and_nested_words_are_worded_in_the_language() -> None:
    hint = Words.of("did-you-mean", suggestion="emotion")
    words = Words.of("unknown-key", key="emotoin", noun=Term("touchpoint"), hint=hint)
    assert word(words) == "unknown key 'emotoin' in touchpoint; did you mean 'emotion'?"
    assert word(words, "he") == "מפתח לא מוכר 'emotoin' בנקודת מגע; אולי הכוונה ל-'emotion'?"
    choice = Words.of("expected-choice", options=("web", "phone"), got="'fax'", hint=None)
    assert word(choice) == "expected one of web, phone; got 'fax'"
    assert word(choice, "he") == "צריך להיות אחד מאלה: web, phone; הערך שנמצא: 'fax'"


def test_a_hebrew_place_names_the_field_by_its_label_and_key() -> None:
    loc = ("journeys", 0, "stages", 1, "touchpoints", 2, "emotion")
    words = Words.of("expected-range", lo=-2, hi=2, got="7")
    p = Problem(
        "w.yml",
        word(words),
        Reason.OUT_OF_RANGE,
        where="journeys[0].stages[1].touchpoints[2].emotion",
        line=9,
        loc=loc,
        words=words,
    )
    assert problem_text(p, "en") == str(p)
    assert problem_text(p, "he") == (
        "w.yml:9: רגש (emotion) ב-journeys[0].stages[1].touchpoints[2]: "
        "צריך להיות מספר שלם בטווח -2 עד 2; הערך שנמצא: 7"
    )
    listed = Problem(
        "w.yml",
        "",
        Reason.BAD_REFERENCE,
        "journeys[0].opportunities[1].touchpoints[0]",
        loc=("journeys", 0, "opportunities", 1, "touchpoints", 0),
    )
    assert where_text(listed, "he") == "נקודות מגע (touchpoints[0]) ב-journeys[0].opportunities[1]"
    mapped = Problem(
        "w.yml",
        "",
        Reason.BAD_REFERENCE,
        "surveys[0].stage_map.מחיר",
        loc=("surveys", 0, "stage_map", "מחיר"),
    )
    assert where_text(mapped, "he") == "מיפוי לשלבים (stage_map) 'מחיר' ב-surveys[0]"
    unknown = Problem(
        "w.yml", "", Reason.UNKNOWN_KEY, "personas[0].colour", loc=("personas", 0, "colour")
    )
    assert where_text(unknown, "he") == "personas[0].colour"  # no label: the path as written


def test_a_problem_without_words_keeps_its_english_message_in_a_hebrew_line() -> None:
    p = Problem("survey.csv", "column 'q1' not found", Reason.MISSING_COLUMN, line=2)
    assert problem_text(p, "he") == "survey.csv:2: column 'q1' not found"


def test_score_words_in_english_are_the_words_the_code_wrote() -> None:
    """The terminal's English is what it was: the methods as scoring states them, the
    reasons for leaving answers out as their codes (the JSON and the files keep them)."""
    from cxkit.scoring.scores import (
        AGREE_METHOD,
        MEAN_METHOD,
        NPS_METHOD,
        TOP2_METHOD,
        confidence_reason,
    )
    from cxkit.surveys.answers import REASONS

    en = label_table("messages", "en")
    assert en["method.nps"] == NPS_METHOD
    assert en["method.csat"] == f"{TOP2_METHOD}; {MEAN_METHOD}"
    assert en["method.ces"] == f"CES {MEAN_METHOD}; {AGREE_METHOD}"
    for reason in REASONS:
        assert en[f"excluded.{reason}"] == reason
    assert confidence_reason(25, 5) == "n=25 < 30; 5 of 30 answers (17%) not counted"
    from cxkit.scoring.compare import MEASURES

    for metric, (_, _, label, unit) in MEASURES.items():  # the verdict names them so
        assert en[f"term.measure-{metric}"] == label
        assert unit in {"", "points"}


@pytest.mark.parametrize(
    ("n", "en", "he"),
    [
        (
            1,
            "1 NPS answer(s) out of range, not counted: row 4 '11'; "
            "expected a whole number 0-10 or one of its labels",
            "תשובת NPS אחת מחוץ לטווח ולא נספרה: שורה 4 '11'; "
            "צריך להיות מספר שלם 0-10 או אחת התוויות שלו",
        ),
        (
            7,
            "7 NPS answer(s) not a number, not counted: row 4 '11' and 6 more; "
            "expected a whole number 0-10 or one of its labels",
            "7 תשובות NPS שאינן מספרים ולא נספרו: שורה 4 '11' ועוד 6; "
            "צריך להיות מספר שלם 0-10 או אחת התוויות שלו",
        ),
    ],
)
def test_answers_left_out_agree_in_number(n: int, en: str, he: str) -> None:
    why = Term("answer-out-of-range.one") if n == 1 else Term("answer-unparseable.many")
    w = Words.of(
        "answers-not-counted.one" if n == 1 else "answers-not-counted.many",
        n=n,
        metric="NPS",
        why=why,
        examples=(Words.of("row-value", row=4, value=11),),
        more=Words.of("and-more", n=n - 1) if n > 1 else None,
        expected=Words.of("expected-answer", min=0, max=10),
    )
    assert (word(w, "en"), word(w, "he")) == (en, he)


def test_a_problem_inside_a_message_is_worded_in_its_language() -> None:
    problem = Problem(
        "wb.yml",
        "expected a whole number from -2 to 2, got 7",
        Reason.OUT_OF_RANGE,
        where="journeys[0].stages[0].touchpoints[0].emotion",
        line=12,
        loc=("journeys", 0, "stages", 0, "touchpoints", 0, "emotion"),
        words=Words.of("expected-range", lo=-2, hi=2, got=7),
    )
    w = Words.of("render-invalid.one", problem=problem, n=1, folder="clients/x")
    assert word(w, "en") == (
        "wb.yml:12: journeys[0].stages[0].touchpoints[0].emotion: expected a whole number "
        "from -2 to 2, got 7 (+1 more); run `cxkit validate clients/x` to see all"
    )
    assert word(w, "he") == (
        "wb.yml:12: רגש (emotion) ב-journeys[0].stages[0].touchpoints[0]: צריך להיות מספר "
        "שלם בטווח -2 עד 2; הערך שנמצא: 7 (ועוד בעיה אחת); אפשר להריץ "
        "`cxkit validate clients/x` כדי לראות את כל הבעיות"
    )
