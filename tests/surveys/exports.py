"""Small survey exports in each tool's real layout, written at test time.

Each builder writes one file into a folder and returns its path. The rows are few
enough to count by hand; the expected figures sit next to the tests that read
them (tests/surveys/test_layouts.py). Nothing here is copied from a real export:
the layouts follow the tools' documentation and SCORING-NOTES.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

NPS_Q = "How likely are you to recommend us to a friend or colleague?"


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def labelled_likelihood(folder: Path) -> Path:
    """Google Forms: a recommend question answered on a 4-point labelled scale."""
    q = "How likely are you to recommend us to a friend?"
    answers = ["Very likely"] * 5 + ["Likely"] * 2 + ["Neutral", "Unlikely"]
    rows = [["Timestamp", q, "What could we do better?"]]
    rows += [[f"1/{d + 1}/2025 9:00:00", a, ""] for d, a in enumerate(answers)]
    path = folder / "labelled-likelihood.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


SATISFACTION_0_10 = [10, 9, 8, 7, 3, 5, 10, 2, 0, 6, 4, 9]


def satisfaction_0_10(folder: Path) -> Path:
    """A generic export whose satisfaction question runs 0-10."""
    q = "How satisfied are you with our service? (0-10)"
    rows = [["id", q, "Comment"]]
    rows += [[str(i + 1), str(v), ""] for i, v in enumerate(SATISFACTION_0_10)]
    path = folder / "satisfaction-0-10.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def wide_qualtrics(folder: Path, questions: int = 2500) -> Path:
    """Qualtrics current layout whose header rows run to some 400 KB (past 64 KB)."""
    meta = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)"]
    meta += ["Finished", "RecordedDate", "ResponseId"]
    ids = meta + [f"Q{i}" for i in range(1, questions + 1)] + ["QNPS"]
    texts = meta + [
        f"Please rate item {i} of the long battery of questions about our service"
        for i in range(1, questions + 1)
    ]
    texts += [NPS_Q]
    imports = [f'{{"ImportId":"{c}"}}' for c in ids]

    def row(rid: str, status: str, nps: str) -> list[str]:
        t = "2024-04-01 10:00:00"
        return [t, t, status, "100", "60", "True", t, rid] + [""] * questions + [nps]

    rows = [ids, texts, imports]
    rows += [
        row("R_1", "IP Address", "10"),
        row("R_2", "Survey Preview", "0"),
        row("R_3", "IP Address", "9"),
        row("R_4", "IP Address", "3"),
    ]
    path = folder / "wide-qualtrics.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def qualtrics_2016(folder: Path) -> Path:
    """Qualtrics 2016: ImportId row in single quotes, numeric Status and Finished."""
    ids = ["ResponseID", "ResponseSet", "StartDate", "EndDate", "Finished", "Status", "Q1", "Q2"]
    texts = [*ids[:6], NPS_Q, "Any comments?"]
    imports = [f"{{'ImportId': '{c}'}}" for c in ["responseId", "responseSetId", "startDate"]]
    imports += [f"{{'ImportId': '{c}'}}" for c in ["endDate", "finished", "status", "QID1"]]
    imports += ["{'ImportId': 'QID2_TEXT'}"]
    t = "2016-07-28 12:53:17"
    data = [  # id, finished, status, nps: file rows 4..12
        ("R_1", "1", "0", "10"),
        ("R_2", "1", "0", "9"),
        ("R_3", "1", "0", "12"),  # row 6: off the scale
        ("R_4", "1", "1", "4"),  # preview
        ("R_5", "0", "0", "2"),  # unfinished
        ("R_6", "1", "0", "6"),
        ("R_7", "1", "2", "0"),  # test
        ("R_8", "1", "8", "10"),  # spam
        ("R_9", "1", "4", "10"),  # imported
    ]
    rows = [ids, texts, imports]
    rows += [[r, "Default Response Set", t, t, f, s, n, ""] for r, f, s, n in data]
    path = folder / "qualtrics-2016.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def qualtrics_legacy(folder: Path) -> Path:
    """Qualtrics' legacy exporter: V1..V10, question ids, then a row of names and texts."""
    ids = [f"V{i}" for i in range(1, 11)] + ["Q1", "Q2"]
    names = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress"]
    names += ["IPAddress", "Status", "StartDate", "EndDate", "Finished"]
    names += [NPS_Q, "How satisfied were you with your visit?"]
    t = "2014-03-02 10:00:00"
    data = [  # id, status, finished, nps, csat
        ("R_a", "0", "1", "10", "5"),
        ("R_b", "0", "1", "8", "4"),
        ("R_c", "2", "1", "10", "5"),  # test
        ("R_d", "2", "1", "9", "5"),  # test
        ("R_e", "0", "0", "3", "1"),  # unfinished
        ("R_f", "0", "1", "5", "2"),
        ("R_g", "1", "1", "0", "1"),  # preview
    ]
    rows = [ids, names]
    rows += [
        [r, "Default Response Set", "", "", "", "10.0.0.1", s, t, t, f, n, c]
        for r, s, f, n, c in data
    ]
    path = folder / "qualtrics-legacy.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def typeform_grouped(folder: Path) -> Path:
    """Typeform with a question-group row above the field row; one partial response."""
    groups = ["", "About you", "", "Your experience", "", "", "", ""]
    fields = ["#", "Which plan are you on?", "What is your role?", NPS_Q]
    fields += ["What could we do better?", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"]

    def row(rid: str, plan: str, role: str, nps: str, submitted: bool) -> list[str]:
        start = "2024-05-01 10:00:00"
        return [rid, plan, role, nps, "", start, "2024-05-01 10:05:00" if submitted else "", "n"]

    rows = [groups, fields]
    rows += [
        row("a1", "Pro", "Admin", "10", True),
        row("a2", "Free", "User", "7", True),
        row("a3", "Pro", "User", "2", True),
        row("a4", "Free", "Admin", "9", True),
        row("a5", "Pro", "User", "", False),
    ]
    path = folder / "typeform-grouped.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def surveymonkey_2017(folder: Path) -> Path:
    """SurveyMonkey 2017: RespondentID/CollectorID, two header rows, NUL bytes in cells."""
    top = ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address"]
    top += ["Email Address", "First Name", "LastName", "Custom Data"]
    q = "How likely is it that you would recommend us to a friend or colleague?"
    top += [q, "What is the main reason for your score?"]
    sub = [""] * 9 + ["Response", "Open-Ended Response"]
    rows = [top, sub]
    answers = [("10", "", "\x00"), ("9", "", "\x00"), ("6", "", "\x00"), ("0", "", "\x00")]
    answers.append(("8", "\x00\x00", ""))
    for i, (nps, ip, custom) in enumerate(answers):
        rows.append([str(1001 + i), "50", "03/01/2017", "03/01/2017", ip, "", "", "", custom])
        rows[-1] += [nps, "because"]
    path = folder / "surveymonkey-2017.csv"
    path.write_bytes(_csv(rows).encode("utf-8"))
    return path


def surveymonkey_resaved(folder: Path) -> Path:
    """A SurveyMonkey export read and written again by pandas (index, 'Unnamed: N')."""
    q = "How likely is it that you would recommend us to a friend or colleague?"
    rows = [
        ["", q, "Which region are you in?", "Unnamed: 3"],
        ["0", "Response", "Response", "Other (please specify)"],
        ["1", "10", "Europe", ""],
        ["2", "9", "Asia", ""],
        ["3", "3", "Other", "Antarctica"],
        ["4", "7", "Europe", ""],
    ]
    path = folder / "surveymonkey-resaved.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


MS_ROWS = [(10, 5), (8, 4), (4, 2), (9, 5), (10, 3), (6, 4)]  # (nps, csat)
MS_HEADER = ["ID", "Start time", "Completion time", "Email", "Name", NPS_Q]
MS_HEADER += ["How satisfied were you with the training?"]


def _ms_rows() -> list[list[object]]:
    return [
        [i + 1, f"1/10/2025 9:0{i}", f"1/10/2025 9:1{i}", "anonymous", "", n, c]
        for i, (n, c) in enumerate(MS_ROWS)
    ]


def microsoft_forms_csv(folder: Path) -> Path:
    rows = [MS_HEADER] + [[str(v) for v in r] for r in _ms_rows()]
    path = folder / "microsoft-forms.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _csv(rows).encode("utf-8"))  # Forms writes a BOM
    return path


def microsoft_forms_xlsx(folder: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(MS_HEADER)
    for r in _ms_rows():
        ws.append(r)
    path = folder / "microsoft-forms.xlsx"
    wb.save(path)
    return path


HEBREW_NPS_Q = "מה הסבירות שתמליץ/י עלינו לחבר/ה?"
HEBREW_ANSWERS = ["10 - בהחלט", "0 - בכלל לא", "9", "7", "5"]


def google_forms_tsv(folder: Path) -> Path:
    """Google Forms TSV download, Hebrew question with endpoint-labelled answers."""
    rows = [["חותמת זמן", HEBREW_NPS_Q, "מה היה טוב?"]]
    rows += [[f"0{d + 1}/03/2025 10:00:00", a, ""] for d, a in enumerate(HEBREW_ANSWERS)]
    path = folder / "google-forms.tsv"
    path.write_text(_csv(rows, "\t"), encoding="utf-8")
    return path


def google_forms_xlsx(folder: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "תגובות לטופס 1"
    ws.append(["חותמת זמן", HEBREW_NPS_Q, "מה היה טוב?"])
    for d, a in enumerate(HEBREW_ANSWERS):
        ws.append([datetime(2025, 3, d + 1, 10), a, None])
    path = folder / "google-forms.xlsx"
    wb.save(path)
    return path


FRENCH_NPS_Q = "Recommanderiez-vous notre hôtel à un ami ? (0-10)"


def french_latin1(folder: Path) -> Path:
    """A French export saved by Excel in latin-1 with semicolons."""
    rows = [["Référence", FRENCH_NPS_Q, "Élément à améliorer"]]
    rows += [
        ["A1", "10", "Très bien, merci"],
        ["A2", "9", "Le café était froid"],
        ["A3", "4", "Équipe à former"],
        ["A4", "8", "Rien à signaler"],
        ["A5", "2", "Trop cher pour la qualité"],
    ]
    path = folder / "french-latin1.csv"
    path.write_bytes(_csv(rows, ";").encode("latin-1"))
    return path


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "labelled-likelihood": labelled_likelihood,
    "satisfaction-0-10": satisfaction_0_10,
    "wide-qualtrics": wide_qualtrics,
    "qualtrics-2016": qualtrics_2016,
    "qualtrics-legacy": qualtrics_legacy,
    "typeform-grouped": typeform_grouped,
    "surveymonkey-2017": surveymonkey_2017,
    "surveymonkey-resaved": surveymonkey_resaved,
    "microsoft-forms-csv": microsoft_forms_csv,
    "microsoft-forms-xlsx": microsoft_forms_xlsx,
    "google-forms-tsv": google_forms_tsv,
    "google-forms-xlsx": google_forms_xlsx,
    "french-latin1": french_latin1,
}
