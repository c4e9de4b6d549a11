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
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplograph.ontology import DG_IRI, ONTOLOGY_IRI
from diplograph.ontology.terms import to_ox, to_rdflib


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


OUTSIDE_OWL2 = frozenset(
    _n(t) for t in (XSD.date, XSD.gYear, XSD.gYearMonth, XSD.duration, XSD.gMonth, XSD.gDay)
)
#: Namespaces whose terms carry axioms HermiT can use: ours, and OWL/RDF(S) themselves.
#: The aligned vocabularies (PROV, schema.org, SKOS...) are only super-terms here; one
#: that the ontology does give an axiom is kept too (`_Schema.constrained`).
AXIOM_NAMESPACES = (str(RDF), str(RDFS), str(OWL), DG_IRI)
SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL))
SUMMARY_NS = "http://diplograph.invalid/summary#"

TYPE, SAME_AS = _n(RDF.type), _n(OWL.sameAs)
SUB_CLASS, EQ_CLASS, DISJOINT = _n(RDFS.subClassOf), _n(OWL.equivalentClass), _n(OWL.disjointWith)
SUB_PROP, EQ_PROP, INVERSE = _n(RDFS.subPropertyOf), _n(OWL.equivalentProperty), _n(OWL.inverseOf)
DOMAIN, RANGE = _n(RDFS.domain), _n(RDFS.range)
MEMBERS, FIRST, REST, NIL = _n(OWL.members), _n(RDF.first), _n(RDF.rest), _n(RDF.nil)
ALL_DISJOINT = _n(OWL.AllDisjointClasses)
NAMED_INDIVIDUAL = _n(OWL.NamedIndividual)
XSD_STRING, LANG_STRING = _n(XSD.string), _n(RDF.langString)
ANNOTATION_PROPERTY = _n(OWL.AnnotationProperty)
#: Axioms between named terms: what the summary argument allows (with the types below).
NAMED_AXIOMS = frozenset({SUB_CLASS, EQ_CLASS, DISJOINT, SUB_PROP, EQ_PROP, INVERSE, DOMAIN, RANGE})
#: Declarations and property characteristics that only act along an individual's own edges.
LOCAL_TYPES = frozenset(
    _n(t)
    for t in (
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDF.Property,
        OWL.Ontology,
        OWL.AllDisjointClasses,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        RDFS.Datatype,
        RDF.List,
    )
)
#: Types an individual may have without stating schema; only owl:Nothing constrains it.
INDIVIDUAL_TYPES = frozenset(_n(t) for t in (OWL.NamedIndividual, OWL.Thing, OWL.Nothing))
#: Annotations: no meaning for consistency.
ANNOTATIONS = frozenset(
    _n(t)
    for t in (
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.versionIRI,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.deprecated,
    )
)
STRINGY = frozenset({XSD_STRING, _n(RDFS.Literal)})
LANG_STRINGY = frozenset({_n(RDFS.Literal), _n(RDF.PlainLiteral), LANG_STRING})
PREFIXES = {str(RDF): "rdf:", str(RDFS): "rdfs:", str(OWL): "owl:", DG_IRI: "dg:"}


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


