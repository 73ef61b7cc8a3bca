"""The Dockerfile, read instruction by instruction, since `docker build` cannot run here.

What an operator relies on: the image starts from the supported base, runs without root,
answers the orchestrator's health check, migrates before serving with gunicorn, and builds at
all (every file it copies from the context exists and .dockerignore keeps it in).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "python:3.11-slim-bookworm"


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse(text: str) -> list[Stage]:
    """Instructions of each stage (continuations joined, comments dropped)."""
    stages: list[Stage] = []
    logical = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not logical and (not line or line.startswith("#")):
            continue
        if logical and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        keyword, _, args = logical.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        logical = ""
        if keyword == "FROM":
            words = args.split()
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            assert stages, f"{keyword} before any FROM"
            stages[-1].instructions.append((keyword, args))
    return stages


def command_text(args: str) -> str:
    """A CMD/ENTRYPOINT/RUN in exec form (JSON) or shell form, as one string."""
    if args.startswith("["):
        return " ".join(json.loads(args))
    return args


def copy_sources(args: str) -> list[str] | None:
    """The context paths a COPY/ADD names; None when it copies from another stage."""
    words = shlex.split(args)
    flags = [w for w in words if w.startswith("--")]
    if any(flag.startswith("--from") for flag in flags):
        return None
    paths = [w for w in words if not w.startswith("--")]
    if paths and paths[0].startswith("["):
        paths = json.loads(" ".join(paths))
    return paths[:-1]


def _pattern(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            if pattern.startswith("/", i):
                out = out[:-2] + "(?:.*/)?"
                i += 1
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)


def excluded(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders wins."""
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = _pattern(raw.lstrip("!").strip("/"))
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            verdict = not negate
    return verdict


def dockerignore() -> list[str]:
    path = ROOT / ".dockerignore"
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse((ROOT / "Dockerfile").read_text())


def test_every_stage_starts_from_the_supported_python_image(stages: list[Stage]) -> None:
    assert len(stages) >= 2, "multi-stage: a builder stage, then the runtime image"
    names = {stage.name for stage in stages if stage.name}
    for stage in stages:
        assert stage.base == BASE or stage.base in names, stage.base


def test_the_builder_compiles_the_catalogues_and_builds_a_wheel(stages: list[Stage]) -> None:
    builder = " ".join(command_text(run) for stage in stages[:-1] for run in stage.all("RUN"))
    assert "pybabel compile -d verifier/translations" in builder
    assert re.search(r"pip wheel|python -m build", builder)
    final = stages[-1]
    assert any("--from=" in copy for copy in final.all("COPY")), "the wheels come from the builder"


def test_the_image_runs_as_a_user_that_is_not_root(stages: list[Stage]) -> None:
    users = stages[-1].all("USER")
    assert users, "the final stage sets no USER: the server would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_fonts_are_installed_in_the_image(stages: list[Stage]) -> None:
    runs = " ".join(command_text(run) for run in stages[-1].all("RUN"))
    assert "fonts-dejavu-core" in runs


def test_the_health_check_asks_healthz(stages: list[Stage]) -> None:
    checks = stages[-1].all("HEALTHCHECK")
    assert len(checks) == 1
    assert "/healthz" in checks[0]
    assert not checks[0].upper().startswith("NONE")


def test_the_container_migrates_then_serves_with_gunicorn(stages: list[Stage]) -> None:
    final = stages[-1]
    starts = [command_text(x) for x in final.all("ENTRYPOINT") + final.all("CMD")]
    assert starts, "no ENTRYPOINT or CMD"
    command = " ".join(starts)
    migrate = re.search(r"sceau (init|db upgrade)", command)
    serve = command.find("sceau serve --production")
    assert migrate is not None, command
    assert serve > migrate.start(), "migrations must run before the server starts"
    assert "&&" in command[migrate.end() : serve], "a failed migration must not start the server"


def test_every_file_copied_from_the_context_exists_and_is_not_ignored(
    stages: list[Stage],
) -> None:
    patterns = dockerignore()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    copied = 0
    for stage in stages:
        for keyword in ("COPY", "ADD"):
            for args in stage.all(keyword):
                for source in copy_sources(args) or []:
                    path = ROOT / source
                    assert path.exists(), f"{keyword} {source}: not in the repository"
                    assert not excluded(source, patterns), f"{source} is in .dockerignore"
                    if path.is_dir():
                        inside = [f for f in tracked if f.startswith(source.rstrip("/") + "/")]
                        assert inside, f"{source}: no file of the repository in it"
                        dropped = [f for f in inside if excluded(f, patterns)]
                        assert not dropped, f".dockerignore drops files of {source}: {dropped}"
                    copied += 1
    assert copied >= 5


def test_the_ignore_rules_read_as_docker_reads_them() -> None:
    patterns = ["**/__pycache__", "instance", "*.egg-info", "docs", "!docs/keep.md"]
    assert excluded("verifier/__pycache__/x.pyc", patterns)
    assert excluded("instance/keys/seal.pem", patterns)
    assert not excluded("verifier/instance.py", patterns)
    assert excluded("sceau.egg-info/PKG-INFO", patterns)
    assert excluded("docs/operations.md", patterns)
    assert not excluded("docs/keep.md", patterns)
