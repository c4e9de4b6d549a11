"""The review page of a draft (`/drafts/<id>`): local curation only, never public.

The app registers this blueprint only when its CURATION setting is true
(`FLASK_CURATION=true diplograph serve`). The page shows the article with every
candidate highlighted and linked to its entity, and the candidates with the review
mark each has in the draft YAML, which stays the one place a review is written.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup, escape

from diplograph.data import DATA_DIR
from diplograph.draft.files import drafts_dir, read_draft
from diplograph.loaders.curated import ID_PATTERN
from diplograph.loaders.excerpts import default_sources_dir

bp = Blueprint("drafts", __name__)


def _spans(doc: dict) -> list[tuple[int, int, str, str | None]]:
    """(start, end, kind, entity id) for every highlighted candidate."""
    spans = []
    for group in doc.get("mentions", []):
        for occ in group["occurrences"]:
            spans.append((occ["offset"], len(occ["excerpt"]), "mention", group["entity"]))
    for cand in doc.get("new_entities", []):
        for occ in cand["occurrences"]:
            spans.append((occ["offset"], len(occ["excerpt"]), "new", None))
    for date in doc.get("dates", []):
        spans.append((date["offset"], len(date["excerpt"]), "date", None))
    return [(s, s + n, kind, eid) for s, n, kind, eid in spans]


def highlight(text: str, doc: dict) -> Markup:
    """The text, escaped, with candidates marked (the first of overlapping spans wins)."""
    out, pos = [], 0
    for start, end, kind, eid in sorted(_spans(doc)):
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        inner = escape(text[start:end])
        if eid:
            inner = Markup('<a href="/id/{}">{}</a>').format(eid, inner)
        out.append(Markup('<mark class="{}" data-offset="{}">{}</mark>').format(kind, start, inner))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


@bp.route("/drafts/<source_id>")
def draft_page(source_id: str):
    if not ID_PATTERN.match(source_id):
        abort(404)
    data = Path(current_app.config.get("DATA_DIR") or DATA_DIR)
    path = drafts_dir(data) / f"{source_id}.yaml"
    if not path.is_file():
        abort(404)
    doc = read_draft(path)
    sources = current_app.config.get("SOURCES_DIR") or default_sources_dir()
    file = doc.get("source_record", {}).get("file")
    text_path = Path(sources) / file if sources and file else None
    if text_path is None or not text_path.is_file():
        abort(404, description=f"the source text {file} is not in the sources folder")
    text = text_path.read_text(encoding="utf-8")
    return render_template(
        "draft.html", doc=doc, article=highlight(text, doc), draft_path=str(path)
    )
