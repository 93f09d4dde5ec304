"""Generate the survey exports of the bundled sample clients, reproducibly.

    python data/samples/generate_surveys.py [OUTPUT_ROOT]

OUTPUT_ROOT defaults to the folder of this script (``data/samples``); each client's
files go to ``OUTPUT_ROOT/<client-id>/surveys/``. Every client has its own
``random.Random(seed)``, and the XLSX file gets fixed timestamps, so running this
twice gives byte-identical files (tests/test_sample_surveys.py checks it).

The data are simulated, but not uniform noise. Each respondent gets a latent
"experience" score built from:

- the stage they answer about (stages with pain points in the workbook have a
  lower mean; stages with moments of truth have a wider spread),
- their segment,
- a drift by month (and, for some clients, a step when an improvement lands),
- client-specific drivers (did they hear about the renewal? did they have to
  send a document twice?).

NPS (0-10), CSAT (1-5) and CES 2.0 (1-7, higher = easier) are drawn from that
score, so they correlate as real answers do. Each export then gets the quirks of
its tool: header rows, encodings, delimiters, partial and preview responses,
blanks, a few unparseable or out-of-range answers, and free-text comments in the
client's language, more often and more negative from detractors.

Only the standard library and openpyxl are used.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import string
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
from openpyxl.cell import WriteOnlyCell

HERE = Path(__file__).resolve().parent

# One seed per client: changing one client's data never changes another's.
SEEDS = {
    "caravan-holiday": 1000,
    "insurer-policy-update": 3001,
    "credit-card-renewal": 3002,
    "weight-loss-clinic": 2001,
    "facilities-maintenance": 4001,
    "pension-withdrawal": 3003,
}

# Timestamp written into the XLSX metadata and zip entries (openpyxl stamps "now").
FIXED_STAMP = datetime(2026, 11, 1, 9, 0, 0)

T = TypeVar("T")

# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Choice:
    """An answer option with its share of respondents and its effect on experience."""

    answer: str
    share: float
    shift: float = 0.0
    spread: float = 1.0


@dataclass(frozen=True)
class Stage:
    """A stage as the survey names it. ``key`` is the workbook's stage id."""

    answer: str
    key: str
    share: float
    shift: float
    spread: float
    touchpoints: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Centres:
    """Where each metric sits for a neutral (z = 0) respondent."""

    nps: float
    csat: float
    ces: float


@dataclass
class Response:
    when: datetime
    month: int
    stage: Stage
    touchpoint: Choice | None
    segment: Choice
    z: float
    nps: int
    csat: int
    ces: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return "pro" if self.nps >= 9 else "pas" if self.nps >= 7 else "det"


Hook = Callable[[random.Random, Stage, int], tuple[dict[str, Any], float]]

# Responses by hour of day (local time): few at night, peaks late morning and evening.
HOUR_WEIGHTS = [1, 1, 0, 0, 0, 1, 2, 4, 6, 8, 9, 9, 8, 7, 7, 7, 7, 7, 8, 9, 10, 9, 6, 3]


def clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def pick(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(items, weights=weights)[0]


def add_months(start: date, months: int) -> date:
    y, m = divmod(start.month - 1 + months, 12)
    return date(start.year + y, m + 1, 1)


def timestamps(
    rng: random.Random,
    n: int,
    start: date,
    months: int,
    month_weights: Sequence[float] | None = None,
    last_day: int = 20,
) -> list[tuple[datetime, int]]:
    """``n`` sorted local timestamps over ``months`` months, with their month index."""
    weights = list(month_weights) if month_weights else [1.0] * months
    out = []
    for _ in range(n):
        m = pick(rng, range(months), weights)
        first = add_months(start, m)
        days = (add_months(start, m + 1) - first).days
        if m == months - 1:
            days = min(days, last_day)
        day = rng.randrange(days)
        hour = pick(rng, range(24), HOUR_WEIGHTS)
        minute, second = rng.randrange(60), rng.randrange(60)
        when = datetime(first.year, first.month, 1 + day, hour, minute, second)
        out.append((when, m))
    out.sort()
    return out


def simulate(
    rng: random.Random,
    n: int,
    *,
    start: date,
    months: int,
    stages: Sequence[Stage],
    segments: Sequence[Choice],
    centres: Centres,
    drift: float,
    month_weights: Sequence[float] | None = None,
    steps: dict[str, tuple[int, float]] | None = None,
    hook: Hook | None = None,
) -> list[Response]:
    """Respondents with correlated NPS/CSAT/CES driven by stage, segment and month.

    ``steps`` maps a stage key to (first month, shift): an improvement that lands.
    ``hook`` adds client-specific answers and their effect on the experience.
    """
    steps = steps or {}
    out = []
    middle = (months - 1) / 2
    for when, month in timestamps(rng, n, start, months, month_weights):
        stage = pick(rng, stages, [s.share for s in stages])
        tp = (
            pick(rng, stage.touchpoints, [t.share for t in stage.touchpoints])
            if (stage.touchpoints)
            else None
        )
        segment = pick(rng, segments, [s.share for s in segments])
        extra, hook_shift = hook(rng, stage, month) if hook else ({}, 0.0)
        mean = stage.shift + segment.shift + drift * (month - middle) + hook_shift
        spread = stage.spread
        if tp is not None:
            mean += tp.shift
            spread = tp.spread
        first_month, step = steps.get(stage.key, (months, 0.0))
        if month >= first_month:
            mean += step
        z = rng.gauss(mean, spread)
        nps = clamp(centres.nps + 2.0 * z + rng.gauss(0, 0.8), 0, 10)
        csat = clamp(centres.csat + 0.9 * z + rng.gauss(0, 0.45), 1, 5)
        ces = clamp(centres.ces + 1.2 * z + rng.gauss(0, 0.6), 1, 7)
        out.append(Response(when, month, stage, tp, segment, z, nps, csat, ces, extra))
    return out


def messy(
    rng: random.Random,
    value: object,
    *,
    blank: float = 0.0,
    junk: Sequence[str] = (),
    p_junk: float = 0.0,
    out_of_range: Sequence[str] = (),
    p_oor: float = 0.0,
) -> str:
    """``value`` as text, sometimes blank, unparseable or out of range."""
    r = rng.random()
    if r < blank:
        return ""
    if junk and r < blank + p_junk:
        return rng.choice(junk)
    if out_of_range and r < blank + p_junk + p_oor:
        return rng.choice(out_of_range)
    return str(value)


def comment(
    rng: random.Random,
    bank: dict[str, dict[str, list[str]]],
    resp: Response,
    *,
    rates: tuple[float, float, float] = (0.6, 0.3, 0.35),
    english: bool = False,
    key: str | None = None,
) -> str:
    """A free-text comment, or "" (detractors write more, and more negatively)."""
    group = resp.group
    rate = {"det": rates[0], "pas": rates[1], "pro": rates[2]}[group]
    if rng.random() >= rate:
        return ""
    r = rng.random()
    if group == "det":
        tone = "neg" if r < 0.85 else "neu"
    elif group == "pas":
        tone = "neg" if r < 0.35 else "neu" if r < 0.8 else "pos"
    else:
        tone = "pos" if r < 0.85 else "neu"
    specific = bank.get(key or resp.stage.key, {}).get(tone, [])
    general = bank["*"][tone]
    pool = specific if specific and rng.random() < 0.65 else general
    parts = [rng.choice(pool)]
    if rng.random() < 0.2:
        second = rng.choice(general)
        if second != parts[0]:
            parts.append(second)
    if english:
        parts = [p[0].upper() + p[1:] for p in parts]
    text = parts[0]
    for part in parts[1:]:
        text += (" " if text[-1] in ".?!" else ". ") + part
    if text[-1] not in ".?!" and rng.random() < (0.7 if english else 0.3):
        text += "!" if tone == "pos" and (not english or rng.random() < 0.3) else "."
    return text


def random_token(rng: random.Random, length: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


# --------------------------------------------------------------------------- writers


def csv_bytes(
    rows: Sequence[Sequence[object]],
    *,
    encoding: str,
    delimiter: str = ",",
    newline: str = "\r\n",
) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def stable_xlsx(wb: openpyxl.Workbook) -> bytes:
    """Save ``wb`` with fixed metadata and zip timestamps, so the bytes never change."""
    wb.properties.created = FIXED_STAMP
    wb.properties.modified = FIXED_STAMP
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl overwrites "modified" with the current time: fixed below
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


# =========================================================================== 1 caravan
# Google Forms CSV, opened and re-saved by Excel as windows-1255. Haim also typed
# a few phone conversations in by hand: those rows have a date without a time
# and looser answers ("לא יודע", "9-10", 11).

CARAVAN_STAGES = (
    Stage("ההיכרות עם הקרוואן", "discover", 0.08, 0.6, 0.9),
    Stage("התכנון מול חיים", "plan", 0.20, 0.3, 1.1),
    Stage("ההגעה וההקמה בשטח", "arrive", 0.24, 0.2, 1.45),
    Stage("הימים בשטח", "stay", 0.22, 0.45, 1.2),
    Stage("התשלום והסיכום", "pay", 0.18, -0.7, 1.3),
    Stage("אחרי החופשה", "after", 0.08, 0.35, 0.8),
)
CARAVAN_SEGMENTS = (
    Choice("משפחה אחת", 0.35, 0.1),
    Choice("שתי משפחות", 0.40, 0.0),
    Choice("שלוש משפחות ומעלה", 0.10, -0.35),
    Choice("זוג", 0.15, 0.2),
)
CARAVAN_EQUIPMENT = ("סככת צל", "מחצלות", "שולחנות וכסאות", "חשמל", "מים", "מנגל")
CARAVAN_COMMENTS = {
    "*": {
        "neg": [
            "המחיר של הקרוואן השני הפתיע אותנו בסוף",
            "לא היה ברור מה כלול במחיר",
            "היה קשה להשיג את חיים, אין קליטה בשטח",
            "המשפחה השנייה קיבלה את כל המידע דרכי וזה היה מסורבל",
            "רק מזומן או העברה, וקבלה רק אחרי שביקשנו",
            "חיכינו לאישור על הקרוואן השני עד הרגע האחרון",
        ],
        "neu": [
            "היה נחמד, קצת יקר",
            "בסדר גמור, אבל כדאי לשלוח מיקום מדויק",
            "טוב, הייתי שמח לשלם באשראי",
            "חוויה טובה, יש מה לשפר בתיאום",
            "הקרוואן השני היה פחות מאובזר מהראשון",
        ],
        "pos": [
            "חיים פשוט מלאך, דאג לכל פרט",
            "שירות אישי כמו שכבר אין היום",
            "יחס חם ומשפחתי מההתחלה ועד הסוף",
            "הילדים לא רצו לחזור הביתה",
            "חוויה שלא נשכח, כבר קבענו לשנה הבאה",
            "הרגשנו שמישהו דואג לנו כל הזמן",
        ],
    },
    "discover": {
        "pos": [
            "ראינו את הקרוואן בחופשה הקודמת ומיד התאהבנו",
            "חיים הראה לנו את הקרוואן בגאווה, זה מה ששכנע אותנו",
        ],
        "neg": ["באינסטגרם אין מחירים, הייתי צריכה לשאול בהודעה"],
    },
    "plan": {
        "neg": [
            "לא ידענו עד שלושה ימים לפני אם יהיה קרוואן שני",
            "רשימת הציוד הייתה קצרה מדי, לא ידענו אם להביא מצעים",
        ],
        "pos": [
            "ביקשנו קרוואן אחד לשתי משפחות וחיים פשוט סידר שניים",
            "עונה להודעות מהר, גם בערב",
        ],
    },
    "arrive": {
        "neg": [
            "התברברנו שעה בשביל העפר, הניווט לא מכיר את המקום",
            "הגענו בחושך ולא מצאנו את הפנייה",
            "ההסבר על הגנרטור היה מהיר מדי, בערב לא זכרנו כלום",
        ],
        "pos": [
            "כשהגענו הכול כבר היה מוכן: סככה, מחצלות, שולחנות. לא האמנו",
            "לא קרוואנים אלא ממלכה שלמה",
            "חשמל ומים מחוברים, רק לפרוק ולהתחיל ליהנות",
        ],
    },
    "stay": {
        "neg": [
            "המים נגמרו כבר בערב הראשון",
            "הגנרטור נפל בלילה ולא ידענו איך להפעיל מחדש",
        ],
        "pos": [
            "הודעת הבוקר מחיים הייתה נחמדה, הרגשנו שדואגים לנו",
            "חיים הגיע תוך חצי שעה עם מים, בלי שום בעיה",
            "המלצות מעולות לטיולים באזור",
        ],
    },
    "pay": {
        "neg": [
            "בסוף קיבלנו חשבון גבוה ממה שחשבנו",
            "לא אמרו לנו מראש שהקרוואן השני עולה יותר",
            "אין אפשרות לשלם באשראי ואין פיצול בין המשפחות",
        ],
        "pos": ["המחיר הוגן לגמרי על מה שקיבלנו", "חיים עבר איתנו על כל סעיף בחשבון"],
    },
    "after": {
        "pos": ["קיבלנו הודעת תודה עם תמונה מהשטח, מקסים", "כבר המלצנו לשלוש משפחות"],
        "neg": ["חברים שאלו איך מזמינים ולא היה לי קישור לשלוח להם"],
    },
}


def caravan(root: Path) -> list[Path]:
    rng = random.Random(SEEDS["caravan-holiday"])
    q_stage = "על איזה שלב בחופשה תרצו לתת משוב?"
    q_segment = "מי הייתם בחופשה?"
    q_nps = "באיזו מידה הייתם ממליצים על חופשת קרוואן אצלנו לחברים או למשפחה?"
    q_csat = "עד כמה הייתם מרוצים מהשלב הזה?"
    q_equipment = "מה מהציוד בשטח שימש אתכם?"
    q_comment = "מה היה הכי טוב, ומה כדאי לשפר?"
    header = ["חותמת זמן", q_stage, q_segment, q_nps, q_csat, q_equipment, q_comment]
    # Dec 2025 - Nov 2026; busy around Passover (April), summer and Sukkot (October).
    month_weights = [4, 4, 5, 7, 14, 8, 7, 12, 13, 7, 11, 5]
    responses = simulate(
        rng,
        404,
        start=date(2025, 12, 1),
        months=12,
        month_weights=month_weights,
        stages=CARAVAN_STAGES,
        segments=CARAVAN_SEGMENTS,
        centres=Centres(nps=8.9, csat=4.2, ces=5.6),
        drift=0.03,
        steps={"arrive": (6, 0.35)},  # the location pin, sent from June on
    )
    rows: list[list[object]] = [header]
    for r in responses:
        by_hand = rng.random() < 0.03
        if by_hand:
            stamp = r.when.strftime("%d/%m/%Y")
            nps = messy(
                rng,
                r.nps,
                junk=("לא יודע", "9-10", "מעולה"),
                p_junk=0.35,
                out_of_range=("11", "100"),
                p_oor=0.15,
            )
            csat = messy(rng, r.csat, blank=0.3, junk=("N/A",), p_junk=0.2)
            equipment = ""
        else:
            stamp = r.when.strftime("%d/%m/%Y %H:%M:%S")
            nps = messy(rng, r.nps, blank=0.01, junk=("לא יודע",), p_junk=0.005)
            csat = messy(rng, r.csat, blank=0.04, out_of_range=("6",), p_oor=0.004)
            used = [e for e in CARAVAN_EQUIPMENT if rng.random() < 0.7]
            equipment = ", ".join(used)
        rows.append(
            [
                stamp,
                r.stage.answer,
                r.segment.answer,
                nps,
                csat,
                equipment,
                comment(rng, CARAVAN_COMMENTS, r),
            ]
        )
    path = root / "caravan-holiday" / "surveys" / "guest-feedback-responses.csv"
    return [write_bytes(path, csv_bytes(rows, encoding="cp1255"))]


# =========================================================================== 2 insurer
# Qualtrics CSV export with choice text: UTF-8 with BOM, three header rows, a
# trailing empty column, survey previews and unfinished responses. In month 8
# (September) a shorter letter was piloted: the letter stage improves.

INSURER_STAGES = (
    Stage("קיבלתי את מכתב העדכון", "letter", 0.30, -0.95, 1.25),
    Stage("חיפשתי הסבר באתר או באפליקציה", "understand", 0.15, -0.7, 0.9),
    Stage("התקשרתי למוקד השירות", "call", 0.30, -0.3, 1.45),
    Stage("חתמתי ושלחתי את טופס ההסכמה", "confirm", 0.12, -0.8, 1.0),
    Stage("קיבלתי את הפוליסה המעודכנת", "after", 0.13, 0.0, 1.25),
)
INSURER_SEGMENTS = (
    Choice("ביטוח רכב", 0.40, 0.0),
    Choice("ביטוח דירה", 0.30, 0.1),
    Choice("ביטוח בריאות", 0.20, -0.2),
    Choice("ביטוח חיים", 0.10, -0.3),
)
INSURER_CSAT = {
    5: "מרוצה מאוד",
    4: "מרוצה",
    3: "לא מרוצה ולא לא מרוצה",
    2: "לא מרוצה",
    1: "לא מרוצה בכלל",
}
INSURER_CES_ENDS = {1: "1 - לא מסכים/ה בכלל", 7: "7 - מסכים/ה מאוד"}
INSURER_COMMENTS = {
    "*": {
        "neg": [
            "חיכיתי יותר מעשרים דקות על הקו",
            "הנציג לא ידע על המכתב בכלל",
            "התקשרתי פעמיים ובכל פעם קיבלתי תשובה אחרת",
            "אתם מתנהגים כאילו הלקוח אשם",
            "הפרמיה עלתה ואף אחד לא הסביר למה",
            "שוקל לעבור לחברה אחרת",
        ],
        "neu": [
            "בסוף הסתדר, אבל זה לקח יותר מדי זמן",
            "הנציגה הייתה נחמדה, התהליך מסורבל",
            "הייתי מעדיף לקבל הסבר באפליקציה",
            "בסדר, לא יותר",
        ],
        "pos": [
            "הנציגה הייתה סבלנית והסבירה הכול בפשטות",
            "שירות אדיב ומהיר",
            "קיבלתי תשובה ברורה בשיחה אחת",
            "מבוטח אצלכם שנים ומרוצה",
        ],
    },
    "letter": {
        "neg": [
            "המכתב נשמע כמו איום, חשבתי שמבטלים לי את הביטוח",
            "ארבעה עמודים של סעיפים ולא כתוב כמה אשלם",
            "שפה משפטית שאף אחד לא מבין",
            "המייל עם הקובץ נראה כמו פישינג",
        ],
        "pos": ["המכתב החדש קצר וברור, סוף סוף", "הבנתי מהמכתב מה משתנה ושלא צריך לעשות כלום"],
    },
    "understand": {
        "neg": [
            "חיפשתי באתר 'למה התייקר' ולא מצאתי כלום",
            "באפליקציה עדיין מופיעה הפוליסה הישנה",
            "האתר מלא מונחים ביטוחיים, לא מצאתי תשובה",
        ],
        "pos": ["מצאתי באתר את ההסבר"],
    },
    "call": {
        "neg": [
            "התפריט הקולי החזיר אותי להתחלה שלוש פעמים",
            "ניתקו לי אחרי רבע שעה המתנה",
            "ביקשו ממני את מספר הפוליסה ותעודת זהות פעמיים",
        ],
        "pos": ["הנציג היה מקצועי ואדיב ופתר לי את העניין", "נציגה מקסימה, חייכה גם בטלפון"],
    },
    "confirm": {
        "neg": [
            "מי מחזיק היום מדפסת וסורק?",
            "שלחתי את הטופס ואחרי שבועיים קיבלתי הודעה שהוא לא נקלט",
            "למה אי אפשר לאשר באתר?",
        ],
        "pos": ["קיבלתי אישור שהטופס התקבל"],
    },
    "after": {
        "neg": ["בפוליסה החדשה לא מסומן מה השתנה", "אחרי כל זה בדקתי הצעות בחברות אחרות"],
        "pos": ["הפוליסה המעודכנת הגיעה מהר"],
    },
}


def _qualtrics_response_id(rng: random.Random) -> str:
    return "R_" + random_token(rng, 15, string.ascii_letters + string.digits)


def insurer(root: Path) -> list[Path]:
    rng = random.Random(SEEDS["insurer-policy-update"])
    q = {
        "Q1": "באיזה שלב בתהליך עדכון הפוליסה היית לאחרונה?",
        "Q2": "באיזו מידה היית ממליץ/ה על מגן ביטוח לחבר/ה או לבן/בת משפחה?",
        "Q3": "עד כמה היית מרוצה מהשלב הזה?",
        "Q4": "<strong>מגן</strong> הקלה עליי לטפל בעניין. עד כמה את/ה מסכים/ה?",
        "Q5_TEXT": "ספר/י לנו במילים שלך: מה היה טוב ומה אפשר לשפר?",
        "Q6": "איזו פוליסה עודכנה?",
    }
    meta = [
        ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "Asia/Jerusalem"}),
        ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "Asia/Jerusalem"}),
        ("Status", "Response Type", {"ImportId": "status"}),
        ("Progress", "Progress", {"ImportId": "progress"}),
        ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
        ("Finished", "Finished", {"ImportId": "finished"}),
        (
            "RecordedDate",
            "Recorded Date",
            {"ImportId": "recordedDate", "timeZone": "Asia/Jerusalem"},
        ),
        ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
        ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
    ]
    questions = [
        ("Q1", q["Q1"], {"ImportId": "QID1"}),
        ("Q2", q["Q2"], {"ImportId": "QID2"}),
        ("Q2_NPS_GROUP", q["Q2"] + " - Group", {"ImportId": "QID2_NPS_GROUP"}),
        ("Q3", q["Q3"], {"ImportId": "QID3"}),
        ("Q4", q["Q4"], {"ImportId": "QID4"}),
        ("Q5_TEXT", q["Q5_TEXT"], {"ImportId": "QID5_TEXT"}),
        ("Q6", q["Q6"], {"ImportId": "QID6"}),
    ]
    cols = meta + questions
    rows: list[list[object]] = [
        [c[0] for c in cols] + [""],
        [c[1] for c in cols] + [""],
        [json.dumps(c[2], separators=(",", ":")) for c in cols] + [""],
    ]
    responses = simulate(
        rng,
        1480,
        start=date(2026, 1, 1),
        months=10,
        month_weights=[9, 8, 13, 8, 8, 12, 9, 8, 13, 9],  # letters go out quarterly
        stages=INSURER_STAGES,
        segments=INSURER_SEGMENTS,
        centres=Centres(nps=7.7, csat=3.7, ces=4.7),
        drift=0.01,
        steps={"letter": (8, 0.7)},
    )
    fmt = "%Y-%m-%d %H:%M:%S"
    records: list[tuple[datetime, list[object]]] = []

    def ces_text(value: int) -> str:
        return INSURER_CES_ENDS.get(value, str(value))

    for r in responses:
        duration = int(rng.lognormvariate(5.0, 0.5))
        start = r.when - timedelta(seconds=duration)
        answers: list[object] = [
            r.stage.answer,
            messy(rng, r.nps, blank=0.01),
            "",
            messy(rng, INSURER_CSAT[r.csat], blank=0.02, junk=("לא רלוונטי",), p_junk=0.01),
            messy(rng, ces_text(r.ces), blank=0.03, junk=("לא יודע/ת",), p_junk=0.01),
            comment(rng, INSURER_COMMENTS, r, rates=(0.55, 0.3, 0.3)),
            r.segment.answer,
        ]
        finished = rng.random() > 0.045
        if finished:
            progress, end, recorded = 100, r.when, r.when
        else:
            # Qualtrics closes an abandoned response after a week and records what it has.
            answered = rng.randint(1, 4)
            answers = [a if i < answered else "" for i, a in enumerate(answers)]
            progress = {1: 17, 2: 33, 3: 50, 4: 67}[answered]
            end = recorded = start + timedelta(days=7)
            duration = int((end - start).total_seconds())
        nps = answers[1]
        if nps not in ("", None):
            v = int(str(nps))
            answers[2] = "Promoter" if v >= 9 else "Passive" if v >= 7 else "Detractor"
        row = [
            start.strftime(fmt),
            end.strftime(fmt),
            "IP Address",
            progress,
            duration,
            "True" if finished else "False",
            recorded.strftime(fmt),
            _qualtrics_response_id(rng),
            "HE",
            *answers,
            "",
        ]
        records.append((recorded, row))
    # Previews: the team testing the survey before launch, and after each edit.
    for when in [datetime(2025, 12, 29, 11, 2, 0), datetime(2026, 6, 2, 9, 30, 0)]:
        for _ in range(rng.randint(9, 13)):
            when += timedelta(minutes=rng.randint(1, 25), seconds=rng.randint(0, 59))
            stage = rng.choice(INSURER_STAGES)
            nps = rng.randint(0, 10)
            start = when - timedelta(seconds=rng.randint(25, 90))
            row = [
                start.strftime(fmt),
                when.strftime(fmt),
                "Survey Preview",
                100,
                int((when - start).total_seconds()),
                "True",
                when.strftime(fmt),
                _qualtrics_response_id(rng),
                rng.choice(["HE", "HE", "EN"]),
                stage.answer,
                nps,
                "Promoter" if nps >= 9 else "Passive" if nps >= 7 else "Detractor",
                INSURER_CSAT[rng.randint(1, 5)],
                ces_text(rng.randint(1, 7)),
                rng.choice(["בדיקה", "test", "", "בדיקה - לא לספור"]),
                rng.choice(INSURER_SEGMENTS).answer,
                "",
            ]
            records.append((when, row))
    records.sort(key=lambda rec: rec[0])
    rows += [row for _, row in records]
    path = root / "insurer-policy-update" / "surveys" / "policy-update-qualtrics.csv"
    return [write_bytes(path, csv_bytes(rows, encoding="utf-8-sig"))]


