"""Each row's own evidence: the dg:Assertion (rdf:Statement) nodes beside a page's triples."""

from __future__ import annotations

from diplograph.web.graphdata import Select, iri, run

#: (subject, predicate, object term, graph) -> (exact excerpt texts, why implied or "")
Evidence = dict[tuple, tuple[list[str], str]]


def assertion_evidence(select: Select, subjects) -> Evidence:
    """The excerpts (or implied reason) of every assertion whose subject is in `subjects`."""
    found: Evidence = {}
    for row in run(select, "assertion-evidence", s=[iri(x) for x in sorted(subjects)]):
        key = (row["s"].value, row["p"].value, row["o"], row["g"].value)
        texts, implied = found.setdefault(key, ([], ""))
        if row.get("exact") is not None and row["exact"].value not in texts:
            texts.append(row["exact"].value)
        if row.get("implied") is not None:
            found[key] = (texts, row["implied"].value)
    return found
