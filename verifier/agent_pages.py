"""Pages of the agent area (issue 5)."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp"]

bp = Blueprint("agent", __name__)
