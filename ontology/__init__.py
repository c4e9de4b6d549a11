"""The diplograph ontology: its namespaces, and a closed Python view of its terms."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/diplograph/"
ONTOLOGY_IRI = BASE + "def"
DG_IRI = BASE + "def#"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
DG = Namespace(DG_IRI)
