"""The public web pages: the seal page a phone camera opens, and the PDF drop page."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp"]

bp = Blueprint("pages", __name__)
