"""`sceau issue | revoke | verify | demo | tokens | gc`: the service's work from a shell."""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]

COMMANDS: list[click.Command] = []
