"""Texts of the auth pages in French, English and Arabic (see verifier/i18n.py)."""

from __future__ import annotations

__all__ = ["AUTH_MESSAGES"]

AUTH_MESSAGES: dict[str, dict[str, str]] = {}
