"""`diplograph draft`: draft an article's facts for review, and promote a reviewed draft."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import click

from diplograph.cli.build import load_graphs
from diplograph.data import DATA_DIR
from diplograph.draft.article import Article, draft_article
from diplograph.draft.files import (
    PromoteError,
    drafts_dir,
    facts_yaml,
    promoted_facts,
    read_draft,
    source_entry,
    write_draft,
)
from diplograph.loaders.errors import CurationError
from diplograph.loaders.excerpts import default_sources_dir


class _DraftGroup(click.Group):
    """`draft TEXT_FILE ...` drafts; `draft promote ID` promotes (a text file is no command)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["new", *args]
        return super().parse_args(ctx, args)


@click.group("draft", cls=_DraftGroup)
def draft() -> None:
    """Draft sourced facts from an article's text (`draft TEXT_FILE --id ID --date DATE`),
    review them in the YAML (or at /drafts/ID with FLASK_CURATION=true), then promote."""


@draft.command("new")
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--id", "source_id", required=True, help="The new source's id.")
@click.option(
    "--date",
    "published",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Publication date (relative dates resolve against it).",
)
@click.option("--publisher", default=None, help="The publisher's organisation id.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Draft file.")
@click.option(
    "--exclude-source",
    default=None,
    help="Do not read this source's facts file (the bench drafts a curated source afresh).",
)
def draft_new(text_file, source_id, published, publisher, data_dir, out, exclude_source) -> None:
    """Draft TEXT_FILE into data/drafts/ID.yaml (default) and print a summary."""
    data = Path(data_dir or DATA_DIR)
    art = Article(
        source_id,
        Path(text_file).read_text(encoding="utf-8"),
        published.date(),
        publisher,
        Path(text_file).name,
    )
    doc = draft_article(art, data, exclude_source)
    path = write_draft(doc, Path(out) if out else drafts_dir(data) / f"{source_id}.yaml")
    kinds: dict[str, int] = {}
    for fact in doc["facts"]:
        kinds[str(fact.get("type") or "event (known)")] = kinds.get(str(fact.get("type")), 0) + 1
    click.echo(f"Wrote {path}: a draft, not published until promoted.")
    click.echo(f"  known entities mentioned  {len(doc['mentions']):>4}")
    click.echo(f"  new entity candidates     {len(doc['new_entities']):>4}")
    click.echo(f"  dates                     {len(doc['dates']):>4}")
    for kind, count in sorted(kinds.items()):
        click.echo(f"  {kind:<25} {count:>4}")


@draft.command("promote")
@click.argument("source_id")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None)
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False), default=None)
@click.option(
    "--evidence",
    type=click.Choice(["per-value", "record"]),
    default="per-value",
    show_default=True,
    help="Keep each value's excerpt beside it, or fold them into the record's excerpt list.",
)
@click.option("--drop-pending", is_flag=True, help="Promote the accepted, drop the unreviewed.")
def draft_promote(source_id, data_dir, sources_dir, evidence, drop_pending) -> None:
    """Validate the reviewed draft ID and move its accepted facts to data/facts/ID.yaml."""
    data = Path(data_dir or DATA_DIR)
    path = drafts_dir(data) / f"{source_id}.yaml"
    if not path.is_file():
        raise click.ClickException(f"no draft at {path}")
    if (data / "facts" / f"{source_id}.yaml").exists():
        raise click.ClickException(f"data/facts/{source_id}.yaml exists: nothing promoted")
    doc = read_draft(path)
    try:
        facts = facts_yaml(promoted_facts(doc, evidence, drop_pending))
    except PromoteError as exc:
        raise click.ClickException(str(exc)) from exc
    sources = Path(sources_dir) if sources_dir else default_sources_dir()
    known = source_id in (data / "sources.yaml").read_text(encoding="utf-8")
    entry = "" if known else source_entry(doc)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data, trial, ignore=shutil.ignore_patterns("drafts"))
        _place(trial, source_id, facts, entry)
        try:
            load_graphs(trial, sources_dir=sources)
        except CurationError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s): the draft stays a draft.", err=True)
            sys.exit(1)
    _place(data, source_id, facts, entry)
    path.unlink()
    click.echo(f"Promoted {source_id}: data/facts/{source_id}.yaml; run `diplograph build`.")


def _place(data: Path, source_id: str, facts: str, entry: str) -> None:
    (data / "facts" / f"{source_id}.yaml").write_text(facts, encoding="utf-8")
    if entry:
        with open(data / "sources.yaml", "a", encoding="utf-8") as fh:
            fh.write(entry)


__all__ = ["draft"]
