"""Course exercises: rubrics that measure work.

Answer keys score full marks; starters, the sample workbooks (which every student
receives) and starters filled with filler score low, and say why; realistic flawed
work gets exact scores and exact feedback lines, in English and in Hebrew."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cxkit.course.exercises import CHECKS, check_file, get_rubric, prepare_workspace, rubrics
from cxkit.workbook.model import Channel, Opportunity, Stage, Touchpoint, Value, Workbook
from cxkit.workbook.yamlfile import WorkbookFile
from tests.conftest import ROOT, cxkit

KEYS = ROOT / "templates" / "trainer"
STARTERS = ROOT / "templates" / "exercises"
SAMPLES = ROOT / "data" / "samples"
SLUGS = {
    1: "ex01-persona",
    2: "ex02-five-interfaces",
    3: "ex03-moments-of-truth",
    4: "ex04-scoring",
    5: "ex05-duplications",
}
CASES = {
    1: "caravan-holiday",
    2: "weight-loss-clinic",
    3: "insurer-policy-update",
    4: "credit-card-renewal",
    5: "pension-withdrawal",  # ex5's former case: its sample, handed in, earns nothing
}
STARTER_SCORES = {1: 0.0, 2: 7.3, 3: 7.7, 4: 10.0, 5: 0.0}
FILLER_SCORES = {1: 0.0, 2: 9.5, 3: 5.0, 4: 0.0, 5: 0.0}

Edit = Callable[[Workbook], None]


def _edited(source: Path, edit: Edit, tmp_path: Path) -> Path:
    folder = tmp_path / "student"
    shutil.copytree(source, folder)
    doc = WorkbookFile.load(folder)
    edit(doc.workbook)
    doc.save()
    return folder


def _tps(wb: Workbook) -> list[Touchpoint]:
    return [t for _, t in wb.journeys[0].touchpoints()]


def test_rubrics_are_complete_data() -> None:
    assert sorted(rubrics()) == [1, 2, 3, 4, 5]
    for rubric in rubrics().values():
        assert rubric.total == 100
        assert set(rubric.title) == {"en", "he"}
        for name in rubric.starters:
            assert (STARTERS / name / "workbook.yml").is_file()
        for c in rubric.criteria:
            assert c.check in CHECKS
            assert set(c.feedback) == {"en", "he"} and set(c.title) == {"en", "he"}


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_answer_key_scores_full_marks(exercise: int) -> None:
    for language in ("en", "he"):
        result = check_file(KEYS / SLUGS[exercise], exercise, language)
        assert (result.score, result.feedback) == (100, [])


@pytest.mark.parametrize(
    ("exercise", "slug", "starter_score", "first_line"),
    [
        (
            1,
            "ex01-persona-en",
            0.0,
            "persona 'Michal, the mother who plans' has 0 goals of "
            "their own; write at least 2, in the customer's words.",
        ),
        (
            2,
            "ex02-five-interfaces-en",
            7.3,
            "the journey ends at stage 'Ongoing treatment "
            "(months 4-12)'; one of the five interfaces is still missing: what happens once the "
            "treatment is over?",
        ),
        (
            3,
            "ex03-moments-of-truth-en",
            7.7,
            "you marked 0 moments of truth; find at least 2, where the customer forms an "
            "opinion of the insurer.",
        ),
        (
            4,
            "ex04-scoring-he",
            10.0,
            "בסקר עדיין אין מיפוי 'csat'; השתמשו בתפריטים של כלי ניתוח המשוב.",
        ),
        (
            5,
            "ex05-duplications-he",
            0.0,
            "לנקודת המגע 'הודעת SMS על תום תוקף התו' אין סיווג ערך: מוסיפה ערך, נחוצה, או בזבוז?",
        ),
    ],
)
def test_exercises_in_the_other_language(
    exercise: int, slug: str, starter_score: float, first_line: str
) -> None:
    key = check_file(KEYS / slug, exercise)
    assert (key.score, key.feedback) == (100, [])
    starter = check_file(STARTERS / slug, exercise)
    assert (starter.score, starter.feedback[0]) == (starter_score, first_line)


def test_the_other_languages_starter_is_given_text(tmp_path: Path) -> None:
    english = WorkbookFile.load(STARTERS / "ex01-persona-en").workbook.personas[0]

    def from_the_english_starter(wb: Workbook) -> None:  # given text, whatever its language
        wb.personas[0].goals = [english.segment or "", english.description or ""]

    folder = _edited(STARTERS / "ex01-persona", from_the_english_starter, tmp_path)
    pasted = check_file(folder, 1, "en")
    assert pasted.criteria[0].earned == 0
    assert pasted.feedback[0] == (
        "\"A family with young children, returning…\" (persona 'מיכל, האמא שמתכננת', goals) "
        "does not count: it is the starter's own text, unchanged."
    )


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_starter_scores_low(exercise: int) -> None:
    result = check_file(STARTERS / SLUGS[exercise], exercise)
    assert result.score == STARTER_SCORES[exercise]
    assert result.feedback


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_a_sample_workbook_handed_in_scores_nothing(exercise: int) -> None:
    """The samples ship to every student: handing one in earns nothing."""
    result = check_file(SAMPLES / CASES[exercise], exercise, "en")
    assert result.score == 0
    assert result.feedback[0].startswith(f"this is not exercise {exercise}'s workbook")


def _paste_sample(exercise: int) -> Edit:
    """Paste the sample's journey (or persona) into the starter, keeping its ids."""
    sample = WorkbookFile.load(SAMPLES / CASES[exercise]).workbook

    def edit(wb: Workbook) -> None:
        if exercise == 1:
            keep = wb.personas[0].id
            wb.personas[0] = sample.personas[0].model_copy(update={"id": keep})
            return
        theirs = next(j for j in sample.journeys if j.state.value == "current")
        if exercise == 5:  # ex5's former case: its journey, with this workbook's persona
            theirs = theirs.model_copy(update={"persona": wb.journeys[0].persona}, deep=True)
            for _, t in theirs.touchpoints():
                t.emotion_by_persona = {}
        wb.journeys[0] = theirs.model_copy(update={"id": wb.journeys[0].id})
        if exercise == 4:
            wb.surveys[0].columns = sample.surveys[0].columns
            wb.surveys[0].stage_map = sample.surveys[0].stage_map

    return edit


