"""Texts of the portal pages in French, English and Arabic (see verifier/i18n.py)."""

from __future__ import annotations

__all__ = ["PORTAL_MESSAGES"]

PORTAL_MESSAGES: dict[str, dict[str, str]] = {}