# =========================================================================== 3 credit card
# SurveyMonkey XLSX: two header rows, a multi-column "select all that apply"
# question, metadata columns, real Excel dates, answers as label text.

CARD_STAGES = (
    Stage("Hearing that my card was about to expire", "before-expiry", 0.22, -0.6, 1.05),
    Stage("Receiving or activating my new card", "new-card", 0.25, 0.05, 1.0),
    Stage("Updating my subscriptions and direct debits", "recurring-payments", 0.18, -1.0, 1.3),
    Stage("Contacting Meridian about my card", "contact", 0.20, -0.45, 1.0),
    Stage("Deciding whether to keep using the card", "decide", 0.15, -0.5, 1.5),
)
CARD_SEGMENTS = (
    Choice("Standard", 0.45, 0.0),
    Choice("Gold", 0.30, 0.1),
    Choice("Platinum", 0.12, -0.25),
    Choice("Student", 0.13, 0.2),
)
CARD_HEARD = (
    "A letter in the post",
    "Email",
    "Text message (SMS)",
    "Notification in the Meridian app",
    "Phone call",
    "I did not hear about it",
)
CARD_CSAT = {
    5: "Very satisfied",
    4: "Satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Dissatisfied",
    1: "Very dissatisfied",
}
CARD_CES = {
    7: "Strongly agree",
    6: "Agree",
    5: "Somewhat agree",
    4: "Neither agree nor disagree",
    3: "Somewhat disagree",
    2: "Disagree",
    1: "Strongly disagree",
}
CARD_OTHER = [
    "my partner told me",
    "the supermarket declined it",
    "saw the new card on the doormat",
    "Netflix emailed me",
    "branch staff mentioned it",
]
CARD_COMMENTS = {
    "*": {
        "neg": [
            "nobody told me anything until the card stopped working",
            "I had to call twice and got two different answers",
            "the hold time was ridiculous",
            "you only contact customers when you want to sell something",
            "I've moved my spending to another card",
            "communication was too late and only by post",
            "the app should have warned me",
        ],
        "neu": [
            "it was fine in the end but took longer than it should",
            "OK, nothing special",
            "would prefer a notification in the app",
            "the new card arrived, but I wasn't expecting it",
        ],
        "pos": [
            "smooth and easy, no complaints",
            "the agent was friendly and sorted it quickly",
            "card arrived well before the old one expired",
            "good service as always",
        ],
    },
    "before-expiry": {
        "neg": [
            "the letter came ten days before expiry while I was abroad",
            "never got any letter, found out at the till",
            "no email, no text, nothing in the app",
        ],
        "pos": ["got a clear email weeks in advance", "the app banner told me exactly when"],
    },
    "new-card": {
        "neg": [
            "why do I have to call an automated line to activate a card in 2026",
            "the activation line failed and I was put in a queue",
            "the card went to my old address",
        ],
        "pos": ["new card came in the post and worked straight away"],
    },
    "recurring-payments": {
        "neg": [
            "my gym and phone bills bounced and I paid late fees",
            "I had to update twenty websites by hand",
            "nobody told me my direct debits would fail",
        ],
        "pos": ["my subscriptions carried on without me doing anything"],
    },
    "contact": {
        "neg": [
            "waited 25 minutes to be told the card was 'in the post'",
            "the chat bot just sent me the FAQ",
            "two contact centres, two different stories",
        ],
        "pos": ["the agent tracked it down and sent a new one the same day"],
    },
    "decide": {
        "neg": [
            "only offered to waive the fee after I said I'd cancel",
            "after all that hassle I just use my other card now",
        ],
        "pos": ["the retention team were genuinely helpful", "I'll keep the card, points are good"],
    },
}


