"""Pages of the journey area (issue 6)."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp"]

bp = Blueprint("journey", __name__)
