"""Hebrew workbooks with a student's mistakes in them, made from a copy of a sample.

Each mistake is a change to the text of ``data/samples/caravan-holiday`` (a Hebrew
workbook) and the Hebrew words ``cxkit validate`` must say about it. Shared by the
command-line tests and the in-process ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

HEBREW_SAMPLE = ROOT / "data" / "samples" / "caravan-holiday"
ENGLISH_SAMPLE = ROOT / "data" / "samples" / "credit-card-renewal"

#: (what is changed, into what, what is said in Hebrew about it)
FIELD_MISTAKES = {
    "bad reference": (
        "    persona: planning-mother",
        "    persona: planing-mother",
        "הפרסונה (persona) ב-journeys[0]: אין פרסונה עם המזהה 'planing-mother'; "
        "אולי הכוונה ל-'planning-mother'?",
    ),
    "out of range": (
        "            emotion: 2\n",
        "            emotion: 7\n",
        "רגש (emotion) ב-journeys[0].stages[0].touchpoints[0]: "
        "צריך להיות מספר שלם בטווח -2 עד 2; הערך שנמצא: 7",
    ),
    "wrong type": (
        "            effort: 1\n",
        "            effort: הרבה\n",
        "מאמץ (effort) ב-journeys[0].stages[0].touchpoints[0]: "
        "צריך להיות מספר שלם בטווח 1 עד 5; הערך שנמצא: 'הרבה'",
    ),
    "unknown key": (
        "            channel: social\n",
        "            channel: social\n            emotoin: 1\n",
        "journeys[0].stages[0].touchpoints[1].emotoin: "
        "מפתח לא מוכר 'emotoin' בנקודת מגע; אולי הכוונה ל-'emotion'?",
    ),
    "missing field": (
        "            channel: face-to-face\n",
        "",
        "ערוץ (channel) ב-journeys[0].stages[0].touchpoints[0]: "
        "חסר המפתח 'channel' בנקודת מגע, והוא חובה",
    ),
    "bad choice": (
        "            channel: phone\n",
        "            channel: pigeon\n",
        "ערוץ (channel) ב-journeys[0].stages[1].touchpoints[0]: צריך להיות אחד מאלה: "
        "phone, web, mobile",
    ),
    "duplicate id": (
        "      - id: plan\n",
        "      - id: discover\n",
        "מזהה (id) ב-journeys[0].stages[1]: מזהה כפול: 'discover' כבר משמש לשלב "
        "ב-journeys[0].stages[0].id",
    ),
    "survey file not found": (
        "    file: surveys/guest-feedback-responses.csv",
        "    file: surveys/guest-feedback.csv",
        "קובץ (file) ב-surveys[0]: הקובץ 'surveys/guest-feedback.csv' לא נמצא ליד חוברת העבודה",
    ),
}


def copy_sample(tmp_path: Path, name: str = "client", sample: Path = HEBREW_SAMPLE) -> Path:
    """A writable copy of a sample client folder; returns its workbook.yml."""
    target = tmp_path / name
    shutil.copytree(sample, target)
    return target / "workbook.yml"


def break_workbook(path: Path, *mistakes: str) -> None:
    """Make the named mistakes (keys of :data:`FIELD_MISTAKES`) in the workbook's text."""
    text = path.read_text("utf-8")
    for name in mistakes:
        old, new, _ = FIELD_MISTAKES[name]
        assert old in text, name
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
