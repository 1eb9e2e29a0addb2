"""environment.yml (conda users) must list exactly pyproject's dependencies, with the same lower bounds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {r.split(">=")[0].strip().lower(): r.replace(" ", "").lower() for r in reqs}


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    deps += [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python-")]
    return {d.split(">=")[0].strip().lower(): d.replace(" ", "").lower() for d in deps}


def test_environment_yml_mirrors_pyproject() -> None:
    assert _conda() == _requirements()


def test_environment_yml_pins_python_like_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]
