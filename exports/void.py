"""The dataset description: VoID statistics and a DCAT catalogue entry.

Counts come from the build's quads (the same numbers SPARQL gives on the
built graph). Dates come from the data, never the clock: `dct:modified` and
`dct:issued` are the newest source publication date (its latest possible day), so rebuilding
the same data gives the same bytes, and a release with a newer article moves
forward. Byte sizes are only known once the dumps exist: void.ttl has them,
the description embedded in the dumps does not (it cannot describe itself).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from rdflib import OWL, RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from diplograph.exports.graph_files import PART as GRAPH_PART
from diplograph.exports.graph_files import SUFFIX as GRAPH_SUFFIX
from diplograph.exports.graph_files import subset_name
from diplograph.ontology import BASE, DG_IRI
from diplograph.ontology.prefixes import STANDARD_PREFIXES
from diplograph.store.formats import EXPORTS
from diplograph.store.nquads import split_quad

RDF_TYPE_TERM = f"<{RDF.type}>".encode()
PUBLICATION_DATE_TERM = f"<{DG_IRI}publicationDate>".encode()  # a dg:TimeDescription, whose
LATEST_TERM = f"<{DG_IRI}latest>".encode()  # dg:latest is the last day it allows
DATE_SUFFIXES = (f'"^^<{XSD.date}>'.encode(), f'"^^<{XSD.dateTime}>'.encode())
IANA = "https://www.iana.org/assignments/media-types/"
FORMAT_FEATURES = {name: spec.w3c_iri for name, spec in EXPORTS.items()}
EXAMPLE_CLASSES = ["Person", "Country", "Meeting", "PhoneCall", "Commitment", "Measure"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
TITLE = "diplograph: a knowledge graph of summit diplomacy"
DESCRIPTION = (
    "Leaders, countries, venues, meetings and calls, commitments, threats and "
    "measures, and who said what, curated from news articles with the excerpt "
    "supporting every fact. One named graph per source article."
)


class Stats:
    """One pass over the quads: the numbers VoID reports.

    It reads the terms as spelt on the lines (canonical N-Quads: one spelling a term, so
    equal bytes are equal terms) rather than parsing them into pyoxigraph terms: a third
    of the time, which an incremental build's exports wait for.
    """

    def __init__(self, lines: Iterable[bytes], base: str = BASE):
        entity_space = b"<" + base.encode() + b"id/"
        self.triples = 0
        graphs: Counter = Counter()
        properties: Counter = Counter()
        subjects, objects = set(), set()
        typed: dict[bytes, set] = {}
        published, latest = set(), {}
        for line in lines:
            s, p, o, g = split_quad(line)
            graphs[g] += 1
            properties[p] += 1
            subjects.add(s)
            objects.add(o)
            if p == RDF_TYPE_TERM and o[0] == 60:  # an IRI
                typed.setdefault(o, set()).add(s)
            elif p == PUBLICATION_DATE_TERM:
                published.add(o)
            elif p == LATEST_TERM and o.endswith(DATE_SUFFIXES):
                latest[s] = o[1 : o.rindex(b'"')][:10].decode()
        self.triples = sum(graphs.values())
        self.graphs = Counter({_value(g) if g else "": n for g, n in graphs.items()})
        self.properties = Counter({_iri(p): n for p, n in properties.items()})
        self.distinct_subjects = len(subjects)
        self.distinct_objects = len(objects)
        self.entities = sum(1 for s in subjects if s.startswith(entity_space))
        self.classes = {_iri(c): len(members) for c, members in typed.items()}
        self.examples = [
            min(_iri(m) for m in typed[c] if m[0] == 60)
            for c in (f"<{DG_IRI}{name}>".encode() for name in EXAMPLE_CLASSES)
            if any(m[0] == 60 for m in typed.get(c, ()))
        ]
        dates = [latest[d] for d in published if d in latest]
        self.modified = max(dates) if dates else None


def _iri(term: bytes) -> str:
    """An IRI's value from its N-Triples spelling (canonical: no escapes to undo)."""
    return term[1:-1].decode()


def _value(term: bytes) -> str:
    """A graph name's value: an IRI's, or a blank node's label."""
    return term[2:].decode() if term[:2] == b"_:" else _iri(term)


def _slug(iri: str) -> str:
    for prefix, ns in sorted(STANDARD_PREFIXES.items()):
        if iri.startswith(ns) and iri[len(ns) :].replace("-", "").replace("_", "").isalnum():
            return f"{prefix}-{iri[len(ns) :]}"
    return hashlib.sha1(iri.encode()).hexdigest()[:12]


def describe(
    lines: list[bytes], manifest: dict, files: list[dict], stats: Stats | None = None
) -> Graph:
    """VoID + DCAT for the build whose sorted N-Quads are `lines`, listing `files`.

    `stats` (of the same lines) saves a pass over a million quads when the caller has them.
    """
    base = manifest.get("base", BASE)
    site = manifest.get("site", base)
    stats = stats or Stats(lines, base)
    ds = URIRef(base + "dataset")
    local = Namespace(base + "dataset#")
    g = Graph()
    for prefix, ns in STANDARD_PREFIXES.items():
        g.bind(prefix, ns)
    _catalogue_entry(g, ds, base, manifest, stats)
    _statistics(g, ds, local, base, stats)
    _access(g, ds, local, site, files)
    return g


