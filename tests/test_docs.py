"""The documentation stays true to the code."""

from __future__ import annotations

import re

from conftest import ROOT

from pipeline.diagnostics import CODES


def test_authoring_guide_lists_every_diagnostic_code_as_the_code_defines_it() -> None:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([A-Z]\d{3}) \| (\w+) \| (.+?) \|$", guide, re.MULTILINE)
    documented = {code: (severity, meaning) for code, severity, meaning in rows}
    defined = {code: (str(sev), meaning) for code, (sev, meaning) in CODES.items()}
    assert documented == defined


def test_readme_names_the_commands_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m nox -s lint typecheck tests"
    assert command in readme
    assert command in ci
