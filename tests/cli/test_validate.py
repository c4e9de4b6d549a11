"""`diplograph validate`: curation errors come out in the format asked for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli.main import main

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "minimal"


@pytest.fixture
def broken(tmp_path) -> Path:
    """The minimal data with one facts file that is not YAML."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "facts" / "broken.yaml").write_text("records: [unclosed\n", encoding="utf-8")
    return data


def run(data: Path, fmt: str):
    args = ["validate", str(data), "--format", fmt, "--no-owl", "--skip-excerpts"]
    return CliRunner().invoke(main, args)


def test_regression_validate_json_ignored_the_format_for_curation_errors(broken):
    result = run(broken, "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False and report["stage"] == "curation"
    [problem] = report["violations"]
    assert problem["file"].endswith("broken.yaml") and problem["line"] >= 1
    assert problem["rule"] == "yaml" and problem["message"]


def test_regression_validate_html_ignored_the_format_for_curation_errors(broken):
    result = run(broken, "html")
    assert result.exit_code == 1
    assert '<section class="validation-report">' in result.stdout
    assert "broken.yaml:" in result.stdout and "does not conform" in result.stdout


def test_curation_errors_as_text_stay_on_stderr(broken):
    result = run(broken, "text")
    assert result.exit_code == 1 and result.stdout == ""
    assert "broken.yaml:" in result.stderr and "problem(s) in the curated data" in result.stderr