PASTED_SCORES = {1: 20.0, 2: 7.2, 3: 0.0, 4: 0.0, 5: 0.0}
PASTED_SAYS = {
    1: "does not count: it is copied from a sample workbook.",
    2: "does not count: it is copied from a sample workbook.",
    3: "this is not exercise 3's workbook",
    4: "only 0% of the answers in the column mapped as 'nps' read as such answers",
    5: "this is not exercise 5's workbook",
}


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_the_samples_text_pasted_into_the_starter_earns_little(
    exercise: int, tmp_path: Path
) -> None:
    folder = _edited(STARTERS / SLUGS[exercise], _paste_sample(exercise), tmp_path)
    result = check_file(folder, exercise, "en")
    assert result.score == PASTED_SCORES[exercise]
    said = " ".join(result.feedback)
    assert PASTED_SAYS[exercise] in said


def test_student_material_does_not_contain_the_keys() -> None:
    for slug in SLUGS.values():
        starter = (STARTERS / slug / "workbook.yml").read_bytes()
        assert starter != (KEYS / slug / "workbook.yml").read_bytes()
    assert not list((ROOT / "notebooks").rglob("*trainer*"))


# --------------------------------------------------------------------------- filler


def _fill(exercise: int) -> Edit:
    """What a student racing for points types: single characters, placeholders,
    the same text everywhere, defaults, a sentence of the instructions."""

    def edit(wb: Workbook) -> None:
        if exercise == 1:
            p = wb.personas[0]
            p.goals, p.frustrations = ["x", "asdf"], ["aaaa", "TODO"]
            p.expectations = ["Read the interview and build her persona in the form", "."]
            p.motivations, p.quote, p.channels = ["test"], "x", list(Channel)
            return
        j = wb.journeys[0]
        tps = _tps(wb)
        everything = [t.id for t in tps]
        if exercise == 2:
            j.stages.append(Stage(id="later", name="x"))
            for i, stage in enumerate(j.stages):
                stage.touchpoints.append(Touchpoint(id=f"tp{i}", name="aaa", channel="social"))
            for t in _tps(wb):
                t.action, t.expectation, t.emotion = "x", "good service", 0
        elif exercise == 3:
            for t in tps:
                t.moment_of_truth, t.moment_of_truth_reason, t.emotion = True, "x", 0
                t.pain_points = ["bad", "bad"]
            j.opportunities = [
                Opportunity(id="fix", title="fix it", touchpoints=everything, impact=5, effort=1)
            ]
        elif exercise == 4:
            columns = wb.surveys[0].columns
            columns.csat = columns.stage = columns.nps
            wb.surveys[0].stage_map = {"x": j.stages[0].id}
            j.description = "NPS -15 (95% CI -18 to -11). NPS -15 (95% CI -18 to -11)."
            j.opportunities = [
                Opportunity(id="x", title="x", touchpoints=everything, impact=5, effort=1)
            ]
        else:
            for t in tps:
                t.value = Value.WASTE
            j.opportunities = [
                Opportunity(id="x", title="asdf", touchpoints=everything, impact=5, effort=1)
            ]

    return edit


