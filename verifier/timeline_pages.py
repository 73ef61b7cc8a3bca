"""Pages of the timeline area (issue 6)."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp"]

bp = Blueprint("timeline", __name__)
