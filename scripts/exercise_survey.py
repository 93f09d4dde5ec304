#!/usr/bin/env python3
"""Maintainer tool: write exercise 4's own survey export (not the sample's).

    .venv/bin/python scripts/exercise_survey.py

The credit-card sample ships with every copy of cxkit, so the exercise must not use
its survey: a student could copy the sample's mapping and the scores its report
quotes. This writes the same kind of SurveyMonkey export (two header rows, answer
text) with its own respondents (another seed), its own question wording, its own
stage answers and a different weakest stage, to the starter and the answer key.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
NAME = "card-renewal-surveymonkey.xlsx"
TARGETS = [
    ROOT / "templates" / "exercises" / "ex04-scoring" / "surveys" / NAME,
    ROOT / "templates" / "trainer" / "ex04-scoring" / "surveys" / NAME,
]
SEED = 4404
#: sample's stage answer -> (the exercise's wording, its score shift)
STAGES = {
    "before-expiry": ("Being told my card was expiring", -0.5),
    "new-card": ("Getting and switching on the new card", -1.05),
    "recurring-payments": ("Moving my regular payments to the new card", -0.55),
    "contact": ("Getting in touch with Meridian about the card", -0.35),
    "decide": ("Making up my mind about keeping the card", -0.45),
}
QUESTIONS = {
    "Which of these best describes your most recent experience with your card renewal?": (
        "Which part of renewing your card are you telling us about?"
    ),
    "How likely is it that you would recommend Meridian to a friend or colleague?": (
        "On a scale of 0 to 10, how likely are you to recommend Meridian to people you know?"
    ),
    "Overall, how satisfied were you with that experience?": (
        "How satisfied are you with how that part went?"
    ),
    "Meridian made it easy for me to handle my card renewal.": (
        "Renewing my card with Meridian took little effort."
    ),
}


def _generator() -> object:
    path = ROOT / "data" / "samples" / "generate_surveys.py"
    spec = importlib.util.spec_from_file_location("generate_surveys", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    gen = _generator()
    gen.SEEDS["credit-card-renewal"] = SEED  # type: ignore[attr-defined]
    gen.CARD_STAGES = tuple(  # type: ignore[attr-defined]
        dataclasses.replace(s, answer=STAGES[s.key][0], shift=STAGES[s.key][1])
        for s in gen.CARD_STAGES  # type: ignore[attr-defined]
    )
    with tempfile.TemporaryDirectory() as tmp:
        (made,) = gen.credit_card(Path(tmp))  # type: ignore[attr-defined]
        book = openpyxl.load_workbook(made)
        sheet = book.active
        assert sheet is not None
        for cell in sheet[1]:
            if cell.value in QUESTIONS:
                cell.value = QUESTIONS[str(cell.value)]
        out = Path(tmp) / NAME
        book.save(out)
        data = out.read_bytes()
        for target in TARGETS:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote {target.relative_to(ROOT)} ({len(data):,} bytes)")
    shutil.rmtree(ROOT / "scripts" / "__pycache__", ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
