"""One template cell both ways: what a person types stays readable, and nothing a
workbook holds is split or merged on the way (cxkit.workbook.cells)."""

from __future__ import annotations

from typing import Any

import pytest

from cxkit.errors import Reason
from cxkit.i18n.messages import word
from cxkit.workbook.cells import JSON, LIST, PAIRS, Col, cell_text, cell_value


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (LIST, ["a", "b"], "a\nb"),
        (LIST, ["first\nsecond", "x"], '["first\\nsecond", "x"]'),
        (LIST, ['["not json"]'], '["[\\"not json\\"]"]'),
        (PAIRS, {"nps": "Q1", "stage": "Q2"}, "nps: Q1\nstage: Q2"),
        (PAIRS, {"nps": "How likely\nare you?"}, '{"nps": "How likely\\nare you?"}'),
        (PAIRS, {"a:b": "c"}, '{"a:b": "c"}'),
        (JSON, {"min": 1, "max": 5}, '{"min": 1, "max": 5}'),
    ],
)
def test_a_value_survives_its_cell(kind: str, value: Any, text: str) -> None:
    col = Col("x", kind)
    assert cell_text(value, col) == text
    assert cell_value(text, col) == (value, [])


def test_what_a_person_types_is_read_as_lines() -> None:
    assert cell_value("  one \n\n two", Col("x", LIST)) == (["one", "two"], [])
    assert cell_value('["broken', Col("x", LIST)) == (['["broken'], [])
    data, problems = cell_value("nps: Q1\nno colon here", Col("x", PAIRS))
    assert data == {"nps": "Q1"}
    said = [(word(w), reason) for w, reason in problems]
    assert said == [("expected lines of 'key: value', got 'no colon here'", Reason.BAD_VALUE)]
    assert (
        word(problems[0][0], "he") == "צריך להיות שורות של 'מפתח: ערך'; הערך שנמצא: 'no colon here'"
    )
    assert cell_value("כן", Col("x", "bool")) == (True, [])