def _is_schema(term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(SCHEMA_NAMESPACES)


def _short(term) -> str:
    text = getattr(term, "value", str(term))
    for ns, prefix in PREFIXES.items():
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return str(term)


class _Schema:
    """The ontology graph's schema statements, and what follows from them for the data."""

    def __init__(self, store: ox.Store, graph) -> None:
        quads = list(store.quads_for_pattern(None, None, None, graph))
        #: TBox nodes: classes, properties, axioms and their lists, the ontology itself
        self.nodes: set = set()
        for s, p, o, _g in quads:
            if p == TYPE:
                if _is_schema(o) and o not in INDIVIDUAL_TYPES:
                    self.nodes.add(s)
            elif _is_schema(p) and p not in ANNOTATIONS and p != SAME_AS:
                self.nodes.add(s)
        #: their schema statements (an rdf:type to a plain class makes a punned individual)
        self.triples: set = {
            (s, p, o)
            for s, p, o, _g in quads
            if s in self.nodes and _is_schema(p) and p != SAME_AS and (p != TYPE or _is_schema(o))
        }
        self.annotation = {s for s, p, o in self.triples if p == TYPE and o == ANNOTATION_PROPERTY}
        self._supers: dict = defaultdict(set)
        self._domains: dict = defaultdict(set)
        self._ranges: dict = defaultdict(set)
        #: terms outside AXIOM_NAMESPACES that still carry an axiom
        self.constrained: set = set()
        for s, p, o in self.triples:
            if p in (SUB_PROP, EQ_PROP):
                self._supers[s].add(o)
                if p == EQ_PROP:
                    self._supers[o].add(s)
            elif p == DOMAIN:
                self._domains[s].add(o)
            elif p == RANGE:
                self._ranges[s].add(o)
            if p in NAMED_AXIOMS:
                self.constrained.add(s)
                if p in (EQ_CLASS, DISJOINT, EQ_PROP, INVERSE):
                    self.constrained.add(o)
            elif p == FIRST or (p == TYPE and o not in LOCAL_TYPES):
                self.constrained.add(o if p == FIRST else s)
            elif p == TYPE and o in (_n(OWL.TransitiveProperty), _n(OWL.SymmetricProperty)):
                self.constrained.add(s)
        self._closure: dict = {}

    def supers(self, prop) -> set:
        """`prop` and its super-properties (equivalent ones both ways)."""
        found = self._closure.get(prop)
        if found is None:
            found, todo = {prop}, [prop]
            while todo:
                for sup in self._supers.get(todo.pop(), ()):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._closure[prop] = found
        return found

    def domains(self, prop) -> set:
        return {d for q in self.supers(prop) for d in self._domains.get(q, ())}

    def ranges(self, prop) -> set:
        return {r for q in self.supers(prop) for r in self._ranges.get(q, ())}

    def relevant(self, term) -> bool:
        """A term HermiT can do something with: ours, OWL/RDF(S), or given an axiom."""
        return term.value.startswith(AXIOM_NAMESPACES) or term in self.constrained

    def outside_fragment(self) -> list[str]:
        """Why the summary would not decide consistency (empty: it does)."""
        disjoint = {s for s, p, o in self.triples if p == TYPE and o == ALL_DISJOINT}
        found = []
        for s, p, o in sorted(self.triples, key=str):
            if p == TYPE:
                if o not in LOCAL_TYPES:
                    found.append(f"{_short(s)} is a {_short(o)}")
            elif p in NAMED_AXIOMS:
                if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
                    found.append(f"{_short(p)} with a class or property expression")
            elif p == MEMBERS:
                if s not in disjoint:
                    found.append(f"{_short(p)} outside owl:AllDisjointClasses")
            elif p == FIRST:
                if not isinstance(o, ox.NamedNode):
                    found.append("a list of class expressions")
            elif p == REST or p in ANNOTATIONS:
                continue
            else:
                found.append(f"{_short(p)} ({_short(s)})")
        return sorted(set(found))


class _SameAs:
    """Union-find over owl:sameAs; `parent` holds every node that took part."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        if x not in parent:
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        self.parent.setdefault(a, a)
        self.parent.setdefault(b, b)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def members(self) -> dict:
        groups = defaultdict(list)
        for node in self.parent:
            groups[self.find(node)].append(node)
        return groups


SKIP, TYPED, SAME, SCHEMA, PROP = range(5)


def _graphs(store: ox.Store, ontology_graph) -> list:
    """The graphs to read. In a build's store the default graph is empty or the merge of
    the named ones (the store loader writes it for queries): reading it would read every
    triple twice, so only the named graphs are read when the ontology is one of them."""
    named = list(store.named_graphs())
    if isinstance(ontology_graph, ox.DefaultGraph) or not named:
        return [ox.DefaultGraph(), *named]
    return named


class _Scan:
    """One pass over the data: each individual's signature, the literals HermiT must see."""

    def __init__(self, store: ox.Store, schema: _Schema, ontology_graph) -> None:
        self.schema = schema
        self.features: dict = defaultdict(set)
        self.pairs: set = set()
        self.same = _SameAs()
        self.outside: set = set()
        self._kinds: dict = {}
        self._classes: dict = {}
        self._drops: dict = {}
        self._stated: set = set()  # schema terms the data uses (one example each)
        features, pairs, kinds, classes = self.features, self.pairs, self._kinds, self._classes
        nodes, same = schema.nodes, self.same
        for graph in _graphs(store, ontology_graph):
            in_ontology = graph == ontology_graph
            for s, p, o, _g in store.quads_for_pattern(None, None, None, graph):
                kind = kinds.get(p)
                if kind is None:
                    kind = kinds[p] = self._kind(p)
                k = kind[0]
                if k == SKIP:
                    continue
                if k == PROP:
                    if isinstance(o, ox.Literal):
                        features[s].add(kind[3])
                        if not self.drops(p, o):
                            pairs.add((p, o))
                    else:
                        features[s].add(kind[1])
                        features[o].add(kind[2])
                elif k == TYPED:
                    feature = classes.get(o)
                    if feature is None:
                        feature = classes[o] = self._class(o)
                    if feature is SCHEMA:
                        self._schema(s, p, o, in_ontology)
                    elif feature is not SKIP:
                        features[s].add(feature)
                elif k == SAME:
                    if not isinstance(o, ox.Literal):
                        same.union(s, o)
                elif s in nodes:
                    self._schema(s, p, o, in_ontology)
                elif p not in self._stated:
                    self._stated.add(p)
                    self.outside.add(f"the data states {_short(p)} (of {_short(s)}...)")

    def _schema(self, s, p, o, in_ontology: bool) -> None:
        if s not in self.schema.nodes:
            if o not in self._stated:
                self._stated.add(o)
                self.outside.add(f"the data makes individuals a {_short(o)} ({_short(s)}...)")
        elif not in_ontology and (s, p, o) not in self.schema.triples:
            self.outside.add(f"schema outside the ontology graph ({_short(s)} {_short(p)})")

    def _kind(self, p) -> tuple:
        if p == TYPE:
            return (TYPED,)
        if p == SAME_AS:
            return (SAME,)
        if p in ANNOTATIONS or p in self.schema.annotation or not self.schema.relevant(p):
            return (SKIP,)
        if _is_schema(p):
            return (SCHEMA,)
        return (PROP, ("out", p), ("in", p), ("data", p))

    def _class(self, c):
        if not isinstance(c, ox.NamedNode) or c in INDIVIDUAL_TYPES - {_n(OWL.Nothing)}:
            return SKIP
        if _is_schema(c) and c not in INDIVIDUAL_TYPES:
            return SCHEMA
        return ("type", c) if self.schema.relevant(c) else SKIP

    def drops(self, p, literal) -> bool:
        """Whether HermiT can skip this literal: outside its datatypes, or a string of strings."""
        dt = literal.datatype
        found = self._drops.get((p, dt))
        if found is None:
            if dt in OUTSIDE_OWL2:
                found = True
            elif dt == XSD_STRING:
                found = self.schema.ranges(p) <= STRINGY
            elif dt == LANG_STRING:
                found = self.schema.ranges(p) <= LANG_STRINGY
            else:
                found = False
            self._drops[(p, dt)] = found
        return found

    def individuals(self) -> int:
        return len(self.features.keys() | self.same.parent.keys())

    def summarise(self) -> _Signatures:
        merged: dict = {}
        find = self.same.find
        for node in self.same.parent:
            merged.setdefault(find(node), set())
        for node, feats in self.features.items():
            root = find(node)
            found = merged.get(root)
            if found is None:
                merged[root] = feats
            else:
                found |= feats
        pinned = {}
        for node in self.schema.nodes:
            if node in self.features or node in self.same.parent:
                pinned[find(node)] = node
        return _Signatures(merged, pinned)


class _Signatures:
    """Roots of the sameAs groups, by signature; a TBox node used as an individual stays itself."""

    def __init__(self, merged: dict, pinned: dict) -> None:
        ids: dict = {}
        self.keys: list = []
        self.reps: list = []
        self.root_sig: dict = {}
        for root, feats in merged.items():
            pin = pinned.get(root)
            key = (frozenset(feats), pin)
            found = ids.get(key)
            if found is None:
                found = ids[key] = len(self.keys)
                self.keys.append(key[0])
                self.reps.append(pin if pin is not None else root)
            self.root_sig[root] = found


def _summary_triples(schema: _Schema, scan: _Scan, sigs: _Signatures):
    """One representative per signature, linked to and from fresh individuals."""
    fresh: dict = {}

    def node(kind: str, prop) -> ox.NamedNode:
        found = fresh.get((kind, prop))
        if found is None:
            found = fresh[(kind, prop)] = ox.NamedNode(f"{SUMMARY_NS}{kind}-{len(fresh)}")
        return found

    for rep, feats in zip(sigs.reps, sigs.keys, strict=True):
        yield rep, TYPE, NAMED_INDIVIDUAL
        for kind, term in feats:
            if kind == "type":
                yield rep, TYPE, term
            elif kind == "out":
                yield rep, term, node("to", term)
            elif kind == "in":
                yield node("from", term), term, rep
            else:
                for domain in schema.domains(term):
                    yield rep, TYPE, domain
    for p, literal in scan.pairs:
        yield node("holder", p), p, literal
    for individual in fresh.values():
        yield individual, TYPE, NAMED_INDIVIDUAL


def _full_triples(store: ox.Store, schema: _Schema, scan: _Scan, ontology_graph):
    """The whole data, reduced to what HermiT can use."""
    kinds, classes = scan._kinds, scan._classes
    for graph in _graphs(store, ontology_graph):
        for s, p, o, _g in store.quads_for_pattern(None, None, None, graph):
            kind = kinds.get(p)
            if kind is None:
                kind = kinds[p] = scan._kind(p)
            k = kind[0]
            if k == PROP:
                if isinstance(o, ox.Literal) and scan.drops(p, o):
                    for domain in schema.domains(p):
                        yield s, TYPE, domain
                else:
                    yield s, p, o
            elif k == TYPED:
                feature = classes.get(o)
                if feature is None:
                    feature = classes[o] = scan._class(o)
                if feature is not SKIP and (
                    feature is not SCHEMA or (s, p, o) not in schema.triples
                ):
                    yield s, p, o
            elif k == SAME or (k == SCHEMA and (s, p, o) not in schema.triples):
                yield s, p, o


def _schema_triples(schema: _Schema):
    for s, p, o in schema.triples:
        if p not in ANNOTATIONS:
            yield s, p, o


def _explain(message: str) -> str:
    """Keep the reasoner's own words, without the Java stack trace."""
    lines = [ln for ln in message.splitlines() if ln.strip() and not ln.strip().startswith("at ")]
    text = "\n".join(lines[:12])
    return re.sub(r"file:/+\S*tmp\S*", "<graph>", text)


def _hermit(lines: list[str]) -> tuple[bool, list[str], str]:
    """(consistent, unsatisfiable classes, the reasoner's words when inconsistent)."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_text("".join(lines), encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            try:
                with world.get_ontology("http://diplograph.invalid/inferences#"):
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as exc:
                return False, [], _explain(str(exc))
            except owlready2.base.OwlReadyJavaError as exc:
                if "inconsistent" in str(exc).lower():
                    return False, [], _explain(str(exc))
                raise
            unsat = sorted(
                c.iri for c in world.inconsistent_classes() if c.iri != str(owlready2.Nothing.iri)
            )
            return True, unsat, ""
        finally:
            world.close()


def check_consistency_store(
    store: ox.Store, ontology_graph=None, *, summarise: bool = True
) -> ReasonerReport:
    """Run HermiT over the store's named graphs, ontology included, and report what it finds.

    `ontology_graph` names the graph holding the ontology (default: ONTOLOGY_IRI). With
    `summarise=False`, HermiT gets the whole data even when a summary would do.
    """
    graph = ox.NamedNode(ONTOLOGY_IRI) if ontology_graph is None else ontology_graph
    schema = _Schema(store, graph)
    scan = _Scan(store, schema, graph)
    sigs = scan.summarise()
    outside = schema.outside_fragment() + sorted(scan.outside)
    use_summary = summarise and not outside
    body = (
        _summary_triples(schema, scan, sigs)
        if use_summary
        else _full_triples(store, schema, scan, graph)
    )
    lines = list(dict.fromkeys(f"{s} {p} {o} .\n" for s, p, o in (*_schema_triples(schema), *body)))
    consistent, unsat, said = _hermit(lines)
    report = ReasonerReport(
        consistent,
        unsatisfiable=unsat,
        individuals=scan.individuals(),
        signatures=len(sigs.keys),
        summarised=use_summary,
        reasoner_triples=len(lines),
    )
    if outside:
        shown = "; ".join(outside[:5]) + ("; ..." if len(outside) > 5 else "")
        report.fallback = f"outside the summarisable fragment ({shown})"
    if not consistent:
        report.explanation = _why(store, schema, scan, sigs, said)
    return report


def _why(store: ox.Store, schema: _Schema, scan: _Scan, sigs: _Signatures, said: str) -> str:
    """Find the clashing signatures in the summary; explain them on their real members."""
    from diplograph.ontology.owl_explain import MAX_LINES, explain_inconsistency, findings

    summary = Graph()
    for t in (*_schema_triples(schema), *_summary_triples(schema, scan, sigs)):
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
    schema = _Schema(store, ox.DefaultGraph())
    scan = _Scan(store, schema, ox.DefaultGraph())
    out = Graph()
    for t in (*_schema_triples(schema), *_full_triples(store, schema, scan, ox.DefaultGraph())):
        out.add(tuple(to_rdflib(x, typed_strings=True) for x in t))
    return out
