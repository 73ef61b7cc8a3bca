"""Pages of the admin area (issue 5)."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp"]

bp = Blueprint("admin", __name__)
