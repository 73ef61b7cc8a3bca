"""Texts of the timeline pages in French, English and Arabic (see verifier/i18n.py)."""

from __future__ import annotations

__all__ = ["TIMELINE_MESSAGES"]

TIMELINE_MESSAGES: dict[str, dict[str, str]] = {}