def credit_card(root: Path) -> list[Path]:
    rng = random.Random(SEEDS["credit-card-renewal"])
    q_stage = "Which of these best describes your most recent experience with your card renewal?"
    q_heard = "How did you hear that your card was about to expire? (select all that apply)"
    q_nps = "How likely is it that you would recommend Meridian to a friend or colleague?"
    q_csat = "Overall, how satisfied were you with that experience?"
    q_ces = "Meridian made it easy for me to handle my card renewal."
    q_comment = "What is the main reason for your answers?"
    meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    row1: list[object] = [
        *meta,
        q_stage,
        q_heard,
        *[None] * len(CARD_HEARD),
        q_nps,
        q_csat,
        q_ces,
        q_comment,
    ]
    row2: list[object] = [
        *[None] * len(meta),
        "Response",
        *CARD_HEARD,
        "Other (please specify)",
        "Response",
        "Response",
        "Response",
        "Open-Ended Response",
    ]

    def heard(rng: random.Random, stage: Stage, month: int) -> tuple[dict[str, Any], float]:
        # The letter reached ~70% of customers; the app notice started in month 7 (a pilot).
        chosen = set()
        if rng.random() < 0.55:
            chosen.add(CARD_HEARD[0])
        if rng.random() < 0.25:
            chosen.add(CARD_HEARD[1])
        if rng.random() < 0.08:
            chosen.add(CARD_HEARD[2])
        if month >= 7 and rng.random() < 0.35:
            chosen.add(CARD_HEARD[3])
        if rng.random() < 0.04:
            chosen.add(CARD_HEARD[4])
        other = rng.choice(CARD_OTHER) if rng.random() < 0.04 else ""
        shift = 0.25 * (CARD_HEARD[3] in chosen) + 0.2 * (CARD_HEARD[1] in chosen)
        if not chosen and not other:
            chosen.add(CARD_HEARD[5])
            shift -= 0.8
        return {"heard": chosen, "other": other}, shift

    responses = simulate(
        rng,
        2030,
        start=date(2025, 11, 1),
        months=12,
        stages=CARD_STAGES,
        segments=CARD_SEGMENTS,
        centres=Centres(nps=8.0, csat=3.8, ces=4.9),
        drift=0.02,
        hook=heard,
    )
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")
    ws.append(row1)
    ws.append(row2)
    respondent = 114238907000
    email_collector, app_collector = 431572890, 431573104
    date_format = "mm/dd/yyyy hh:mm:ss AM/PM"
    for r in responses:
        respondent += rng.randint(20, 4000)
        collector = app_collector if r.month >= 7 and rng.random() < 0.4 else email_collector
        start = r.when - timedelta(seconds=int(rng.lognormvariate(4.8, 0.5)))
        ip = f"{rng.choice(['203.0.113', '198.51.100', '192.0.2'])}.{rng.randint(1, 254)}"
        partial = rng.random() < 0.05
        ces = CARD_CES[r.ces] if rng.random() > 0.03 else None
        csat = messy(rng, CARD_CSAT[r.csat], blank=0.02, junk=("N/A",), p_junk=0.01)
        text = comment(rng, CARD_COMMENTS, r, rates=(0.5, 0.3, 0.25), english=True)
        answers: list[object] = [
            r.stage.answer,
            *[(h if h in r.extra["heard"] else None) for h in CARD_HEARD],
            r.extra["other"] or None,
            r.nps if rng.random() > 0.01 else None,
            csat or None,
            ces,
            text or None,
        ]
        if partial:
            cut = rng.randint(1, len(answers) - 3)
            answers = answers[:cut] + [None] * (len(answers) - cut)
        dates = []
        for value in (start, r.when):
            cell = WriteOnlyCell(ws, value)
            cell.number_format = date_format
            dates.append(cell)
        ws.append([respondent, collector, *dates, ip, None, None, None, r.segment.answer, *answers])
    path = root / "credit-card-renewal" / "surveys" / "card-renewal-surveymonkey.xlsx"
    return [write_bytes(path, stable_xlsx(wb))]


