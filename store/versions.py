"""Versioned graphs in a shared SPARQL store, and the registry that says which version serves.

A remote store cannot rename a directory, and overwriting a live graph is not atomic
(measured on Virtuoso: readers see a half-loaded graph during a Graph Store PUT, and a
failed PUT leaves one behind). So every push loads a *new version* beside the old one:

- each named graph `G` of the build is stored as `G?v=<version>` (and every other
  occurrence of `G` in the data is renamed the same way, so the renaming is a bijection
  that the client undoes on every answer); the version's merge of all its graphs (a set,
  as SPARQL defines the merge) is stored once more in `urn:diplograph:merge:<version>`;
- the registry graph `urn:diplograph:versions` describes each version (its graphs, its
  triple count) and, once it has been loaded and checked, gives it a sequence number
  with one `INSERT DATA` of one triple: that triple is the switch. The serving version is
  the one with the highest number; before the switch readers see the old one whole,
  after it the new one whole, and a failed push never reaches it.

Queries never see the store's own default graph (on Virtuoso, the union of *every*
graph, old versions included): the client names the dataset on each request, the merge
graph as default graph and the version's graphs as named graphs, and rewrites graph IRIs
in the query text to their versioned names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from diplograph.ontology.prefixes import XSD
from diplograph.store.checks import _TOKEN

REGISTRY = "urn:diplograph:versions"
VOCAB = "urn:diplograph:store#"
MERGE_PREFIX = "urn:diplograph:merge:"
VERSION_PREFIX = "urn:diplograph:version:"
SUFFIX = "?v="

_IRI = re.compile(r"<([^>]*)>")
_SAFE_VERSION = re.compile(r"^[A-Za-z0-9._-]+$")


@dataclass(frozen=True)
class Version:
    """One loaded build in the store: its id, its graphs (as the data names them) and size."""

    id: str
    graphs: frozenset[str]
    triples: int = 0
    seq: int | None = None
    _back: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if not _SAFE_VERSION.match(self.id):
            raise ValueError(f"version id {self.id!r}: letters, digits, '.', '_' and '-' only")
        self._back.update({self.name(g): g for g in self.graphs})

    @property
    def node(self) -> str:
        return VERSION_PREFIX + self.id

    @property
    def merge(self) -> str:
        return MERGE_PREFIX + self.id

    def name(self, graph: str) -> str:
        """The stored name of one of this version's graphs."""
        return f"{graph}{SUFFIX}{self.id}"

    def stored_graphs(self) -> list[str]:
        return sorted(self.name(g) for g in self.graphs)

    def rename_triple(self, text: str) -> str:
        """An N-Triples statement with every IRI of one of our graphs renamed.

        The IRIs it holds are looked up in the set of graphs: a push renames every triple,
        and testing each graph's name against each triple made a 10M-quad push (1,536
        graphs) hours long."""
        if self.graphs.isdisjoint(_IRI.findall(text)):
            return text
        return _IRI.sub(
            lambda m: f"<{self.name(m.group(1))}>" if m.group(1) in self.graphs else m.group(0),
            text,
        )

    def rewrite_query(self, text: str, prefixes: dict[str, str]) -> str:
        """Query text with every IRI (or prefixed name) of one of our graphs renamed."""
        out, last = [], 0
        for match in _TOKEN.finditer(text):
            kind, value = match.lastgroup, match.group()
            if kind == "iri":
                iri = value[1:-1]
            elif kind == "pname":
                prefix, local = value.split(":", 1)
                iri = prefixes[prefix] + local if prefix in prefixes else None
            else:
                continue
            if iri in self.graphs:
                out.append(text[last : match.start()])
                out.append(f"<{self.name(iri)}>")
                last = match.end()
        out.append(text[last:])
        return "".join(out)

    def unversion(self, term):
        """A pyoxigraph term (or triple) with stored graph names turned back."""
        if isinstance(term, ox.Literal):
            return normalise_literal(term)
        if isinstance(term, ox.NamedNode):
            back = self._back.get(term.value)
            return term if back is None else ox.NamedNode(back)
        if isinstance(term, ox.Triple):
            return ox.Triple(
                self.unversion(term.subject),
                self.unversion(term.predicate),
                self.unversion(term.object),
            )
        return term


