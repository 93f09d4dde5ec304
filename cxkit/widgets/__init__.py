"""Forms for students and workshops (ipywidgets): persona builder, journey mapper,
feedback scorer. All forms on one file in a kernel share one editing session
(:class:`cxkit.workbook.editing.EditSession`); every valid change is on disk within 0.6 s.

In a notebook::

    from cxkit.widgets import persona_builder
    persona_builder("clients/acme/workbook.yml")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cxkit.widgets.exercise import ExerciseWorkspace
from cxkit.widgets.journeys import JourneyMapper
from cxkit.widgets.mapeditor import MapEditor
from cxkit.widgets.personas import PersonaBuilder
from cxkit.workbook.editing import MAX_WAIT, EditSession

if TYPE_CHECKING:
    from cxkit.widgets.feedback import FeedbackScorer


def _wait(max_wait: float, delay: float | None) -> float:
    """``delay`` is the old name of ``max_wait`` (it was a debounce; now it is a deadline)."""
    return max_wait if delay is None else delay


def persona_builder(
    path: str | Path, *, max_wait: float = MAX_WAIT, delay: float | None = None
) -> PersonaBuilder:
    """The persona form for the workbook at ``path`` (file or client folder)."""
    return PersonaBuilder(EditSession.open(path, max_wait=_wait(max_wait, delay)))


def journey_mapper(
    path: str | Path | MapEditor,
    *,
    max_wait: float = MAX_WAIT,
    delay: float | None = None,
    with_map: bool = True,
) -> JourneyMapper:
    """The journey form (stages, touchpoints, opportunities, emotion curve), with the map
    editor above it (``with_map=False`` for the form alone). Given a map editor shown
    already, the form is linked to it (notebook 02 shows the map first: it is ready in a
    fraction of the time the detailed form takes)."""
    if isinstance(path, MapEditor):
        return JourneyMapper(path.session, map_editor=path)
    session = EditSession.open(path, max_wait=_wait(max_wait, delay))
    return JourneyMapper(session, with_map=with_map)


def map_editor(
    path: str | Path, *, journey: str | None = None, max_wait: float = MAX_WAIT
) -> MapEditor:
    """The map editor alone: the journey as a grid, edited in place."""
    return MapEditor(EditSession.open(path, max_wait=max_wait), journey)


def feedback_scorer(
    path: str | Path, *, max_wait: float = MAX_WAIT, delay: float | None = None
) -> FeedbackScorer:
    """The survey form: detected format, column roles, live scores by stage."""
    from cxkit.widgets.feedback import FeedbackScorer

    return FeedbackScorer(EditSession.open(path, max_wait=_wait(max_wait, delay)))


def exercise(
    number: int,
    workbook: str | Path,
    starter: str | Path,
    *,
    max_wait: float = MAX_WAIT,
    delay: float | None = None,
) -> ExerciseWorkspace:
    """An exercise: the student's copy of ``starter`` (made once), its forms, a check button."""
    from cxkit.course.exercises import prepare_workspace

    path = prepare_workspace(starter, workbook)
    return ExerciseWorkspace(EditSession.open(path, max_wait=_wait(max_wait, delay)), number)


__all__ = [
    "ExerciseWorkspace",
    "FeedbackScorer",
    "JourneyMapper",
    "MapEditor",
    "PersonaBuilder",
    "exercise",
    "feedback_scorer",
    "journey_mapper",
    "map_editor",
    "persona_builder",
]
