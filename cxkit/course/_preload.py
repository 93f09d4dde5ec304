"""Imported once by the server that bounded readers fork from (cxkit.course.bounded):
everything a reader needs is loaded and warm before any submission is read."""

from __future__ import annotations

import cxkit.scoring.scores
import cxkit.surveys.responses  # noqa: F401 - the survey readers
from cxkit.course.classroom import assess_path  # noqa: F401 - what the children run
from cxkit.course.exercises import warm

warm()
