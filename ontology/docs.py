"""A human-readable page of the ontology, generated from the Turtle file.

The web front end serves it as /ontology; `diplograph ontology docs` writes it
to a file. Generated rather than hand-written, so it can never drift from the
ontology it documents.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from diplograph.ontology import DG_IRI, ONTOLOGY_FILE, ONTOLOGY_IRI
from diplograph.ontology.prefixes import DCTERMS, NAMESPACES

# The namespaces the page abbreviates (others are written in full), from the one table.
_SHOWN = ("dg", "prov", "schema", "skos", "time", "foaf", "org", "oa", "sem", "vf")
_SHOWN += ("dcterms", "xsd", "rdfs", "unit")
PREFIXES = {NAMESPACES[prefix]: prefix + ":" for prefix in _SHOWN}


def curie(iri) -> str:
    text = str(iri)
    for ns, prefix in PREFIXES.items():
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


@dataclass
class Term:
    iri: URIRef
    label: str
    definition: str
    kind: str


def load(path=ONTOLOGY_FILE) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def _terms(graph: Graph, kind: URIRef, name: str) -> list[Term]:
    out = []
    for iri in graph.subjects(RDF.type, kind):
        if isinstance(iri, URIRef) and str(iri).startswith(DG_IRI):
            out.append(
                Term(
                    iri,
                    str(graph.value(iri, RDFS.label) or ""),
                    str(graph.value(iri, SKOS.definition) or ""),
                    name,
                )
            )
    return sorted(out, key=lambda t: str(t.iri))


def _link(iri) -> str:
    text = curie(iri)
    if str(iri).startswith(DG_IRI):
        anchor = html.escape(str(iri)[len(DG_IRI) :])
        return f'<a href="#{anchor}"><code>{html.escape(text)}</code></a>'
    return f"<code>{html.escape(text)}</code>"


def _tree(graph: Graph, root: URIRef, classes: set[URIRef]) -> str:
    children = sorted(c for c in graph.subjects(RDFS.subClassOf, root) if c in classes)
    if not children:
        return ""
    items = "".join(f"<li>{_link(c)}{_tree(graph, c, classes)}</li>" for c in children)
    return f"<ul>{items}</ul>"


def render_ontology_html(graph: Graph | None = None) -> str:
    """The ontology as an HTML fragment: metadata, class hierarchy, classes, properties, terms."""
    graph = graph or load()
    classes = _terms(graph, OWL.Class, "class")
    properties = (
        _terms(graph, OWL.ObjectProperty, "object property")
        + _terms(graph, OWL.DatatypeProperty, "datatype property")
        + _terms(graph, OWL.AnnotationProperty, "annotation property")
    )
    terms = _terms(graph, OWL.NamedIndividual, "controlled term")
    parts = _header(graph) + _hierarchy(graph, classes)
    parts.append("</ul></section><section id='classes'><h2>Classes</h2>")
    parts += [_class_entry(graph, term) for term in classes]
    parts.append("</section><section id='properties'><h2>Properties</h2>")
    parts += [_property_entry(graph, term) for term in properties]
    parts.append("</section><section id='terms'><h2>Controlled terms</h2>")
    parts += [_controlled_term_entry(graph, term) for term in terms]
    parts.append("</section>")
    return "\n".join(parts)


def _header(graph: Graph) -> list[str]:
    """The ontology's title, description and version, and the page's table of contents."""
    onto = URIRef(ONTOLOGY_IRI)
    title = graph.value(onto, URIRef(DCTERMS + "title"))
    description = graph.value(onto, URIRef(DCTERMS + "description"))
    version = graph.value(onto, OWL.versionInfo)
    return [
        f"<header><h1>{html.escape(str(title))}</h1>",
        f"<p>{html.escape(str(description))}</p>",
        f"<p>Version {html.escape(str(version))} · namespace <code>{DG_IRI}</code></p></header>",
        "<nav aria-label='Ontology sections'><a href='#hierarchy'>Class hierarchy</a> · "
        "<a href='#classes'>Classes</a> · <a href='#properties'>Properties</a> · "
        "<a href='#terms'>Controlled terms</a></nav>",
    ]


def _hierarchy(graph: Graph, classes: list[Term]) -> list[str]:
    """The class tree from the classes with no super-class of ours (its list left open)."""
    class_set = {c.iri for c in classes}
    roots = [
        c.iri
        for c in classes
        if not any(p in class_set for p in graph.objects(c.iri, RDFS.subClassOf))
    ]
    parts = ["<section id='hierarchy'><h2>Class hierarchy</h2><ul>"]
    parts += [f"<li>{_link(r)}{_tree(graph, r, class_set)}</li>" for r in sorted(roots)]
    return parts


def _class_entry(graph: Graph, term: Term) -> str:
    supers = ", ".join(
        _link(s) for s in sorted(graph.objects(term.iri, RDFS.subClassOf)) if isinstance(s, URIRef)
    )
    return _entry(term, f"<dt>Subclass of</dt><dd>{supers or '—'}</dd>")


def _property_entry(graph: Graph, term: Term) -> str:
    extra = ""
    for label, pred in (
        ("Domain", RDFS.domain),
        ("Range", RDFS.range),
        ("Subproperty of", RDFS.subPropertyOf),
    ):
        values = [_link(v) for v in graph.objects(term.iri, pred) if isinstance(v, URIRef)]
        if values:
            extra += f"<dt>{label}</dt><dd>{', '.join(sorted(values))}</dd>"
    return _entry(term, extra)


def _controlled_term_entry(graph: Graph, term: Term) -> str:
    kind = graph.value(term.iri, URIRef(DG_IRI + "termKind"))
    notation = graph.value(term.iri, SKOS.notation)
    return _entry(
        term,
        f"<dt>List</dt><dd>{html.escape(str(kind))}</dd>"
        f"<dt>Written as</dt><dd><code>{html.escape(str(notation))}</code></dd>",
    )


def _entry(term: Term, extra: str) -> str:
    local = str(term.iri)[len(DG_IRI) :]
    return (
        f"<article id='{html.escape(local)}' class='term'><h3>{html.escape(term.label)} "
        f"<small><code>dg:{html.escape(local)}</code> · {term.kind}</small></h3>"
        f"<p>{html.escape(term.definition)}</p><dl>{extra}</dl></article>"
    )
