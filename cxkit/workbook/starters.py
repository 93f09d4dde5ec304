"""Starter workbooks: the journey templates ``cxkit new`` copies for a new client.

Each template is data (``starters/<name>.yml``: stages and touchpoints with names
in Hebrew and English); one commented skeleton (``starters/workbook.yml.j2``)
turns it into a workbook a consultant can fill in, with hints in their language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined
from ruamel.yaml import YAML

from cxkit._files import atomic_write
from cxkit.errors import CxkitError, Reason, TemplateNotFound, suggestion_suffix
from cxkit.workbook.model import Journey, Language, Stage, Touchpoint
from cxkit.workbook.yamlfile import WORKBOOK_FILENAME

_COMMENTS: dict[str, dict[str, str]] = {
    "en": {
        "header": "cxkit workbook: fill in the blanks, then render the journey report.",
        "validate": "Check it any time with",
        "schema": "Editors: `cxkit schema > workbook.schema.json` gives autocomplete (README).",
        "version": "file format version, leave as is",
        "language": "he = Hebrew (right-to-left report), en = English",
        "brand": "brand colour for the report",
        "personas": "Personas: customer archetypes. Each journey belongs to one persona.",
        "persona_name": "Main customer",
        "persona_quote": "A sentence this customer would say.",
        "segment": "customers",
        "goals": "one line per goal",
        "future": "a future-state journey can say `redesigns: <id of the current one>`",
        "action": "what the customer does here",
        "questions": "what they ask or think",
        "expectation": "what they expect, in their words",
        "emotion": "-2 very negative .. +2 very positive",
        "effort": "1 easy .. 5 hard",
        "owner": "department or role responsible",
        "backstage": "processes, systems and documents behind it",
        "value": "adds | needed | waste",
        "opportunities": "Opportunities: {id, title, touchpoints: [ids], impact: 1-5, effort: 1-5}",
        "surveys": "Survey exports (Qualtrics, SurveyMonkey, Google Forms, Typeform, CSV/XLSX)",
    },
    "he": {
        "header": "חוברת עבודה של cxkit: מלאו את החסר ואז הפיקו את דוח המסע.",
        "validate": "בדיקה בכל עת",
        "schema": "עורכים: `cxkit schema > workbook.schema.json` מוסיף השלמה אוטומטית (README).",
        "version": "גרסת פורמט הקובץ, אין לשנות",
        "language": "he = עברית (דוח מימין לשמאל), en = אנגלית",
        "brand": "צבע המותג לדוח",
        "personas": "פרסונות: אבטיפוסים של לקוחות. כל מסע שייך לפרסונה אחת.",
        "persona_name": "הלקוח המרכזי",
        "persona_quote": "משפט שהלקוח הזה היה אומר.",
        "segment": "לקוחות",
        "goals": "שורה לכל מטרה",
        "future": "מסע עתידי יכול לציין `redesigns: <מזהה המסע הנוכחי>`",
        "action": "מה הלקוח עושה כאן",
        "questions": "מה הוא שואל או חושב",
        "expectation": "מה הוא מצפה, במילים שלו",
        "emotion": "2- שלילי מאוד .. 2+ חיובי מאוד",
        "effort": "1 קל .. 5 קשה",
        "owner": "המחלקה או התפקיד האחראים",
        "backstage": "תהליכים, מערכות ומסמכים מאחורי הקלעים",
        "value": "adds (מוסיף ערך) | needed (נחוץ) | waste (בזבוז)",
        "opportunities": "הזדמנויות: {id, title, touchpoints: [מזהים], impact: 1-5, effort: 1-5}",
        "surveys": "קובצי סקרים (Qualtrics, SurveyMonkey, Google Forms, Typeform, CSV/XLSX)",
    },
}


@dataclass(frozen=True)
class Starter:
    name: str
    description: dict[str, str]
    spec: dict[str, Any]


def _folder() -> Any:
    return resources.files("cxkit") / "workbook" / "starters"


def list_starters() -> list[Starter]:
    """Every shipped starter template, the three method presets first."""
    order = {"five-interfaces": 0, "four-encounters": 1, "lifecycle": 2}
    out = []
    for entry in _folder().iterdir():
        if entry.name.endswith(".yml"):
            spec = YAML(typ="safe").load(entry.read_text(encoding="utf-8"))
            out.append(Starter(entry.name[:-4], spec["description"], spec))
    return sorted(out, key=lambda s: (order.get(s.name, 9), s.name))


def get_starter(name: str) -> Starter:
    starters = {s.name: s for s in list_starters()}
    if name not in starters:
        hint = suggestion_suffix(name, list(starters))
        sep = " " if hint else ". "
        raise TemplateNotFound(f"no template '{name}'{hint}{sep}Available: {', '.join(starters)}")
    return starters[name]


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def render_starter(name: str, language: Language | str, client_name: str, folder: str = ".") -> str:
    """The commented ``workbook.yml`` text for a new client from template ``name``."""
    lang = Language(language).value
    starter = get_starter(name)
    spec = starter.spec

    def pick(d: dict[str, str]) -> str:
        return d.get(lang) or d["en"]

    stages = [
        {
            "id": s["id"],
            "name": pick(s["name"]),
            "hint": pick(s["hint"]),
            "touchpoints": [
                {"id": t["id"], "name": pick(t["name"]), "channel": t["channel"]}
                for t in s["touchpoints"]
            ],
        }
        for s in spec["stages"]
    ]
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["q"] = _q
    template = env.from_string((_folder() / "workbook.yml.j2").read_text(encoding="utf-8"))
    return template.render(
        t=_COMMENTS[lang],
        client_name=client_name,
        language=lang,
        journey_id=name if name != "lifecycle" else "customer-lifecycle",
        title=pick(spec["title"]),
        scope=spec["scope"],
        stages=stages,
        folder=folder,
    )


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "client"


def create_client(
    root: Path,
    client_id: str,
    *,
    template: str,
    language: Language | str,
    name: str | None = None,
    force: bool = False,
) -> Path:
    """Create ``root/<client_id>/workbook.yml`` from a starter; return its path."""
    folder = root / client_id
    path = folder / WORKBOOK_FILENAME
    if path.exists() and not force:
        raise CxkitError(
            f"{path} already exists; pass --force to overwrite it "
            "(the old file is kept as workbook.yml.bak)",
            reason=Reason.ALREADY_EXISTS,
        )
    text = render_starter(template, language, name or client_id, folder=str(folder))
    (folder / "surveys").mkdir(parents=True, exist_ok=True)
    atomic_write(path, text, backup=True)
    return path


def starter_journey(name: str, language: Language | str, persona: str, journey_id: str) -> Journey:
    """A journey built from starter ``name`` (stage and touchpoint names in ``language``)."""
    lang = Language(language).value
    spec = get_starter(name).spec

    def pick(d: dict[str, str]) -> str:
        return d.get(lang) or d["en"]

    return Journey(
        id=journey_id,
        title=pick(spec["title"]),
        persona=persona,
        scope=spec["scope"],
        stages=[
            Stage(
                id=s["id"],
                name=pick(s["name"]),
                touchpoints=[
                    Touchpoint(id=t["id"], name=pick(t["name"]), channel=t["channel"])
                    for t in s["touchpoints"]
                ],
            )
            for s in spec["stages"]
        ],
    )


def stand_in_texts() -> frozenset[str]:
    """The texts a new workbook carries until the workshop replaces them (the persona's
    sample quote, in every language): a report shows none of them as a finding."""
    return frozenset(c["persona_quote"] for c in _COMMENTS.values())
