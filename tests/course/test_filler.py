"""What counts as filler, and what does not."""

from __future__ import annotations

import pytest

from cxkit.course.exercises import ROOT
from cxkit.course.filler import KnownTexts, filler_reason, given_texts

KNOWN = KnownTexts.from_texts(["Receives a generic letter"], "", "sample")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "short"),
        (".", "short"),
        ("x", "short"),
        ("ab", "short"),
        ("-", "short"),
        ("TODO", "placeholder"),
        ("n/a", "short"),
        ("none", "placeholder"),
        ("lorem ipsum dolor sit amet", "placeholder"),
        ("בדיקה", "placeholder"),
        ("לא יודע", "placeholder"),
        ("aaaa", "repeated"),
        ("asdasdasd", "repeated"),
        ("test test test", "placeholder"),
        ("good good good", "repeated"),
        ("Receives a generic letter.", "copied"),
        ("  receives A GENERIC letter ", "copied"),
        ("touchpoint 3", "placeholder"),
        ("Touchpoint B", "placeholder"),
        ("שלב א", "placeholder"),
        ("New stage", "placeholder"),
        ("נקודת מגע 2", "placeholder"),
        ("שלב חדש", "placeholder"),
        ("Waits 9 minutes on hold", None),
        ("Stage fright at the counter", None),
        ("SMS", None),
        ("מחכה רבע שעה בתור", None),
        ("אמא", None),
    ],
)
def test_filler_reason(text: str, why: str | None) -> None:
    assert filler_reason(text, KNOWN) == why


def test_the_given_texts_hold_the_samples_and_the_instructions() -> None:
    given = given_texts(ROOT)
    assert given.source("Finding out at the till") == "sample"  # a sample persona's line
    sentence = "Classify every touchpoint in the value stream"
    assert given.source(sentence + ": does it add value for the resident, is it needed")
    assert given.source("Waits a quarter of an hour on hold") is None
