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


def test_lock_pins_every_requirement_within_its_bounds() -> None:
    """requirements.lock (what `make` installs) is in step with pyproject: every runtime and dev requirement is
    pinned, hash-checked, at a version pyproject allows (`make lock` re-resolves it after a change)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line.rstrip(" \\"))
            pins.setdefault(canonicalize_name(requirement.name), []).append(str(requirement.specifier))
    assert "--hash=sha256:" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for spec in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(spec)
        found = pins.get(canonicalize_name(requirement.name))
        assert found, f"{requirement.name} is not in requirements.lock: run `make lock`"
        for pin in found:
            assert pin.startswith("=="), pin
            assert requirement.specifier.contains(pin[2:], prereleases=True), f"{requirement.name}{pin} vs {spec}"