FILLER_LINES = {
    1: "\"x\" (persona 'מיכל, האמא שמתכננת', goals) does not count: it is too short to say "
    "anything.",
    2: "\"aaa\" (touchpoint 'aaa', name) does not count: it repeats one letter or word.",
    3: "11 of 11 touchpoints are marked as moments of truth; a moment of truth stands out: keep "
    "the few where the customer's opinion is formed.",
    4: '"NPS -15 (-18 to -11)" is the example from the instructions; quote the scores your '
    "survey gives.",
    5: "9 of 9 steps are marked waste; which of them does the customer really need?",
}


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_a_starter_filled_with_filler_scores_at_most_20(exercise: int, tmp_path: Path) -> None:
    folder = _edited(STARTERS / SLUGS[exercise], _fill(exercise), tmp_path)
    result = check_file(folder, exercise, "en")
    assert result.score == FILLER_SCORES[exercise] <= 20
    assert FILLER_LINES[exercise] in result.feedback


def test_filler_feedback_in_hebrew(tmp_path: Path) -> None:
    folder = _edited(STARTERS / SLUGS[1], _fill(1), tmp_path)
    lines = check_file(folder, 1).feedback  # the workbook is Hebrew
    assert lines[:3] == [
        "\"x\" (פרסונה 'מיכל, האמא שמתכננת', מטרות) לא נחשב: הוא קצר מכדי לומר משהו.",
        "\"asdf\" (פרסונה 'מיכל, האמא שמתכננת', מטרות) לא נחשב: זה ממלא מקום, לא תשובה.",
        "\"aaaa\" (פרסונה 'מיכל, האמא שמתכננת', תסכולים) לא נחשב: הוא חוזר על אותה אות או מילה.",
    ]
    assert "…ועוד תשובה אחת שלא נחשבת, מאותן סיבות." in lines
    assert (
        "אצל הפרסונה 'מיכל, האמא שמתכננת' מסומנים כמעט כל הערוצים; השאירו רק את אלה שעולים "
        "בראיון." in lines
    )


# --------------------------------------------------------------------------- flawed work


def _thin_persona(wb: Workbook) -> None:
    wb.personas[0].goals = wb.personas[0].goals[:1]
    wb.personas[0].quote = None


def _no_after_service(wb: Workbook) -> None:
    wb.journeys[0].stages.pop()


def _flat_emotions(wb: Workbook) -> None:
    for t in _tps(wb):
        t.emotion = 0


def _empty_stage(wb: Workbook) -> None:
    wb.journeys[0].stages[1].touchpoints = []


def _same_expectation(wb: Workbook) -> None:
    for t in _tps(wb):
        t.expectation = "שירות טוב ויחס אישי"