# =========================================================================== 4 weight loss
# Typeform CSV: UTF-8, one header row, a question with HTML, a hidden field,
# completed and partial responses. One question names the stage, another the
# touchpoint; the stage answer is asked first and filters the touchpoint choices.

WEIGHT_STAGES = (
    Stage(
        "עוד לא התחלתי את הטיפול",
        "enrolment",
        0.12,
        0.0,
        1.0,
        (
            Choice("פגישת הייעוץ והמדידות", 0.40, 0.45, 1.0),
            Choice("חתימה על החוזה", 0.35, -0.75, 1.45),
            Choice("מילוי השאלון הרפואי", 0.25, -0.5, 0.85),
        ),
    ),
    Stage(
        "חודשים 1-3",
        "start",
        0.28,
        0.0,
        1.0,
        (
            Choice("ביקור אצל הרופא", 0.25, 0.3, 0.9),
            Choice("פגישה עם הדיאטנית", 0.30, 0.6, 0.9),
            Choice("האפליקציה", 0.20, -0.35, 1.0),
            Choice("שקילה ראשונה", 0.25, 0.3, 1.5),
        ),
    ),
    Stage(
        "חודשים 4-12",
        "treatment",
        0.38,
        0.0,
        1.0,
        (
            Choice("פגישת מעקב חודשית", 0.40, 0.0, 1.0),
            Choice("שאלה בוואטסאפ", 0.22, -0.5, 1.0),
            Choice("שיחה עם הסניף כשהירידה נעצרה", 0.18, -1.15, 1.5),
            Choice("חידוש מרשם", 0.20, -0.8, 0.9),
        ),
    ),
    Stage(
        "חודשים 13-18",
        "maintenance",
        0.15,
        0.0,
        1.0,
        (
            Choice("מעבר לתוכנית שימור", 0.55, 0.4, 0.9),
            Choice("ביקור הסיכום", 0.45, 0.8, 0.9),
        ),
    ),
    Stage(
        "סיימתי את התוכנית",
        "after",
        0.07,
        0.0,
        1.0,
        (Choice("שיחת מעקב אחרי הסיום", 1.0, 0.9, 0.8),),
    ),
)
WEIGHT_SEGMENTS = (
    Choice("מסלול משולב (תרופתי ותזונתי)", 0.45, 0.0),
    Choice("מסלול תזונתי", 0.35, 0.1),
    Choice("מסלול מקוון", 0.20, -0.1),
)
WEIGHT_BRANCHES = {
    "מסלול מקוון": ["online"],
    "*": ["tel-aviv", "tel-aviv", "haifa", "beer-sheva", "jerusalem"],
}
WEIGHT_COMMENTS = {
    "*": {
        "neg": [
            "אני משלמת המון כסף ומרגישה כמו עוד תיק",
            "כל פעם דיאטנית אחרת, צריך לספר הכול מחדש",
            "התוצאות רחוקות ממה שהבטיחו בפרסומת",
            "אין תורים בערב, אני צריכה לצאת מהעבודה",
            "התקשרתי שלוש פעמים עד שמישהו חזר אליי",
            "המחיר גבוה מדי ביחס לליווי",
        ],
        "neu": [
            "בסדר, מקווה שיהיו תוצאות",
            "הצוות נחמד, הזמינות פחות",
            "האפליקציה עובדת, אבל לא ברור אם מישהו מסתכל",
            "לוקח זמן, צריך סבלנות",
        ],
        "pos": [
            "הדיאטנית שלי מדהימה, קשובה וסבלנית",
            "ירדתי 14 קילו ואני מרגישה אחרת",
            "סוף סוף טיפול שמתייחס להשמנה כמחלה",
            "יחס אישי וחם מכל הצוות",
            "הרופא הסביר הכול בסבלנות",
        ],
    },
    "חתימה על החוזה": {
        "neg": [
            "לחצו עליי לחתום באותו יום בגלל הנחה",
            "לא הסבירו שהתרופות לא כלולות במחיר",
            "חוזה ל-18 חודשים בלי אפשרות יציאה ברורה",
        ],
    },
    "מילוי השאלון הרפואי": {
        "neg": ["שאלון ארוך, ואחר כך הרופא שאל את אותן שאלות"],
    },
    "האפליקציה": {
        "neg": ["הזנת ארוחות מסורבלת, הפסקתי אחרי שבועיים", "האפליקציה נתקעת"],
        "pos": ["נוח לראות את הגרף של הירידה"],
    },
    "שקילה ראשונה": {
        "neg": ["ירדתי רק קילו וחצי והדיאטנית לא ממש הסבירה למה"],
        "pos": ["השקילה הראשונה נתנה לי המון מוטיבציה"],
    },
    "שאלה בוואטסאפ": {
        "neg": ["שלחתי שאלה ורק אחרי שלושה ימים ענו", "הודעות שלא נענות"],
        "pos": ["עונים לי בוואטסאפ באותו יום"],
    },
    "שיחה עם הסניף כשהירידה נעצרה": {
        "neg": [
            "כשהמשקל נתקע הרגשתי לבד לגמרי",
            "התקשרתי להתייעץ והעבירו אותי למכירות",
            "שוקלת להפסיק, אין טעם לשלם עוד שנה",
        ],
        "pos": ["הדיאטנית שינתה לי את התוכנית והמשקל זז שוב"],
    },
    "חידוש מרשם": {
        "neg": ["כל חידוש מרשם זה שלוש שיחות טלפון", "למה אי אפשר לחדש מרשם באפליקציה?"],
    },
    "שיחת מעקב אחרי הסיום": {
        "pos": ["מרגש שממשיכים להתקשר גם אחרי שסיימתי", "כבר המלצתי לשתי חברות"],
    },
}


