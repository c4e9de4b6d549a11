"""A wheel holds the whole package: every subpackage and every data file the code reads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


MAPPED = {
    "loaders": "diplograph.loaders",
    "web": "diplograph.web",
    "ontology": "diplograph.ontology",
    "shapes": "diplograph.shapes",
    "queries": "diplograph.queries",
    "data": "diplograph.data",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("diplograph-*.whl")
    return set(zipfile.ZipFile(path).namelist())


def test_every_python_package_is_in_the_wheel(wheel):
    for folder, package in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.relative_to(ROOT / folder).parent.as_posix()
            dotted = package + ("" if rel == "." else "." + rel.replace("/", "."))
            expected = dotted.replace(".", "/") + "/__init__.py"
            assert expected in wheel, f"{dotted} is missing from the wheel"


@pytest.mark.parametrize(
    "folder, pattern",
    [
        ("ontology", "*.ttl"),
        ("shapes", "*.ttl"),
        ("queries", "*.rq"),
        ("queries/internal", "*.rq"),
        ("data/facts", "*.yaml"),
        ("data/entities", "*.yaml"),
        ("web/templates", "*.html"),
    ],
)
def test_data_files_are_in_the_wheel(wheel, folder, pattern):
    files = list((ROOT / folder).glob(pattern))
    assert files, folder
    prefix = "diplograph/" + folder
    for path in files:
        assert f"{prefix}/{path.name}" in wheel, path
