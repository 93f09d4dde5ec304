"""Forms for students and workshops (ipywidgets): persona builder, journey mapper,
feedback scorer. Each is bound to one workbook file and autosaves every valid change.

In a notebook::

    from cxkit.widgets import persona_builder
    persona_builder("clients/acme/workbook.yml")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cxkit.widgets.exercise import ExerciseWorkspace
from cxkit.widgets.journeys import JourneyMapper
from cxkit.widgets.personas import PersonaBuilder
from cxkit.workbook.editing import EditSession

if TYPE_CHECKING:
    from cxkit.widgets.feedback import FeedbackScorer


def persona_builder(path: str | Path, *, delay: float = 0.5) -> PersonaBuilder:
    """The persona form for the workbook at ``path`` (file or client folder)."""
    return PersonaBuilder(EditSession.open(path, delay=delay))


def journey_mapper(path: str | Path, *, delay: float = 0.5) -> JourneyMapper:
    """The journey form (stages, touchpoints, opportunities, emotion curve)."""
    return JourneyMapper(EditSession.open(path, delay=delay))


def feedback_scorer(path: str | Path, *, delay: float = 0.5) -> FeedbackScorer:
    """The survey form: detected format, column roles, live scores by stage."""
    from cxkit.widgets.feedback import FeedbackScorer

    return FeedbackScorer(EditSession.open(path, delay=delay))


def exercise(
    number: int, workbook: str | Path, starter: str | Path, *, delay: float = 0.5
) -> ExerciseWorkspace:
    """An exercise: the student's copy of ``starter`` (made once), its forms, a check button."""
    from cxkit.course.exercises import prepare_workspace

    path = prepare_workspace(starter, workbook)
    return ExerciseWorkspace(EditSession.open(path, delay=delay), number)


__all__ = [
    "ExerciseWorkspace",
    "FeedbackScorer",
    "JourneyMapper",
    "PersonaBuilder",
    "exercise",
    "feedback_scorer",
    "journey_mapper",
    "persona_builder",
]
