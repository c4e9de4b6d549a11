"""OWL consistency checking with HermiT through owlready2, on a summary of the data.

HermiT over a million quads takes minutes, yet our ontology constrains an individual
only through what is said of it: its classes, the properties it is the subject or object
of (with their domains, ranges, super-properties, inverses, symmetry and transitivity),
owl:sameAs, disjoint classes and datatype ranges. No functional property, cardinality,
value restriction, key, nominal or property chain ties one individual's consistency to
another's. So, as in SHER (Dolby et al., "Scalable semantic retrieval through
summarization and refinement"), individuals merged by owl:sameAs and grouped by their
signature (classes, outgoing and incoming object properties, data properties) stand or
fall together: HermiT checks one representative per signature, linked to and from fresh
untyped individuals (a real neighbour has at least their types), plus every distinct
(data property, literal) pair on one holder per property (a literal's validity does not
depend on its subject). The fragment is checked at run time, from the ontology; outside
it, HermiT gets the whole data and the report says why.

What HermiT gets is reduced either way: terms from the aligned vocabularies carry no
axioms here, annotations have no meaning for consistency, plain strings of properties
whose range is a string cannot clash, and HermiT only knows the OWL 2 datatype map
(xsd:date, gYear, gYearMonth or duration literals are dropped: no axiom constrains
those values; SHACL checks them). A dropped literal still types its subject with the
property's domains. owlready2 does not read Turtle, so HermiT gets N-Triples.

HermiT says only *that* a graph is inconsistent, and owlready2's Pellet (which can
explain) needs a newer Java than the build runs on; so when HermiT refuses the data,
`owl_explain` finds the clashing signatures in the summary and names their real members
(with their curated file:line), or the subjects of a literal outside its range.

The pieces: owl_terms.py (the RDF/OWL terms read), owl_schema.py (the ontology's
statements and the fragment test), abox_summary.py (the signatures and what HermiT
gets), hermit.py (running it), owl_explain.py (why a graph is inconsistent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph

from diplograph.ontology import ONTOLOGY_IRI
from diplograph.ontology.abox_delta import Summary, updated
from diplograph.ontology.abox_summary import Scan, Signatures, full_triples, summary_triples
from diplograph.ontology.hermit import run_hermit
from diplograph.ontology.owl_explain import MAX_LINES, explain_inconsistency, findings
from diplograph.ontology.owl_schema import Schema
from diplograph.ontology.terms import to_ox, to_rdflib


@dataclass
class ReasonerReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    explanation: str = ""
    #: individuals in the data (with a class, property or owl:sameAs HermiT can use)
    individuals: int = 0
    #: signatures they fall into: the representatives HermiT checks when summarised
    signatures: int = 0
    #: HermiT checked the summary; otherwise the whole (reduced) data, see `fallback`
    summarised: bool = False
    fallback: str = ""
    #: triples handed to HermiT
    reasoner_triples: int = 0
    #: what HermiT was given, when summarised: the next build updates it (abox_delta.py)
    summary: Summary | None = None
    #: the ontology's schema as read from the store (a build copied from it may take it)
    schema: Schema | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def scope(self) -> str:
        if self.summarised:
            return (
                f"Checked a summary of the data: {self.individuals:,} individuals in "
                f"{self.signatures:,} signatures ({self.reasoner_triples:,} triples to HermiT)."
            )
        why = f": {self.fallback}" if self.fallback else ""
        return (
            f"Checked the whole data: {self.individuals:,} individuals "
            f"({self.reasoner_triples:,} triples to HermiT){why}."
        )

    def text(self) -> str:
        if self.ok:
            return f"OWL check (HermiT): consistent, no unsatisfiable class. {self.scope()}"
        lines = []
        if not self.consistent:
            lines.append("OWL check (HermiT): the graph is INCONSISTENT.")
            if self.explanation:
                lines.append(self.explanation)
        for iri in self.unsatisfiable:
            lines.append(f"OWL check (HermiT): unsatisfiable class {iri}")
        lines.append(self.scope())
        return "\n".join(lines)


def check_consistency_store(
    store: ox.Store,
    ontology_graph=None,
    *,
    summarise: bool = True,
    hermit=run_hermit,
    since: tuple | None = None,
    schema: Schema | None = None,
) -> ReasonerReport:
    """Run HermiT over the store's named graphs, ontology included, and report what it finds.

    `ontology_graph` names the graph holding the ontology (default: ONTOLOGY_IRI). With
    `summarise=False`, HermiT gets the whole data even when a summary would do. `hermit`
    answers for the triples handed to HermiT (an incremental build reuses the last build's
    answer when they are the same triples: cli/incremental.py). `since`, an incremental
    build's (the last build's Summary, the merge's removed and added triples), updates that
    summary instead of reading the store (abox_delta.py) when it can; the report's
    `summary` is what the next build takes. `schema`: the store's Schema, when the caller
    has it (read from a store this one was copied from, its ontology graph the same); the
    report's `schema` is the one used.
    """
    graph = ox.NamedNode(ONTOLOGY_IRI) if ontology_graph is None else ontology_graph
    schema = Schema(store, graph) if schema is None else schema
    hermit = _Remembered(hermit)
    if since is not None and summarise:
        summary = updated(store, schema, *since)
        if summary is not None:
            lines = _lines(schema, summary.triples(schema))
            consistent, unsat, _said = hermit(lines)
            if consistent and not unsat:  # else the whole check below says why
                return ReasonerReport(
                    True,
                    individuals=summary.individuals,
                    signatures=len(summary.signatures),
                    summarised=True,
                    reasoner_triples=len(lines),
                    summary=summary,
                    schema=schema,
                )
    scan = Scan(store, schema, graph)
    sigs = scan.summarise()
    outside = schema.outside_fragment() + sorted(scan.outside)
    use_summary = summarise and not outside
    summary = Summary.of(scan, sigs) if use_summary else None
    body = summary.triples(schema) if summary else full_triples(store, schema, scan, graph)
    lines = _lines(schema, body)
    consistent, unsat, said = hermit(lines)
    report = ReasonerReport(
        consistent,
        unsatisfiable=unsat,
        individuals=scan.individuals(),
        signatures=len(sigs.keys),
        summarised=use_summary,
        reasoner_triples=len(lines),
        summary=summary,
        schema=schema,
    )
    if outside:
        shown = "; ".join(outside[:5]) + ("; ..." if len(outside) > 5 else "")
        report.fallback = f"outside the summarisable fragment ({shown})"
    if not consistent:
        report.explanation = _why(store, schema, scan, sigs, said)
    return report


def _lines(schema: Schema, body) -> list[str]:
    """HermiT's input as sorted, distinct N-Triples lines: the same triples, the same text."""
    return sorted(schema.statement_lines().union(f"{s} {p} {o} .\n" for s, p, o in body))


