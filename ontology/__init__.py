"""The diplograph ontology: its namespaces, and a closed Python view of its terms.

`DG` is built from the terms the Turtle file declares, with `_fail = True`, so
a misspelt term in the project's code fails at import time instead of
silently minting a new IRI.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/diplograph/"
ONTOLOGY_IRI = BASE + "def"
DG_IRI = BASE + "def#"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "diplograph.ttl"

_DECLARED = re.compile(r"^dg:([A-Za-z][A-Za-z0-9_]*)\s+a\s", re.MULTILINE)


def declared_terms(path: Path = ONTOLOGY_FILE) -> list[str]:
    """Local names of every dg: term the ontology declares (as a subject typed with `a`)."""
    return sorted(set(_DECLARED.findall(path.read_text(encoding="utf-8"))))


DG = type(
    "DG",
    (DefinedNamespace,),
    {
        "_NS": Namespace(DG_IRI),
        "_fail": True,
        "__annotations__": {name: URIRef for name in declared_terms()},
        # plain class attributes: DefinedNamespace's __getattr__ (undeclared names fail
        # there) costs microseconds, and the loader looks terms up millions of times
        **{name: URIRef(DG_IRI + name) for name in declared_terms()},
    },
)


def closed(namespace: type[DefinedNamespace]) -> type[DefinedNamespace]:
    """rdflib's closed namespace (RDF, OWL, XSD...) with its terms as plain class attributes.

    rdflib makes a new URIRef at each `RDF.type` (about 1.3 µs; 0.16 µs as an attribute),
    and the loader reads such terms hundreds of thousands of times in a large build.
    """
    terms = {name: namespace._NS[name] for name in namespace.__annotations__}
    return type(namespace.__name__, (namespace,), terms)
