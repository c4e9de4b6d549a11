"""Disagreements on a page: each with its sides, who claims what, on which source's report."""

from __future__ import annotations

import pyoxigraph as ox

from diplograph.web import display
from diplograph.web.entity_view import Dispute, Side, href
from diplograph.web.graphdata import DG
from diplograph.web.reader import Reader


def disputes(describer: Reader, iri: str, inc) -> list[Dispute]:
    """The disagreements about `iri`, that dispute it, or that it is."""
    q = describer.q
    found = {s for s, p, _g in inc if p in (DG + "about", DG + "disputes")}
    found |= {o.value for o in q.objects(iri, "disputes")}
    found |= {iri}
    return disputes_of(
        describer, sorted(d for d in found if "Disagreement" in q.types.get(d, set()))
    )


def disputes_of(describer: Reader, disagreements: list[str]) -> list[Dispute]:
    """Each disagreement with its sides: who claims what, on which source's report."""
    q = describer.q
    q.fetch(describer.select, disagreements)
    sides_of = {d: [o.value for o in q.objects(d, "disputes")] for d in disagreements}
    facts = {f for fs in sides_of.values() for f in fs}
    q.fetch(describer.select, facts)
    describer.load_nested(facts)
    q.fetch_labels(describer.select, {o for f in facts for o in q.iri_objects(f)})
    out = []
    for d in disagreements:
        sides = [side(describer, f) for f in sides_of[d]]
        desc = q.text(d, "description") or ""
        out.append(Dispute(q.label(d), href(d) or "", desc, sides))
    return out


def side(describer: Reader, fact: str) -> Side:
    q = describer.q
    who_iri = q.value(fact, "claimant") or q.value(fact, "speaker")
    graphs = [g for _p, _o, g in q.quads(fact, "source")]
    if who_iri is not None:
        who = q.label(who_iri.value)
    else:
        who = ", ".join(s.source_label for s in describer.support(fact, graphs))
    says = q.text(fact, "text") or ""
    prop = q.text(fact, "claimedProperty")
    value = q.value(fact, "claimedValue") or q.value(fact, "claimedLiteral")
    if prop and value is not None:
        shown = q.label(value.value) if isinstance(value, ox.NamedNode) else value.value
        says = f"{display.term_label(prop[len(DG) :])}: {shown}" + (f" — “{says}”" if says else "")
    elif not says:
        says = q.label(fact)
    return Side(describer.node(fact), who, says, describer.support(fact, graphs))
