"""Forms for students and workshops (ipywidgets): persona builder, journey mapper,
feedback scorer. Each is bound to one workbook file and autosaves every valid change.

In a notebook::

    from cxkit.widgets import persona_builder
    persona_builder("clients/acme/workbook.yml")
"""

from __future__ import annotations

from pathlib import Path

from cxkit.editing import EditSession
from cxkit.widgets.journeys import JourneyMapper
from cxkit.widgets.personas import PersonaBuilder


def persona_builder(path: str | Path, *, delay: float = 0.5) -> PersonaBuilder:
    """The persona form for the workbook at ``path`` (file or client folder)."""
    return PersonaBuilder(EditSession.open(path, delay=delay))


def journey_mapper(path: str | Path, *, delay: float = 0.5) -> JourneyMapper:
    """The journey form (stages, touchpoints, opportunities, emotion curve)."""
    return JourneyMapper(EditSession.open(path, delay=delay))


__all__ = ["JourneyMapper", "PersonaBuilder", "journey_mapper", "persona_builder"]
