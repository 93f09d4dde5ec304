"""An exercise page: the forms the exercise needs, on one shared workbook, and a
"check my work" button that shows the rubric's score and specific feedback."""

from __future__ import annotations

import ipywidgets as w

from cxkit.course.exercises import check_workbook, get_rubric
from cxkit.i18n import label_table
from cxkit.widgets._common import Form, esc
from cxkit.widgets.journeys import JourneyMapper
from cxkit.widgets.personas import PersonaBuilder
from cxkit.workbook.editing import EditSession
from cxkit.workbook.model import Course, Workbook

FORMS: dict[int, tuple[str, ...]] = {
    1: ("personas",),
    2: ("journeys",),
    3: ("journeys",),
    4: ("feedback", "journeys"),
    5: ("journeys",),
}


class ExerciseWorkspace(Form):
    """The forms for exercise ``exercise`` plus the check button, bound to one session."""

    title_key = "check_my_work"

    def __init__(self, session: EditSession, exercise: int) -> None:
        super().__init__(session)
        self.exercise = exercise
        get_rubric(exercise)
        self.forms: list[Form] = []
        for kind in FORMS.get(exercise, ("personas", "journeys")):
            if kind == "personas":
                self.forms.append(PersonaBuilder(session))
            elif kind == "journeys":
                self.forms.append(JourneyMapper(session))
            else:
                from cxkit.widgets.feedback import FeedbackScorer

                self.forms.append(FeedbackScorer(session))
        self.check_button = w.Button(
            description=self.t("check_my_work"),
            icon="check",
            button_style="success",
            layout=w.Layout(width="auto"),
        )
        self.result = w.HTML("")
        self.check_button.on_click(lambda _b: self.check())
        course = label_table("course", session.language)
        said = session.workbook.course
        self.name = w.Text(
            value=(said.student or "") if said is not None else "",
            description=course["your_name"],
            placeholder=course["your_name_hint"],
            style={"description_width": "initial"},
            layout=w.Layout(width="28em"),
        )
        self.name.observe(lambda change: self.set_name(change["new"]), names="value")
        self._widget = w.VBox(
            [
                self.name,
                *(f.widget for f in self.forms),
                self.frame(self.check_button, self.result),
            ]
        )

    def set_name(self, name: str) -> None:
        """Keep the student's name in the workbook's course block (the class page shows it)."""
        number = self.exercise

        def edit(wb: Workbook) -> None:
            if wb.course is None:
                wb.course = Course(exercise=number, student=name.strip() or None)
            else:
                wb.course.student = name.strip() or None

        self.session.apply(edit)

    @property
    def widget(self) -> w.Widget:
        return self._widget

    def check(self) -> None:
        self.session.flush()
        result = check_workbook(
            self.session.workbook, self.exercise, folder=self.session.path.parent
        )
        head = esc(
            self.t(
                "score_line",
                title=result.title,
                score=f"{result.score:g}",
                total=f"{result.total:g}",
            )
        )
        if not result.feedback:
            self.result.value = f"<p><b>{head}</b></p><p>{esc(self.t('all_done'))}</p>"
            return
        items = "".join(f"<li>{esc(line)}</li>" for line in result.feedback)
        self.result.value = f"<p><b>{head}</b></p><ul>{items}</ul>"
