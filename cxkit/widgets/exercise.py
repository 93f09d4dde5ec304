"""An exercise page: the forms the exercise needs, on one shared workbook, and a
"check my work" button that shows the rubric's score and specific feedback."""

from __future__ import annotations

import ipywidgets as w

from cxkit.course.exercises import check_workbook, get_rubric
from cxkit.widgets._common import Form, esc
from cxkit.widgets.journeys import JourneyMapper
from cxkit.widgets.personas import PersonaBuilder
from cxkit.workbook.editing import EditSession

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
        self._widget = w.VBox(
            [*(f.widget for f in self.forms), self.frame(self.check_button, self.result)]
        )

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