def weight_loss(root: Path) -> list[Path]:
    rng = random.Random(SEEDS["weight-loss-clinic"])
    q_stage = "כמה זמן את/ה בתוכנית?"
    q_tp = "מה היה המפגש האחרון שלך איתנו?"
    q_segment = "באיזה מסלול את/ה?"
    q_nps = "מה הסיכוי שתמליצ/י על איזון לחבר/ה או לבן/בת משפחה?"
    q_ces = (
        "איזון הקלה עליי לקבל את מה שהייתי צריך/ה במפגש הזה. <strong>עד כמה את/ה מסכים/ה?</strong>"
    )
    q_comment = "רוצה לספר לנו עוד? מה היה טוב ומה אפשר לשפר?"
    header = [
        "#",
        q_stage,
        q_tp,
        q_segment,
        q_nps,
        q_ces,
        q_comment,
        "branch",
        "Response Type",
        "Start Date (UTC)",
        "Submit Date (UTC)",
        "Network ID",
        "Tags",
    ]
    responses = simulate(
        rng,
        612,
        start=date(2025, 12, 1),
        months=11,
        stages=WEIGHT_STAGES,
        segments=WEIGHT_SEGMENTS,
        centres=Centres(nps=7.8, csat=3.9, ces=5.0),
        drift=0.05,
    )
    fmt = "%Y-%m-%d %H:%M:%S"
    rows: list[list[object]] = [header]
    alphabet = string.ascii_lowercase + string.digits
    for r in responses:
        assert r.touchpoint is not None
        utc = r.when - timedelta(hours=2)  # survey is answered in Israel, exported in UTC
        started = utc - timedelta(seconds=int(rng.lognormvariate(4.5, 0.6)))
        text = comment(rng, WEIGHT_COMMENTS, r, rates=(0.65, 0.35, 0.4), key=r.touchpoint.answer)
        if text and rng.random() < 0.05:
            text = text.replace(". ", ".\n", 1) if ". " in text else text + "\nתודה"
        answers: list[object] = [
            r.stage.answer,
            r.touchpoint.answer,
            r.segment.answer,
            r.nps,
            r.ces if rng.random() > 0.02 else "",
            text,
        ]
        partial = rng.random() < 0.11
        if partial:
            cut = rng.randint(1, 4)
            answers = answers[:cut] + [""] * (len(answers) - cut)
        branch = rng.choice(WEIGHT_BRANCHES.get(r.segment.answer, WEIGHT_BRANCHES["*"]))
        tags = "follow-up" if not partial and r.nps <= 3 and rng.random() < 0.3 else ""
        rows.append(
            [
                random_token(rng, 32, alphabet),
                *answers,
                branch,
                "partial" if partial else "completed",
                started.strftime(fmt),
                "" if partial else utc.strftime(fmt),
                random_token(rng, 10, "0123456789abcdef"),
                tags,
            ]
        )
    path = root / "weight-loss-clinic" / "surveys" / "visit-feedback-typeform.csv"
    return [write_bytes(path, csv_bytes(rows, encoding="utf-8", newline="\n"))]