def _every_moment(wb: Workbook) -> None:
    for t in _tps(wb):
        t.moment_of_truth = True
        t.moment_of_truth_reason = "כאן הלקוחות מחליטים אם להמשיך עם החברה"


def _one_opportunity_for_all(wb: Workbook) -> None:
    wb.journeys[0].opportunities = [
        Opportunity(
            id="fix",
            title="לשפר את כל התהליך מול הלקוחות",
            touchpoints=[t.id for t in _tps(wb)],
            impact=5,
            effort=2,
        )
    ]


def _one_reason_for_every_moment(wb: Workbook) -> None:
    for t in _tps(wb):
        if t.moment_of_truth:
            t.moment_of_truth_reason = "Here the customer decides what to think of the insurer."


def _the_same_opportunity_for_each_pain(wb: Workbook) -> None:
    for o in wb.journeys[0].opportunities:
        o.title = "Make it simpler for the customer"


def _pains_from_the_sample(wb: Workbook) -> None:
    _tps(wb)[0].pain_points = [
        "אין בשום מקום את הסכום שהלקוח ישלם",
        "אין מספר טלפון ישיר לשאלות על המכתב",
    ]


def _csat_mean_and_ces_agree(wb: Workbook) -> None:
    wb.journeys[
        0
    ].description = "CSAT mean 3.15 (3.09 to 3.20) overall; CES agree 38.5% (36.3% to 40.8%)."


def _csat_on_the_nps_column(wb: Workbook) -> None:
    wb.surveys[0].columns.csat = wb.surveys[0].columns.nps


def _stage_link_x(wb: Workbook) -> None:
    wb.surveys[0].stage_map = {"x": "before-expiry"}


def _opportunity_for_another_stage(wb: Workbook) -> None:
    for o in wb.journeys[0].opportunities:
        o.touchpoints = ["calls-where-is-card"]


def _pasted_example(wb: Workbook) -> None:
    wb.journeys[
        0
    ].description = "NPS -15 (95% CI -18 to -11). New card: NPS -52 (95% CI -58 to -46)."


def _ex5(wb: Workbook) -> dict[str, Touchpoint]:
    return {t.id: t for t in _tps(wb)}


def _first_request_marked_waste(wb: Workbook) -> None:
    _ex5(wb)["online-form"].value = Value.WASTE
    _ex5(wb)["tax-letter"].value = Value.NEEDED


def _first_request_and_repeat_both_waste(wb: Workbook) -> None:
    _ex5(wb)["online-form"].value = Value.WASTE


def _repeat_not_removed(wb: Workbook) -> None:
    j = wb.journeys[0]
    j.opportunities = [o for o in j.opportunities if "tax-letter" not in o.touchpoints]


def _only_the_repeat_is_waste(wb: Workbook) -> None:
    """The letter is waste, but not the counter visit, the calls or the fine it causes."""
    for tp_id in ("counter-visit", "hotline-call", "parking-fine"):
        _ex5(wb)[tp_id].value = Value.NEEDED


def _nothing_adds_value(wb: Workbook) -> None:
    for t in _tps(wb):
        if t.value is Value.ADDS:
            t.value = Value.NEEDED


def _no_low_effort_opportunity(wb: Workbook) -> None:
    for o in wb.journeys[0].opportunities:
        o.effort = max(o.effort, 3)


def _one_opportunity_for_the_whole_journey(wb: Workbook) -> None:
    wb.journeys[0].opportunities = [
        Opportunity(
            id="fix",
            title="One joined-up renewal process for the whole city",
            touchpoints=[t.id for t in _tps(wb)],
            impact=5,
            effort=2,
        )
    ]


def _three_steps_left_unclassified(wb: Workbook) -> None:
    for tp_id in ("pays-fee", "hotline-call", "digital-permit"):
        _ex5(wb)[tp_id].value = None


def _touchpoints_left_with_the_forms_name(wb: Workbook) -> None:
    for stage in wb.journeys[0].stages[1:3]:
        for t in stage.touchpoints:
            t.name = "New touchpoint"


def _all_needed(wb: Workbook) -> None:
    for t in _tps(wb):
        t.value = Value.NEEDED