_BOOLEAN = ox.NamedNode(XSD + "boolean")
_DURATION = ox.NamedNode(XSD + "duration")


def normalise_literal(term: ox.Literal) -> ox.Literal:
    """Undo Virtuoso's storage forms: booleans come back as 0/1, durations as a number.

    (Virtuoso keeps an xsd:duration as months when it has no day-time part, as seconds
    otherwise.) Both are turned into the canonical lexical form, which is what the build
    writes.
    """
    if term.datatype == _BOOLEAN and term.value in ("0", "1"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    if term.datatype == _DURATION and not term.value.lstrip("-").startswith("P"):
        return ox.Literal(_iso_duration(term.value), datatype=_DURATION)
    return term


def _iso_duration(number: str) -> str:
    sign = "-" if number.startswith("-") else ""
    number = number.lstrip("-")
    if "." not in number and "e" not in number.lower():
        years, months = divmod(int(number), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
        return f"{sign}P{text}"
    seconds = float(number)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    time_part = (
        (f"{int(hours)}H" if hours else "")
        + (f"{int(minutes)}M" if minutes else "")
        + (f"{rest:g}S" if rest else "")
    )
    text = (f"{int(days)}D" if days else "") + (f"T{time_part}" if time_part else "")
    return f"{sign}P{text or 'T0S'}"


# -- the registry, in SPARQL ------------------------------------------------------------


def staged_update(version: Version, build_id: str, created: str, registry: str = REGISTRY) -> str:
    """Describe a version before loading it, so a failed push can be found and cleaned."""
    v = f"<{version.node}>"
    lines = [
        f"{v} a <{VOCAB}Version> ; <{VOCAB}build> {_lit(build_id)} ;",
        f"  <{VOCAB}triples> {version.triples} ; <{VOCAB}merge> <{version.merge}> ;",
        f"  <{VOCAB}staged> {_lit(created)} .",
    ]
    lines += [f"{v} <{VOCAB}graph> <{g}> ." for g in sorted(version.graphs)]
    return f"INSERT DATA {{ GRAPH <{registry}> {{\n" + "\n".join(lines) + "\n} }"


def switch_update(version: Version, seq: int, registry: str = REGISTRY) -> str:
    """The switch: one triple, so readers see the old number or the new one, never half."""
    return f"INSERT DATA {{ GRAPH <{registry}> {{ <{version.node}> <{VOCAB}seq> {int(seq)} }} }}"


def forget_update(version_id: str, registry: str = REGISTRY) -> str:
    node = f"<{VERSION_PREFIX}{version_id}>"
    return f"WITH <{registry}> DELETE {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}"


CURRENT_QUERY = f"""SELECT ?v ?seq ?triples WHERE {{
  ?v <{VOCAB}seq> ?seq ; <{VOCAB}triples> ?triples .
}} ORDER BY DESC(?seq) LIMIT 1"""

LIST_QUERY = f"""SELECT ?v ?seq ?staged WHERE {{
  ?v a <{VOCAB}Version> ; <{VOCAB}staged> ?staged .
  OPTIONAL {{ ?v <{VOCAB}seq> ?seq }}
}}"""


def graphs_query(version_id: str) -> str:
    return f"SELECT ?g WHERE {{ <{VERSION_PREFIX}{version_id}> <{VOCAB}graph> ?g }}"


def version_id(node: str) -> str:
    return node[len(VERSION_PREFIX) :] if node.startswith(VERSION_PREFIX) else node


def _lit(text: str) -> str:
    return str(ox.Literal(text))