# =========================================================================== 5 facilities
# A plain CSV from the company's CRM: snake_case header, ISO dates, a few
# missing-value codes (99, N/A), a handful of duplicated responses.

FACILITY_STAGES = (
    Stage("Reporting the fault", "report", 0.20, -0.2, 0.9),
    Stage("Scheduling the visit", "schedule", 0.20, -0.75, 1.3),
    Stage("The technician visit", "visit", 0.32, 0.55, 1.4),
    Stage("The invoice", "invoice", 0.18, -0.85, 1.3),
    Stage("Follow-up after the job", "follow-up", 0.10, 0.0, 0.8),
)
FACILITY_SEGMENTS = (
    Choice("Office", 0.35, 0.0),
    Choice("Retail", 0.20, -0.1),
    Choice("Residential", 0.20, -0.35),
    Choice("Healthcare", 0.12, 0.1),
    Choice("Industrial", 0.13, 0.2),
)
FACILITY_COMMENTS = {
    "*": {
        "neg": [
            "had to chase the job three times",
            "nobody answered my emails",
            "waited all morning and nobody came",
            "too expensive for what was done",
            "the portal is confusing",
            "we are considering another provider at renewal",
        ],
        "neu": [
            "job done eventually",
            "fine, but communication could be better",
            "ok overall",
            "average service",
        ],
        "pos": [
            "quick and professional",
            "great service as usual",
            "excellent communication throughout",
            "very happy with the result",
        ],
    },
    "report": {
        "neg": [
            "could not find how to report a fault on the website",
            "the asset list in the portal is out of date",
            "helpdesk line busy for ages",
        ],
        "pos": ["logged it on the portal in two minutes", "the helpdesk agent was very helpful"],
    },
    "schedule": {
        "neg": [
            "a four hour window is useless for a busy office",
            "had to call twice to reschedule, callback next day",
            "the text message can't be replied to",
        ],
        "pos": ["got a slot the next morning"],
    },
    "visit": {
        "neg": [
            "technician didn't have the part, second visit a week later",
            "nobody told us when the part arrived",
            "technician was late and didn't call",
        ],
        "pos": [
            "technician explained exactly what he found and fixed it",
            "polite, tidy and on time",
            "first-time fix, brilliant",
        ],
    },
    "invoice": {
        "neg": [
            "invoice had no PO number so finance rejected it",
            "charged for the second visit that was your fault",
            "invoice arrived six weeks later, couldn't match it to the job",
            "billing asked me to send them the job sheet",
        ],
        "pos": ["invoice matched the quote, no issues"],
    },
    "follow-up": {
        "neg": ["survey arrived before the job was even finished"],
        "pos": ["appreciated the follow-up call"],
    },
}


def facilities(root: Path) -> list[Path]:
    rng = random.Random(SEEDS["facilities-maintenance"])
    header = ["response_id", "date", "site_type", "stage", "nps", "csat", "ces", "comment"]
    responses = simulate(
        rng,
        2994,
        start=date(2025, 11, 1),
        months=12,
        stages=FACILITY_STAGES,
        segments=FACILITY_SEGMENTS,
        centres=Centres(nps=8.0, csat=3.9, ces=5.0),
        drift=-0.025,  # a technician shortage through 2026: slowly worse
    )
    rows: list[list[object]] = []
    next_id = 100230
    for r in responses:
        next_id += rng.randint(1, 3)
        rows.append(
            [
                next_id,
                r.when.strftime("%Y-%m-%d"),
                r.segment.answer if rng.random() > 0.01 else "",
                r.stage.answer,
                messy(
                    rng,
                    r.nps,
                    blank=0.03,
                    junk=("N/A", "n/a", "-"),
                    p_junk=0.008,
                    out_of_range=("99", "11"),
                    p_oor=0.006,
                ),
                messy(
                    rng,
                    r.csat,
                    blank=0.04,
                    junk=("N/A",),
                    p_junk=0.005,
                    out_of_range=("0", "6", "99"),
                    p_oor=0.006,
                ),
                messy(
                    rng,
                    r.ces,
                    blank=0.06,
                    junk=("N/A",),
                    p_junk=0.005,
                    out_of_range=("0", "8", "99"),
                    p_oor=0.005,
                ),
                comment(rng, FACILITY_COMMENTS, r, rates=(0.5, 0.25, 0.25), english=True),
            ]
        )
    # The CRM merge repeats a few responses.
    for i in sorted(rng.sample(range(len(rows)), 6), reverse=True):
        rows.insert(i + 1, list(rows[i]))
    path = root / "facilities-maintenance" / "surveys" / "job-survey-export.csv"
    return [write_bytes(path, csv_bytes([header, *rows], encoding="utf-8", newline="\n"))]


