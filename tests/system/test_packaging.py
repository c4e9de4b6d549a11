"""The package as users get it: the editable install maps every folder, a wheel holds every
module and data file (and no glob in pyproject.toml is dead), and the wheel installed into a
fresh virtual environment builds and publishes the real data from outside the checkout."""

from __future__ import annotations

import fnmatch
import importlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = CONFIG["tool"]["setuptools"]
MAPPED: dict[str, str] = SETUPTOOLS["package-dir"]  # diplograph.loaders -> loaders
PACKAGE_DATA: dict[str, list[str]] = SETUPTOOLS["package-data"]
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def _files(folder: str) -> list[Path]:
    """Every file of a mapped folder, as the checkout has it (no caches)."""
    return sorted(
        p
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def test_every_mapped_folder_is_a_listed_package():
    assert sorted(SETUPTOOLS["packages"]) == sorted(MAPPED)


@pytest.mark.parametrize("package", sorted(MAPPED))
def test_the_editable_install_maps_each_package_to_its_folder(package):
    module = importlib.import_module(package)
    assert Path(module.__file__).resolve() == ROOT / MAPPED[package] / "__init__.py"


@pytest.mark.parametrize("package", sorted(PACKAGE_DATA))
def test_every_package_data_glob_matches_a_file(package):
    folder = ROOT / MAPPED[package]
    for pattern in PACKAGE_DATA[package]:
        assert list(folder.glob(pattern)), f"{package}: {pattern!r} matches nothing (dead glob)"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built as `pip wheel` builds it (setuptools from pyproject's build-system, isolated),
    from a copy of what the wheel is made of, so no build/ is left in the checkout."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for folder in MAPPED.values():
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("diplograph-*.whl")
    return path


@pytest.fixture(scope="module")
def wheel_names(wheel) -> set[str]:
    return set(zipfile.ZipFile(wheel).namelist())


def test_every_module_and_data_file_is_in_the_wheel(wheel_names):
    """Each file of a mapped folder ships, except what no code reads at run time."""
    missing = []
    for package, folder in MAPPED.items():
        prefix = package.replace(".", "/")
        for path in _files(folder):
            if f"{prefix}/{path.relative_to(ROOT / folder).as_posix()}" not in wheel_names:
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, "not in the wheel (add a package-data glob):\n" + "\n".join(missing)


def test_the_wheel_holds_nothing_but_the_package(wheel_names):
    strays = [
        n
        for n in wheel_names
        if not n.startswith(("diplograph/", "diplograph-")) or fnmatch.fnmatch(n, "*__pycache__*")
    ]
    assert not strays


@pytest.mark.slow
def test_the_installed_wheel_builds_and_publishes_the_real_data(wheel, tmp_path):
    """A fresh venv of the same interpreter sees the project's dependencies (a .pth file
    naming .venv's site-packages: no download) but not the checkout; the wheel is the only
    diplograph it has."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # A path in a .pth line is appended to sys.path; the .pth files inside it (the
    # editable finder among them) are not run.
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + ["--no-index", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    work = tmp_path / "elsewhere"  # not the checkout, so nothing is found from the cwd
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DIPLOGRAPH_"))}
    env["DIPLOGRAPH_HOME"] = str(tmp_path / "instance")
    if SHARED_SOURCES.is_dir():
        env["DIPLOGRAPH_SOURCES"] = str(SHARED_SOURCES)

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )

    where = run(
        str(python),
        "-c",
        "import diplograph.cli, diplograph.web; "
        "print(diplograph.cli.__file__); print(diplograph.web.__file__)",
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert Path(line).is_relative_to(venv), f"imported from outside the venv: {line}"

    version = run(str(venv / "bin" / "diplograph"), "--version")
    assert version.returncode == 0, version.stderr
    assert CONFIG["project"]["version"] in version.stdout

    built = run(str(venv / "bin" / "diplograph"), "build", timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    current = tmp_path / "instance" / "current"
    assert current.is_symlink() or current.is_dir(), sorted(os.listdir(tmp_path / "instance"))
    assert (current / "manifest.json").is_file() and (current / "graph.nq").stat().st_size > 0
    assert any((current / "exports").iterdir())
