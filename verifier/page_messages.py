"""Texts of the web pages, in French, English and Arabic (see verifier/i18n.py)."""

from __future__ import annotations

__all__ = ["PAGE_MESSAGES"]

PAGE_MESSAGES: dict[str, dict[str, str]] = {}
