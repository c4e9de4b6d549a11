"""Catalogue parameters a person can fill in: an entity by its name, results in words.

An `entity` parameter takes an id (`xi-jinping`), its IRI, or a name as people type it
("Xi Jinping", "Besant"): a name that finds one entity clearly best is bound to it; one
that finds none, or several as good, is refused with the candidates, never run to give a
silent "No rows". Result cells read as the entity pages do: labels for IRIs, numbers
grouped, durations in words, units by their label.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from diplograph.queries import catalogue as cat
from diplograph.web import display
from diplograph.web.graphdata import DG, local_id
from diplograph.web.names import NameIndex

CLEAR_LEAD = 0.1  # the best hit must beat the next by this much to be taken for the name


@dataclass
class Resolved:
    values: dict[str, str]  # parameter -> entity id, for every entity parameter resolved
    errors: list[str]


def resolve(query: cat.Query, given: dict[str, str], index: NameIndex) -> Resolved:
    known = {local_id(e.iri): e for e in index.entries}
    values, errors = dict(given), []
    for p in query.params:
        text = given.get(p.name, "").strip()
        if p.type != "entity" or not text:
            continue
        as_id = text.removeprefix(cat.ID_BASE)
        if as_id in known:
            values[p.name] = as_id
            continue
        hits = index.search(text, limit=5)
        if hits and (len(hits) == 1 or hits[0].score - hits[1].score >= CLEAR_LEAD):
            values[p.name] = local_id(hits[0].entry.iri)
        elif hits:
            names = "; ".join(f"{h.entry.label} ({local_id(h.entry.iri)})" for h in hits)
            errors.append(f"“{text}” could name several entities: {names}. Pick one.")
        else:
            errors.append(f"No entity is called “{text}”. Try another spelling, or search.")
    return Resolved(values, errors)


def labels_for(index: NameIndex) -> dict[str, str]:
    return {e.iri: e.label for e in index.entries}


def cell(term, labels: dict[str, str]) -> dict:
    """A table cell as a reader wants it; `sort` keeps the raw value for sorting."""
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        value = term.value
        if value.startswith(cat.ID_BASE):
            label = labels.get(value) or local_id(value)
            return {"text": label, "href": f"/id/{local_id(value)}", "title": local_id(value)}
        if value.startswith(DG):
            return {"text": display.term_label(value[len(DG) :]), "title": value}
        return {"text": value, "title": value}
    if isinstance(term, ox.Literal):
        text = display.literal_text(term.value, term.datatype.value)
        return {"text": text, "sort": term.value} if text != term.value else {"text": text}
    return {"text": str(term.value)}
