"""Draft files: written beside the curated data, and turned into a facts file on promotion.

The draft YAML is the one place of truth for a review: a curator sets each
candidate's `review` to `accept` or `reject`. Promotion keeps the accepted facts,
drops the review fields, and either keeps per-value evidence (`{id: x, excerpt: ...}`)
or folds it into the record's `excerpt` list (`evidence="record"`).
"""

from __future__ import annotations

from pathlib import Path

import yaml

DRAFT_KEYS = ("review", "confidence", "offset", "match")
HEADER = (
    "# Draft of {id}, made by `diplograph draft`: candidates for review, never published.\n"
    "# Set each candidate's `review` to accept or reject, fix what is wrong, then run\n"
    "# `diplograph draft promote {id}`. Offsets count characters in the source text.\n"
)


class PromoteError(ValueError):
    pass


def drafts_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "drafts"


def write_draft(doc: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(HEADER.format(id=doc["source"]) + body, encoding="utf-8")
    return path


def located_excerpts(value):
    """(offset, excerpt) of every candidate in a draft, however deep: what a curator and
    the quality benchmark check against the article's text."""
    if isinstance(value, dict):
        if "offset" in value and "excerpt" in value:
            ex = value["excerpt"]
            yield value["offset"], ex[0] if isinstance(ex, list) else ex
        for v in value.values():
            yield from located_excerpts(v)
    elif isinstance(value, list):
        for v in value:
            yield from located_excerpts(v)


def read_draft(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _clean(value, excerpts: list[str], evidence: str):
    if isinstance(value, list):
        return [_clean(v, excerpts, evidence) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _clean(v, excerpts, evidence) for k, v in value.items() if k not in DRAFT_KEYS}
    if evidence == "record" and "excerpt" in out and set(out) & {"id", "value", "agent"}:
        excerpts.append(out.pop("excerpt"))
        if set(out) in ({"id"}, {"value"}):
            return next(iter(out.values()))
    return out


def promoted_facts(doc: dict, evidence: str = "per-value", drop_pending: bool = False) -> dict:
    """The facts file a reviewed draft becomes; PromoteError names what is still pending."""
    pending = [f["id"] for f in doc.get("facts", []) if f.get("review") not in ("accept", "reject")]
    if pending and not drop_pending:
        raise PromoteError(f"{len(pending)} candidate(s) not reviewed: {', '.join(pending)}")
    facts = []
    for fact in doc.get("facts", []):
        if fact.get("review") != "accept":
            continue
        values: list[str] = []
        record = {k: _clean(v, values, evidence) for k, v in fact.items() if k not in DRAFT_KEYS}
        if evidence == "record":
            excerpts = [e for e in record.get("excerpt", []) if isinstance(e, str)]
            short = [v for v in values if not any(v in e for e in excerpts)]
            record["excerpt"] = excerpts + [v for v in dict.fromkeys(short) if len(v) > 12]
        facts.append(record)
    if not facts:
        raise PromoteError("no candidate is accepted: nothing to promote")
    return {"source": doc["source"], "facts": facts}


def facts_yaml(facts: dict) -> str:
    return yaml.safe_dump(facts, sort_keys=False, allow_unicode=True, width=100)


def source_entry(doc: dict) -> str:
    """The draft's source record, as an entry to append to sources.yaml."""
    return "\n" + yaml.safe_dump([doc["source_record"]], sort_keys=False, allow_unicode=True)
