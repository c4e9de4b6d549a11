"""The support check: does each assertion's evidence mention the value it supports?

For every `dg:Assertion` whose object is a curated resource (an entity or a fact, with a
label, aliases or cues), at least one of its excerpts must mention the object by one of
those names (loaders/mentions.py, the rule the loader uses to pick a value's excerpts),
or the assertion must say why it is implied (`dg:implied`). The share of assertions that
pass is `evidence_support`; a build below `EVIDENCE_SUPPORT_THRESHOLD` is refused, with
the file:line of every failing assertion.

Dates, numbers, statuses and quantities are not counted: their names are not curated
(docs/architecture.md, "Evidence per assertion").
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from diplograph.loaders.mentions import mentions

#: The least share of checked assertions an excerpt of their own must support (or that
#: say why they are implied) for a build to be published. Raise it as curation improves;
#: lowering it needs a reason in docs/curation.md.
EVIDENCE_SUPPORT_THRESHOLD = 0.95

_PREFIXES = """
PREFIX dg: <https://w3id.org/diplograph/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
_ASSERTIONS = (
    _PREFIXES
    + """
SELECT ?a ?s ?p ?o ?where ?exact ?implied WHERE {
  GRAPH ?g { ?a a dg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             OPTIONAL { ?a dg:curatedIn ?where }
             OPTIONAL { ?a dg:evidence ?e . ?e dg:exact ?exact }
             OPTIONAL { ?a dg:implied ?implied } }
  FILTER EXISTS { GRAPH ?h { ?o dg:curatedIn ?curated } }
}"""
)
_NAMES = (
    _PREFIXES
    + """
SELECT DISTINCT ?o ?name WHERE {
  GRAPH ?g { ?a a dg:Assertion ; rdf:object ?o }
  GRAPH ?h { { ?o dg:label ?name } UNION { ?o dg:alias ?name } UNION { ?o dg:cue ?name } }
}"""
)


def _value(term) -> str:
    return "" if term is None else term.value


def _where_key(where: str):
    file, _, line = where.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


def evidence_support(store: ox.Store) -> dict:
    """`evidence_support` (0 to 1), the threshold, and every failing assertion."""
    names: dict[str, list[str]] = defaultdict(list)
    for row in store.query(_NAMES):
        names[row["o"].value].append(row["name"].value)
    found: dict[str, dict] = {}
    for row in store.query(_ASSERTIONS):
        item = found.setdefault(
            row["a"].value,
            {
                "assertion": row["a"].value,
                "where": _value(row["where"]),
                "subject": row["s"].value,
                "predicate": row["p"].value,
                "object": row["o"].value,
                "excerpts": [],
                "implied": None,
            },
        )
        if row["exact"] is not None and row["exact"].value not in item["excerpts"]:
            item["excerpts"].append(row["exact"].value)
        if row["implied"] is not None:
            item["implied"] = row["implied"].value
    failing = []
    for item in found.values():
        if item["implied"] is not None:
            continue
        if any(mentions(text, names[item["object"]]) for text in item["excerpts"]):
            continue
        label = (names[item["object"]] or [item["object"]])[0]
        item["message"] = (
            f"no excerpt supports this value ({label}): quote one that names it, or say "
            "'implied: <why>'"
            if not item["excerpts"]
            else f"no excerpt of this value mentions {label} (by its label, aliases or cues)"
        )
        failing.append(item)
    failing.sort(key=lambda i: (_where_key(i["where"]), i["assertion"]))
    total = len(found)
    share = 1.0 if not total else round((total - len(failing)) / total, 4)
    return {
        "evidence_support": share,
        "evidence_support_threshold": EVIDENCE_SUPPORT_THRESHOLD,
        "evidence_assertions": total,
        "unsupported_assertions": failing,
    }


def support_refusal(report: dict) -> str | None:
    """Why a build with this report must be refused for its evidence, or None."""
    share = report.get("evidence_support")
    threshold = report.get("evidence_support_threshold", EVIDENCE_SUPPORT_THRESHOLD)
    if share is None or share >= threshold:
        return None
    failing = report.get("unsupported_assertions", [])
    lines = [
        f"Evidence support is {share:.1%}, below the threshold of {threshold:.0%}: "
        f"{len(failing)} assertion(s) have no excerpt that mentions their value "
        "(add an excerpt to the value, or 'implied: <why>'):"
    ]
    lines += [f"  {i['where']}: {i['message']}" for i in failing]
    return "\n".join(lines)
