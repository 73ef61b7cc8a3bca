"""Texts of the journey pages in French, English and Arabic (see verifier/i18n.py)."""

from __future__ import annotations

__all__ = ["JOURNEY_MESSAGES"]

JOURNEY_MESSAGES: dict[str, dict[str, str]] = {}