DUP_EXPECTATION = (
    "\"שירות טוב ויחס אישי\" (touchpoint '{}', expectation) does not count: the same text is "
    "given more than once."
)
FLAWED: list[tuple[int, str, Edit, float, list[str]]] = [
    (1, "thin-persona", _thin_persona, 65.0, [
        "persona 'מיכל, האמא שמתכננת' has 1 goal of their own; write at least 2, in the "
        "customer's words.",
        "persona 'מיכל, האמא שמתכננת' needs a quote: one sentence the persona would say, in the "
        "persona's own voice.",
    ]),
    (2, "fifth-interface-missing", _no_after_service, 85.0, [
        "the journey ends at stage 'טיפול שוטף (חודשים 4-12)'; one of the five interfaces is "
        "still missing: what happens once the treatment is over?",
    ]),
    (2, "all-emotions-zero", _flat_emotions, 80.0, [
        "every touchpoint has the same emotion (0); a long treatment has ups and downs: where "
        "are they?",
    ]),
    (2, "empty-stage", _empty_stage, 96.7, ["stage 'פנייה ראשונה' has no touchpoint yet."]),
    (2, "same-expectation-everywhere", _same_expectation, 82.5, [
        DUP_EXPECTATION.format("מחפשת מחירים בפורום"),
        DUP_EXPECTATION.format("מתקשרת לסניף הקרוב"),
        DUP_EXPECTATION.format("פגישת ייעוץ שבה נחשף המחיר"),
        "…and 4 more answers that do not count, for the same reasons.",
    ]),
    (3, "every-touchpoint-a-moment-of-truth", _every_moment, 75.0, [
        "11 of 11 touchpoints are marked as moments of truth; a moment of truth stands out: "
        "keep the few where the customer's opinion is formed.",
    ]),
    (3, "one-opportunity-linked-to-everything", _one_opportunity_for_all, 70.0, [
        "opportunity 'לשפר את כל התהליך מול הלקוחות' is linked to 11 of 11 touchpoints; link "
        "each opportunity to the few touchpoints it really changes.",
        "the pain point at 'מכתב עדכון פוליסה בנוסח משפטי' (\"המכתב לא אומר במילים פשוטות אם "
        "הפרמיה עולה\") has no opportunity that answers it.",
        "the pain point at 'המתנה בתור' (\"רבע שעה בתור דווקא בשבוע שבו כולם קיבלו את "
        "המכתב\") has no opportunity that answers it.",
        "the pain point at 'חתימה על טופס הסכמה ושליחה' (\"בלי מדפסת וסורק בבית אי אפשר "
        "לאשר את השינוי\") has no opportunity that answers it.",
        "the pain point at 'שיחה שנייה - \"הטופס לא נקלט\"' (\"צריך להתקשר שוב כי הטופס "
        "נסרק לתיק הלא נכון\") has no opportunity that answers it.",
    ]),
    (3, "one-reason-for-every-moment", _one_reason_for_every_moment, 79.2, [
        '"Here the customer decides what to think…" (touchpoint \'נציג מסביר את המכתב\', why '
        "it is a moment of truth) does not count: the same text is given more than once.",
        '"Here the customer decides what to think…" (touchpoint \'משווה מחירים בחברה אחרת\', '
        "why it is a moment of truth) does not count: the same text is given more than once.",
    ]),
    (3, "the-same-opportunity-for-each-pain", _the_same_opportunity_for_each_pain, 77.5, [
        '"Make it simpler for the customer" (the title of an opportunity) does not count: the '
        "same text is given more than once.",
        "the pain point at 'המתנה בתור' (\"רבע שעה בתור דווקא בשבוע שבו כולם קיבלו את "
        "המכתב\") has no opportunity that answers it.",
        "the pain point at 'חתימה על טופס הסכמה ושליחה' (\"בלי מדפסת וסורק בבית אי אפשר "
        "לאשר את השינוי\") has no opportunity that answers it.",
        "the pain point at 'שיחה שנייה - \"הטופס לא נקלט\"' (\"צריך להתקשר שוב כי הטופס "
        "נסרק לתיק הלא נכון\") has no opportunity that answers it.",
    ]),
    (3, "pain-points-copied-from-the-sample", _pains_from_the_sample, 95.0, [
        '"אין בשום מקום את הסכום שהלקוח ישלם" (touchpoint \'מכתב עדכון פוליסה בנוסח משפטי\', '
        "pain points) does not count: it is copied from a sample workbook.",
        '"אין מספר טלפון ישיר לשאלות על המכתב" (touchpoint \'מכתב עדכון פוליסה בנוסח משפטי\', '
        "pain points) does not count: it is copied from a sample workbook.",
        "you listed 3 pain points of your own; the letters and the calls they cause hold at "
        "least 4.",
    ]),
    (4, "csat-mean-and-ces-agree-quoted", _csat_mean_and_ces_agree, 100.0, []),
    (4, "csat-mapped-to-the-nps-column", _csat_on_the_nps_column, 80.0, [
        "the 'nps' role shares its column with another role; each role needs its own column.",
        "the 'csat' role shares its column with another role; each role needs its own column.",
    ]),
    (4, "stage-linked-to-x", _stage_link_x, 40.0, [
        "only 0% of the responses are linked to a journey stage; link every stage answer to "
        "its stage.",
        "your findings quote 1 score from the survey with a 95% interval; quote at least 2, "
        "each as the score followed by its interval.",
        '"NPS -52 (-58 to -46)" does not match the survey; check the score and its interval '
        "again.",
        '"NPS -13 (-21 to -5)" does not match the survey; check the score and its interval '
        "again.",
        '"CSAT 25 (21 to 30)" does not match the survey; check the score and its interval again.',
        "the per-stage scores cannot be computed yet; map the NPS and stage columns first.",
    ]),
    (4, "opportunity-for-another-stage", _opportunity_for_another_stage, 80.0, [
        "your opportunity targets stage 'Contacting the bank'; compare the per-stage scores: "
        "is it the weakest?",
    ]),
    (4, "example-pasted-from-the-instructions", _pasted_example, 80.0, [
        "your findings quote 1 score from the survey with a 95% interval; quote at least 2, "
        "each as the score followed by its interval.",
        '"NPS -15 (-18 to -11)" is the example from the instructions; quote the scores your '
        "survey gives.",
    ]),
    (2, "touchpoints-left-with-the-forms-name", _touchpoints_left_with_the_forms_name, 79.5, [
        "\"New touchpoint\" (touchpoint 'New touchpoint', name) does not count: it is a "
        "placeholder, not an answer.",
        "stage 'פנייה ראשונה' has no touchpoint yet.",
        "stage 'ייעוץ, מחיר והצטרפות' has no touchpoint yet.",
    ]),
    (5, "first-request-marked-waste", _first_request_marked_waste, 70.0, [
        "the step marked waste is the first time the customer sends those documents, which is "
        "needed; which later step asks for them again?",
    ]),
    (5, "first-request-and-repeat-both-waste", _first_request_and_repeat_both_waste, 70.0, [
        "5 of 9 steps are marked waste; which of them does the customer really need?",
        "the first time the customer sends those documents is marked waste too; the first "
        "request is needed, only its repeat is waste.",
    ]),
    (5, "repeat-not-removed", _repeat_not_removed, 70.0, [
        "the repeated step is marked waste, but no opportunity removes it yet.",
    ]),
    (5, "only-the-repeat-is-waste", _only_the_repeat_is_waste, 92.5, [
        "you marked 1 step as waste; a repeated step usually brings more waste with it: which "
        "other steps give the customer nothing?",
    ]),
    (5, "nothing-adds-value", _nothing_adds_value, 87.5, [
        "no step adds value yet; which steps give the customer what they came for?",
    ]),
    (5, "no-low-effort-opportunity", _no_low_effort_opportunity, 70.0, [
        "no quick win yet: add an opportunity with impact 4+ and effort 2 or less, tied to a "
        "touchpoint.",
    ]),
    (5, "one-opportunity-for-the-whole-journey", _one_opportunity_for_the_whole_journey, 40.0, [
        "the repeated step is marked waste, but no opportunity removes it yet.",
        "opportunity 'One joined-up renewal process for the whole city' is linked to 9 of 9 "
        "touchpoints; link it to the few touchpoints it really changes.",
        "no quick win yet: add an opportunity with impact 4+ and effort 2 or less, tied to a "
        "touchpoint.",
    ]),
    (5, "three-steps-left-unclassified", _three_steps_left_unclassified, 91.7, [
        "touchpoint 'Pays the permit fee by card' has no value class: does it add value, is it "
        "needed, or is it waste?",
        "touchpoint 'Calls the city hotline' has no value class: does it add value, is it "
        "needed, or is it waste?",
        "touchpoint 'The digital permit is issued' has no value class: does it add value, is it "
        "needed, or is it waste?",
    ]),
    (5, "every-step-needed", _all_needed, 30.0, [
        "every touchpoint has the same value class; look at each step from the customer's "
        "side: which add value?",
        "no step is marked waste yet; which step gives the customer nothing?",
        "the customer is asked for the same documents twice, and the repeat is not marked "
        "waste yet; compare the documents each step asks for.",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("exercise", "edit", "score", "expected"),
    [f[0:1] + f[2:] for f in FLAWED],
    ids=[f[1] for f in FLAWED],
)
def test_flawed_workbooks_get_exact_scores_and_feedback(
    exercise: int, edit: Edit, score: float, expected: list[str], tmp_path: Path
) -> None:
    result = check_file(_edited(KEYS / SLUGS[exercise], edit, tmp_path), exercise, "en")
    assert (result.score, result.feedback) == (score, expected)


def test_hebrew_feedback_has_correct_number_and_no_gender(tmp_path: Path) -> None:
    lines = check_file(_edited(KEYS / SLUGS[1], _thin_persona, tmp_path), 1).feedback
    assert lines == [
        "מספר המטרות של הפרסונה 'מיכל, האמא שמתכננת': 1; כתבו לפחות 2, במילים של הלקוחות.",
        "לפרסונה 'מיכל, האמא שמתכננת' חסר ציטוט: משפט אחד שהפרסונה הייתה אומרת, בקול שלה.",
    ]
    for rubric in rubrics().values():
        for c in rubric.criteria:
            he = json.dumps(c.feedback["he"], ensure_ascii=False)
            assert "יש {found}" not in he and "שהיא הייתה" not in he


def test_feedback_never_names_the_duplicated_form() -> None:
    result = check_file(STARTERS / SLUGS[5], 5, "en")
    (dups,) = [c for c in result.criteria if c.id == "duplicates"]
    assert dups.feedback == [
        "the customer is asked for the same documents twice, and the repeat is not marked "
        "waste yet; compare the documents each step asks for."
    ]
    text = " ".join(dups.feedback)
    for given in ("licence", "Lease", "ID card", "Property Tax", "Parking", "letter", "form"):
        assert given not in text


def test_ex5_feedback_in_hebrew(tmp_path: Path) -> None:
    folder = _edited(KEYS / "ex05-duplications-he", _only_the_repeat_is_waste, tmp_path)
    result = check_file(folder, 5)  # the workbook is Hebrew
    assert (result.score, result.feedback) == (
        92.5,
        [
            "מספר הצעדים שסומנו כבזבוז: 1; צעד כפול גורר בדרך כלל עוד בזבוז: אילו צעדים נוספים "
            "לא נותנים ללקוחות דבר?"
        ],
    )


def test_ex5_has_a_case_of_its_own() -> None:
    """No sample workbook (they ship to every student) holds ex5's journey, its steps or
    their value classes; the key and the starter tell the same case in both languages."""
    key = WorkbookFile.load(KEYS / SLUGS[5]).workbook
    he = WorkbookFile.load(KEYS / "ex05-duplications-he").workbook
    ids = {t.id for t in _tps(key)}
    for sample in sorted(SAMPLES.glob("*/workbook.yml")):
        wb = WorkbookFile.load(sample.parent).workbook
        assert not ids & {t.id for j in wb.journeys for _, t in j.touchpoints()}, sample
        assert key.client.name != wb.client.name
    assert [(t.id, t.value, t.documents != []) for t in _tps(key)] == [
        (t.id, t.value, t.documents != []) for t in _tps(he)
    ]
    assert [(o.id, o.touchpoints, o.impact, o.effort) for o in key.journeys[0].opportunities] == [
        (o.id, o.touchpoints, o.impact, o.effort) for o in he.journeys[0].opportunities
    ]
    for slug in (SLUGS[5], "ex05-duplications-he"):
        starter = WorkbookFile.load(STARTERS / slug).workbook
        assert [t.id for t in _tps(starter)] == [t.id for t in _tps(key)]
        assert all(t.value is None for t in _tps(starter))
        assert not starter.journeys[0].opportunities


# --------------------------------------------------------------------------- workspace and CLI


def test_prepare_workspace_copies_once_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "me" / "workbook.yml"
    path = prepare_workspace(STARTERS / SLUGS[4], target)
    assert path == target and (tmp_path / "me" / "surveys").is_dir()
    target.write_text(target.read_text("utf-8") + "# my notes\n", "utf-8")
    prepare_workspace(STARTERS / SLUGS[4], target)
    assert target.read_text("utf-8").endswith("# my notes\n")


def test_check_button_shows_score_and_feedback(tmp_path: Path) -> None:
    from cxkit.widgets import exercise

    page = exercise(5, tmp_path / "me" / "workbook.yml", STARTERS / SLUGS[5], delay=0)
    page.check_button.click()
    assert "Duplications, value stream and quick wins: 0 of 100 points" in page.result.value
    assert "no step is marked waste yet" in page.result.value
    mapper = page.forms[0]
    mapper.stages.select.value = mapper.stages.select.options[2][1]
    page.check_button.click()
    assert "<b>" in page.result.value


def test_cli_check_json_and_text(tmp_path: Path) -> None:
    result = cxkit("check", STARTERS / SLUGS[2], "--exercise", "2", "--json", "-l", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["exercise"], data["score"], data["total"]) == (2, 7.3, 100.0)
    assert [c["id"] for c in data["criteria"]] == [c.id for c in get_rubric(2).criteria]
    assert "stage 'פנייה ראשונה' has no touchpoint yet." in data["criteria"][1]["feedback"]
    text = cxkit("check", KEYS / SLUGS[2], "-e", "2")
    assert text.returncode == 0 and "100 / 100" in text.stdout
    default = cxkit("check", KEYS / SLUGS[2], "--json")  # the exercise the workbook names
    assert json.loads(default.stdout)["exercise"] == 2
    wrong = cxkit("check", STARTERS / SLUGS[1], "-e", "3", "-l", "en")
    assert wrong.returncode == 1
    assert "this workbook answers exercise 1, not 3" in wrong.stderr
    bad = cxkit("check", KEYS / SLUGS[2], "-e", "7", "-l", "en")
    assert bad.returncode == 1 and "no exercise 7; exercises are 1, 2, 3, 4, 5" in bad.stderr
    hebrew = cxkit("check", STARTERS / SLUGS[1], "-e", "3")  # a Hebrew starter: Hebrew
    assert "חוברת העבודה הזו עונה על תרגיל 1, לא על תרגיל 3" in hebrew.stderr


def test_the_exercise_form_asks_the_students_name_and_keeps_it(tmp_path: Path) -> None:
    from cxkit.widgets import exercise

    target = tmp_path / "me" / "workbook.yml"
    page = exercise(3, target, STARTERS / SLUGS[3], delay=0)
    assert page.name.description == "השם שלך (המדריך/ה רואה אותו)"  # a Hebrew workbook
    page.name.value = "  נועה לוי "
    page.session.flush()
    saved = WorkbookFile.load(target).workbook.course
    assert saved is not None and (saved.exercise, saved.student) == (3, "נועה לוי")
    again = exercise(3, target, STARTERS / SLUGS[3], delay=0)  # the notebook run again
    assert again.name.value == "נועה לוי"