def _catalogue_entry(g: Graph, ds: URIRef, base: str, manifest: dict, stats: Stats) -> None:
    """Type, title, licence, publisher, version and dates."""
    add = g.add
    for cls in (VOID.Dataset, DCAT.Dataset):
        add((ds, RDF.type, cls))
    add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    add((ds, DCTERMS.license, LICENSE))
    publisher = URIRef(base)
    add((ds, DCTERMS.publisher, publisher))
    add((publisher, RDF.type, FOAF.Organization))
    add((publisher, FOAF.name, Literal("The diplograph project")))
    version = manifest.get("version")
    if version:
        add((ds, URIRef(str(DCAT) + "version"), Literal(version)))
        add((ds, OWL.versionInfo, Literal(version)))
    if manifest.get("sha256"):
        add((ds, DCTERMS.identifier, Literal(f"sha256:{manifest['sha256']}")))
    if stats.modified:
        add((ds, DCTERMS.modified, Literal(stats.modified, datatype=XSD.date)))
        add((ds, DCTERMS.issued, Literal(stats.modified, datatype=XSD.date)))


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _statistics(g: Graph, ds: URIRef, local: Namespace, base: str, stats: Stats) -> None:
    """VoID's counts, vocabularies, examples, and the class, property and graph partitions."""
    add = g.add
    add((ds, VOID.triples, _count(stats.triples)))
    add((ds, VOID.entities, _count(stats.entities)))
    add((ds, VOID.classes, _count(len(stats.classes))))
    add((ds, VOID.properties, _count(len(stats.properties))))
    add((ds, VOID.distinctSubjects, _count(stats.distinct_subjects)))
    add((ds, VOID.distinctObjects, _count(stats.distinct_objects)))
    add((ds, VOID.uriSpace, Literal(base + "id/")))
    for ns in sorted({n for n in STANDARD_PREFIXES.values() if _uses(stats, n)}):
        add((ds, VOID.vocabulary, URIRef(ns)))
    for example in stats.examples:
        add((ds, VOID.exampleResource, URIRef(example)))
    for cls, n in sorted(stats.classes.items()):
        node = local["class-" + _slug(cls)]
        add((ds, VOID.classPartition, node))
        add((node, VOID["class"], URIRef(cls)))
        add((node, VOID.entities, _count(n)))
    for prop, n in sorted(stats.properties.items()):
        node = local["property-" + _slug(prop)]
        add((ds, VOID.propertyPartition, node))
        add((node, VOID.property, URIRef(prop)))
        add((node, VOID.triples, _count(n)))
    for graph, n in sorted(stats.graphs.items()):
        if not graph:
            continue
        node = local[subset_name(graph)]
        add((ds, VOID.subset, node))
        add((node, RDF.type, VOID.Dataset))
        add((node, DCTERMS.source, URIRef(graph)))
        add((node, VOID.triples, _count(n)))


def _access(g: Graph, ds: URIRef, local: Namespace, site: str, files: list[dict]) -> None:
    """The SPARQL endpoint as a DCAT data service, and a distribution per file."""
    add = g.add
    endpoint = URIRef(site + "sparql")
    add((ds, VOID.sparqlEndpoint, endpoint))
    service = local["sparql"]
    add((service, RDF.type, DCAT.DataService))
    add((service, DCAT.endpointURL, endpoint))
    add((service, DCAT.servesDataset, ds))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((ds, DCAT.landingPage, URIRef(site + "downloads")))
    for entry in files:
        url = URIRef(site + "downloads/" + entry["name"])
        dist = local["dist-" + entry["name"].replace(".", "-")]
        if entry.get("part") == GRAPH_PART:  # one graph's dump: of that graph's subset
            subset = local[entry["name"].removesuffix(GRAPH_SUFFIX)]
            add((subset, DCAT.distribution, dist))
            add((subset, VOID.dataDump, url))
        else:
            add((ds, DCAT.distribution, dist))
        add((dist, RDF.type, DCAT.Distribution))
        add((dist, DCTERMS.title, Literal(entry["name"])))
        add((dist, DCAT.downloadURL, url))
        add((dist, DCAT.mediaType, URIRef(IANA + entry["media_type"])))
        if entry.get("format") in FORMAT_FEATURES and entry.get("part") == "diplograph":
            add((ds, VOID.dataDump, url))
            add((ds, VOID.feature, URIRef(FORMAT_FEATURES[entry["format"]])))
        if "bytes" in entry:
            add((dist, DCAT.byteSize, Literal(entry["bytes"], datatype=XSD.nonNegativeInteger)))


def _uses(stats: Stats, ns: str) -> bool:
    return any(p.startswith(ns) for p in stats.properties) or any(
        c.startswith(ns) for c in stats.classes
    )
