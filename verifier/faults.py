"""Pause points for the fault tests (tests/fault/): hold a process where a crash hurts most.

``SCEAU_FAULT_PAUSE=point=/path/marker`` (Settings.fault_pause): when the process reaches the
named point it writes its pid into the marker file and waits there until it is killed. The
test waits for the marker, not for a guessed delay, then sends SIGKILL. Unset (always, outside
the fault tests), a pause point costs one attribute read.

Points: ``issue-before-commit`` (the certificate's PDF is in the blob store, its rows and log
leaf are not committed) and ``pack-after-blob`` (the pack's ZIP is in the blob store, the build
row does not say done yet).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import current_app, has_app_context

from verifier.config import settings_of

__all__ = ["POINTS", "pause_point"]

POINTS = ("issue-before-commit", "pack-after-blob")


def pause_point(name: str) -> None:
    """Hold here forever when the settings name this point (see the module's docstring)."""
    if not has_app_context():
        return
    spec = settings_of(current_app).fault_pause
    if not spec:
        return
    point, _, marker = spec.partition("=")
    if point != name or not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="ascii")
    while True:  # until SIGKILL: that is the point
        time.sleep(60)
