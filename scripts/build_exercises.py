#!/usr/bin/env python3
"""Maintainer tool: rebuild the exercise starters and answer keys from the sample clients.

    .venv/bin/python scripts/build_exercises.py

Answer keys (templates/trainer/) are the samples plus what each exercise asks for;
starters (templates/exercises/) are the keys with that work taken out, leaving a head
start. Both are written through the round-trip API, so the samples' comments survive.
The tests check that keys score full marks and starters score what the rubric says.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from cxkit.workbook.model import Course, Opportunity, Value
from cxkit.workbook.yamlfile import WorkbookFile

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
KEYS = ROOT / "templates" / "trainer"
STARTERS = ROOT / "templates" / "exercises"

EXERCISES = {
    1: ("ex01-persona", "caravan-holiday"),
    2: ("ex02-five-interfaces", "weight-loss-clinic"),
    3: ("ex03-moments-of-truth", "insurer-policy-update"),
    4: ("ex04-scoring", "credit-card-renewal"),
    5: ("ex05-duplications", "pension-withdrawal"),
}


def _copy(sample: str, target: Path, *, surveys: bool) -> WorkbookFile:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(SAMPLES / sample / "workbook.yml", target / "workbook.yml")
    if surveys:
        shutil.copytree(SAMPLES / sample / "surveys", target / "surveys")
    doc = WorkbookFile.load(target / "workbook.yml")
    if not surveys:
        doc.workbook.surveys = []
    return doc


def _only_current(doc: WorkbookFile) -> None:
    doc.workbook.journeys = [j for j in doc.workbook.journeys if j.state.value == "current"][:1]


def build_key(n: int) -> None:
    slug, sample = EXERCISES[n]
    doc = _copy(sample, KEYS / slug, surveys=n == 4)
    wb = doc.workbook
    wb.course = Course(exercise=n)
    if n != 1:
        _only_current(doc)
    if n == 1:
        wb.journeys = []
    if n == 3:
        journey = wb.journeys[0]
        answered = {t for o in journey.opportunities for t in o.touchpoints}
        for _, tp in journey.touchpoints():
            if tp.pain_points and tp.id not in answered:
                journey.opportunities.append(
                    Opportunity(
                        id=f"fix-{tp.id}",
                        title=f"לטפל ב: {tp.pain_points[0]}",
                        touchpoints=[tp.id],
                        impact=3,
                        effort=2,
                    )
                )
    if n == 4:
        wb.journeys[0].description = (
            "Overall NPS -15 (95% CI -18 to -11, n = 1,940). Recurring payments is the weakest "
            "stage: NPS -37 (95% CI -45 to -29, n = 368), clearly below the new-card stage, "
            "NPS 11 (95% CI 4 to 19). The intervals do not overlap, so the gap is real."
        )
    doc.save(backup=False)


def build_starter(n: int) -> None:
    slug, _ = EXERCISES[n]
    target = STARTERS / slug
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(KEYS / slug, target)
    doc = WorkbookFile.load(target / "workbook.yml")
    wb = doc.workbook
    if n == 1:  # a name and a segment; everything else comes from the interview
        wb.personas = wb.personas[:1]
        p = wb.personas[0]
        p.quote = None
        p.goals, p.expectations, p.frustrations, p.motivations, p.channels = [], [], [], [], []
    journey = wb.journeys[0] if wb.journeys else None
    if n == 2 and journey is not None:  # the five interfaces named, one touchpoint to copy from
        journey.stages = journey.stages[:5]
        for i, stage in enumerate(journey.stages):
            stage.touchpoints = stage.touchpoints[:1] if i == 0 else []
        tp = journey.stages[0].touchpoints[0]
        tp.action = tp.expectation = tp.emotion = None
        journey.opportunities = []
    if n == 3 and journey is not None:  # two emotions and one pain point as examples
        for i, (_, tp) in enumerate(journey.touchpoints()):
            tp.moment_of_truth, tp.moment_of_truth_reason = False, None
            tp.pain_points = tp.pain_points[:1] if i == 0 else []
            if i >= 2:
                tp.emotion = None
        journey.opportunities = []
    if n == 4 and journey is not None:  # the file is there and NPS is mapped; the rest is theirs
        survey = wb.surveys[0]
        nps = survey.columns.nps
        survey.columns = type(survey.columns)(nps=nps)
        survey.stage_map = {}
        journey.description = None
        journey.opportunities = []
    if n == 5 and journey is not None:  # value stream for the first two steps only
        for i, (_, tp) in enumerate(journey.touchpoints()):
            tp.value = tp.value if i < 2 and tp.value is not Value.WASTE else None
        journey.opportunities = []
    doc.save(backup=False)


if __name__ == "__main__":
    for number in EXERCISES:
        build_key(number)
        build_starter(number)
        slug = EXERCISES[number][0]
        print(f"exercise {number}: {KEYS / slug} and {STARTERS / slug}")