# =========================================================================== 6 pension
# Excel "CSV UTF-8" on a Dutch laptop: BOM, ';' delimiter, d-m-yyyy H:MM dates,
# decimal commas. "Did you have to send a document more than once?" makes the
# duplication visible in the data; a shared document store lands in month 7.

PENSION_STAGES = (
    Stage("Finding out how to withdraw", "explore", 0.15, 0.2, 0.9),
    Stage("Sending my request and documents", "apply", 0.22, -0.3, 1.0),
    Stage("Being asked for documents again", "duplicate", 0.20, -1.2, 1.3),
    Stage("Waiting for a decision", "wait", 0.25, -0.85, 1.0),
    Stage("Receiving the payment", "payout", 0.18, 0.45, 1.5),
)
PENSION_SEGMENTS = (
    Choice("Retiring - lump sum", 0.55, 0.1),
    Choice("Changing jobs - transfer out", 0.35, -0.2),
    Choice("Early withdrawal (ill health)", 0.10, -0.1),
)
PENSION_COMMENTS = {
    "*": {
        "neg": [
            "I had to send the same form twice",
            "two departments, two different answers",
            "called four times to find out the status",
            "nobody could tell me when the money would arrive",
            "far too slow for my own money",
            "the letters contradict each other",
        ],
        "neu": [
            "got there in the end",
            "ok but too much paperwork",
            "the phone staff were kind, the process is not",
            "would have preferred to do it online",
        ],
        "pos": [
            "very clear and helpful",
            "the agent explained the tax part patiently",
            "quicker than I expected",
            "easy, thank you",
        ],
    },
    "explore": {
        "neg": ["the guide is 12 pages and the form is hidden on page 9"],
        "pos": ["the contact centre explained the steps well"],
    },
    "apply": {
        "neg": [
            "print, sign, scan in this day and age",
            "no confirmation of what you received, only an automatic reply",
        ],
        "pos": ["sent everything by email, simple enough"],
    },
    "duplicate": {
        "neg": [
            "was told the first form reached another department, for another process",
            "why does Tax ask for the documents Payments already has",
            "felt like you had lost my papers",
            "sending my passport copy twice to two departments is not acceptable",
        ],
        "pos": ["this time I didn't have to send anything again"],
    },
    "wait": {
        "neg": [
            "payments said approved, tax said on hold",
            "every agent looked at a different system",
            "waited weeks with no update",
        ],
    },
    "payout": {
        "neg": ["the money arrived before any letter explaining the tax"],
        "pos": ["money arrived on the promised date", "paid in full, thank you"],
    },
}


def pension(root: Path) -> list[Path]:
    rng = random.Random(SEEDS["pension-withdrawal"])
    header = [
        "Response ID",
        "Completed",
        "Customer type",
        "Which step of your withdrawal are you rating?",
        "How likely are you to recommend Northsea to a friend or colleague? (0-10)",
        "How satisfied are you with this step? (1-5)",
        "Northsea made it easy for me to handle my request (1-7)",
        "Did you have to send the same document more than once?",
        "Comments",
        "Weight",
    ]
    p_twice = {"explore": 0.1, "apply": 0.2, "duplicate": 0.9, "wait": 0.5, "payout": 0.4}

    def sent_twice(rng: random.Random, stage: Stage, month: int) -> tuple[dict[str, Any], float]:
        p = p_twice[stage.key] * (0.45 if month >= 7 else 1.0)  # shared store from month 7
        r = rng.random()
        answer = "Yes" if r < p else "Not sure" if r < p + 0.05 else "No"
        return {"twice": answer}, -0.6 if answer == "Yes" else 0.15 if answer == "No" else 0.0

    responses = simulate(
        rng,
        806,
        start=date(2026, 1, 1),
        months=10,
        stages=PENSION_STAGES,
        segments=PENSION_SEGMENTS,
        centres=Centres(nps=7.6, csat=3.8, ces=4.8),
        drift=0.02,
        steps={"duplicate": (7, 0.5), "wait": (7, 0.25)},
        month_weights=[6, 7, 8, 8, 9, 14, 9, 8, 8, 7],  # retirements peak in June
        hook=sent_twice,
    )
    weights = {
        "Retiring - lump sum": 0.82,
        "Changing jobs - transfer out": 1.31,
        "Early withdrawal (ill health)": 1.05,
    }
    rows: list[list[object]] = [header]
    for i, r in enumerate(responses, start=1):
        when = f"{r.when.day}-{r.when.month}-{r.when.year} {r.when.hour}:{r.when.minute:02d}"
        weight = weights[r.segment.answer] * rng.uniform(0.85, 1.15)
        rows.append(
            [
                f"NPS-{i:05d}",
                when,
                r.segment.answer,
                r.stage.answer,
                messy(
                    rng,
                    r.nps,
                    blank=0.02,
                    junk=("n/a", "7,5", "don't know"),
                    p_junk=0.008,
                    out_of_range=("12", "-1"),
                    p_oor=0.005,
                ),
                messy(
                    rng,
                    r.csat,
                    blank=0.03,
                    junk=("n/a",),
                    p_junk=0.005,
                    out_of_range=("0", "6"),
                    p_oor=0.004,
                ),
                messy(
                    rng,
                    r.ces,
                    blank=0.04,
                    junk=("Don't know",),
                    p_junk=0.01,
                    out_of_range=("8",),
                    p_oor=0.004,
                ),
                r.extra["twice"] if rng.random() > 0.02 else "",
                comment(rng, PENSION_COMMENTS, r, rates=(0.55, 0.3, 0.3), english=True),
                f"{weight:.2f}".replace(".", ","),
            ]
        )
    path = root / "pension-withdrawal" / "surveys" / "withdrawal-survey.csv"
    return [write_bytes(path, csv_bytes(rows, encoding="utf-8-sig", delimiter=";"))]


# --------------------------------------------------------------------------- main

GENERATORS: dict[str, Callable[[Path], list[Path]]] = {
    "caravan-holiday": caravan,
    "insurer-policy-update": insurer,
    "credit-card-renewal": credit_card,
    "weight-loss-clinic": weight_loss,
    "facilities-maintenance": facilities,
    "pension-withdrawal": pension,
}


def generate_all(root: Path = HERE) -> list[Path]:
    """Write every client's survey files under ``root``; return their paths."""
    paths: list[Path] = []
    for make in GENERATORS.values():
        paths += make(Path(root))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print(__doc__)
        return 0 if args and args[0] in {"-h", "--help"} else 2
    root = Path(args[0]) if args else HERE
    for path in generate_all(root):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
