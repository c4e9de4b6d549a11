"""OWL consistency checking with HermiT through owlready2.

owlready2 does not read Turtle, so graphs are handed over as N-Triples.
HermiT only knows the OWL 2 datatype map: literals typed xsd:date, gYear,
gYearMonth or duration are dropped before reasoning (they cannot make a
graph inconsistent here: no axiom constrains those values; SHACL checks them).

HermiT says only *that* a graph is inconsistent, and owlready2's Pellet (which
can explain) needs a newer Java than the build runs on; so when HermiT refuses
a graph, `owl_explain.explain_inconsistency` names the individuals whose types the
ontology declares disjoint (through typing, domains, ranges, sub-classes and
owl:sameAs) and the datatype values a property's range forbids: the causes an
ontology made of class axioms, domains and ranges can have.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import XSD

from ..ontology import DG_IRI

OUTSIDE_OWL2 = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.duration, XSD.gMonth, XSD.gDay}


@dataclass
class ReasonerReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def text(self) -> str:
        if self.ok:
            return "OWL check (HermiT): consistent, no unsatisfiable class."
        lines = []
        if not self.consistent:
            lines.append("OWL check (HermiT): the graph is INCONSISTENT.")
            if self.explanation:
                lines.append(self.explanation)
        for iri in self.unsatisfiable:
            lines.append(f"OWL check (HermiT): unsatisfiable class {iri}")
        return "\n".join(lines)


#: Namespaces whose terms carry axioms HermiT can use: ours, and OWL/RDF(S) themselves.
#: The aligned vocabularies (PROV, schema.org, SKOS...) are only super-terms here, with no
#: axioms of their own, so their materialised triples cannot make a graph inconsistent.
AXIOM_NAMESPACES = (str(RDF), str(RDFS), str(OWL), DG_IRI)


def _owl_compatible(graph: Graph) -> Graph:
    """What HermiT needs to decide consistency, and nothing it would only have to parse.

    Dropped: materialised super-terms from other vocabularies; annotation values; plain
    strings of properties whose range is a string (they cannot clash with anything); and
    literals outside the OWL 2 datatype map. This halves the input on the curated data.
    """
    ranges = dict(graph.subject_objects(RDFS.range))
    annotations = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    stringy = {None, XSD.string, RDFS.Literal}
    out = Graph()
    for s, p, o in graph:
        if not str(p).startswith(AXIOM_NAMESPACES):
            continue
        if isinstance(o, Literal):
            if o.datatype in OUTSIDE_OWL2 or p in annotations:
                continue
            if o.datatype in (None, XSD.string) and ranges.get(p) in stringy:
                continue
        elif p == RDF.type and not str(o).startswith(AXIOM_NAMESPACES):
            continue
        out.add((s, p, o))
    return out


def _explain(message: str) -> str:
    """Keep the reasoner's own words, without the Java stack trace."""
    lines = [ln for ln in message.splitlines() if ln.strip() and not ln.strip().startswith("at ")]
    text = "\n".join(lines[:12])
    return re.sub(r"file:/+\S*tmp\S*", "<graph>", text)


def _why(graph: Graph, reasoner_text: str) -> str:
    from .owl_explain import explain_inconsistency

    found = explain_inconsistency(graph)
    lines = [reasoner_text] if reasoner_text else ["HermiT found a contradiction."]
    if found:
        lines.append("Why:")
        lines += [f"- {line}" for line in found]
    else:
        lines.append("No disjoint types or out-of-range values explain it: look for other axioms.")
    return "\n".join(lines)


def check_consistency(graph: Graph) -> ReasonerReport:
    """Run HermiT over `graph` (ontology plus data) and report what it finds."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        _owl_compatible(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        try:
            with world.get_ontology("http://diplograph.invalid/inferences#"):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerReport(False, explanation=_why(graph, _explain(str(exc))))
        except owlready2.base.OwlReadyJavaError as exc:
            msg = str(exc)
            if "inconsistent" in msg.lower():
                return ReasonerReport(False, explanation=_why(graph, _explain(msg)))
            raise
        unsat = sorted(
            c.iri for c in world.inconsistent_classes() if c.iri != str(owlready2.Nothing.iri)
        )
        world.close()
        return ReasonerReport(True, unsatisfiable=unsat)
