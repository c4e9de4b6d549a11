"""The docs keep up with the code: every command is documented, the CLI reference is current."""

from __future__ import annotations

from pathlib import Path

from diplograph.cli import clidocs

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_up_to_date():
    assert clidocs.DOC_FILE.read_text(encoding="utf-8") == clidocs.render(), (
        "docs/cli.md is stale: run python -m diplograph.cli.clidocs"
    )


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [n for n in clidocs.command_names() if n.count(" ") >= 1]
    assert len(names) >= 10
    missing = [n for n in names if f"`{n}" not in readme]
    assert missing == []


def test_docs_the_readme_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/cli.md", "docs/curation.md", "docs/architecture.md", "docs/queries.md"):
        assert doc in readme
        assert (ROOT / doc).is_file(), doc