class _Remembered:
    """HermiT's answer for the last lines it was given, so that checking the same lines
    again (an updated summary HermiT refused, then explained from the whole store) does
    not start its JVM twice."""

    def __init__(self, hermit):
        self.hermit = hermit
        self.last: tuple | None = None

    def __call__(self, lines: list[str]):
        if self.last is None or self.last[0] != lines:
            self.last = (lines, self.hermit(lines))
        return self.last[1]


def _why(store: ox.Store, schema: Schema, scan: Scan, sigs: Signatures, said: str) -> str:
    """Find the clashing signatures in the summary; explain them on their real members."""
    summary = Graph()
    signatures = zip(sigs.reps, sigs.keys, strict=True)
    for t in (*schema.statements(), *summary_triples(schema, signatures, scan.pairs)):
        summary.add(tuple(map(to_rdflib, t)))
    rep_sig = {to_rdflib(rep): i for i, rep in enumerate(sigs.reps)}
    bad_sigs, bad_values = set(), set()
    for found in findings(summary):
        if found.value is not None:
            bad_values.add(found.value)
        bad_sigs.update(rep_sig[n] for n in found.nodes if n in rep_sig)
    groups = scan.same.members()
    find = scan.same.find
    roots = {r for r, i in sigs.root_sig.items() if i in bad_sigs}
    for p, literal in bad_values:
        roots.update(
            find(q.subject) for q in store.quads_for_pattern(None, to_ox(p), to_ox(literal))
        )
    roots = sorted(roots, key=str)
    shown = roots[:MAX_LINES]
    real = Graph()
    for t in schema.triples:
        real.add(tuple(map(to_rdflib, t)))
    individuals = [m for r in shown for m in groups.get(r, [r])]
    for node in individuals:
        for q in store.quads_for_pattern(node, None, None, None):
            real.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        incoming = set()
        for q in store.quads_for_pattern(None, None, node, None):
            if q.predicate not in incoming:  # one is enough to say why it has a range's type
                incoming.add(q.predicate)
                real.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    found = explain_inconsistency(real, only={to_rdflib(n) for n in individuals})
    lines = [said] if said else ["HermiT found a contradiction."]
    if found:
        lines.append("Why:")
        lines += [f"- {line}" for line in found]
        if len(roots) > len(shown):
            lines.append(f"- ... and {len(roots) - len(shown)} more individual(s)")
    else:
        lines.append("No disjoint types or out-of-range values explain it: look for other axioms.")
    return "\n".join(lines)


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)
    return store


def check_consistency(graph: Graph, *, summarise: bool = True) -> ReasonerReport:
    """`check_consistency_store` for one rdflib graph holding the ontology and the data."""
    return check_consistency_store(_store(graph), ox.DefaultGraph(), summarise=summarise)


def _owl_compatible(graph: Graph) -> Graph:
    """What HermiT gets for the whole of `graph` (ontology plus data), as an rdflib graph."""
    store = _store(graph)
    schema = Schema(store, ox.DefaultGraph())
    scan = Scan(store, schema, ox.DefaultGraph())
    out = Graph()
    for t in (*schema.statements(), *full_triples(store, schema, scan, ox.DefaultGraph())):
        out.add(tuple(to_rdflib(x, typed_strings=True) for x in t))
    return out
