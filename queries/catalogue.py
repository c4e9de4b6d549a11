"""The public query catalogue: SPARQL files with a grlc-style header, bound safely.

A catalogue query is a `queries/<name>.rq` file whose leading `#+` comment lines
hold YAML (title, description, params). The header keeps the file valid SPARQL,
so the same text runs on the embedded store and on any SPARQL 1.1 endpoint.

Parameters are never pasted into the query text: each value is parsed by its
declared type into one RDF term (pyoxigraph validates IRIs and escapes
literals), and the terms reach the query as a `VALUES` block injected at the
start of the outer WHERE group. A value can therefore only ever be one term;
it cannot close a brace or start a new clause.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from diplograph.ontology import ID
from diplograph.ontology.prefixes import XSD
from diplograph.queries import QUERIES_DIR
from diplograph.queries.binding import bind_values, where_brace

ID_BASE = str(ID)
PARAM_TYPES = ("iri", "entity", "string", "date", "integer")
VIOLATION_SUFFIX = "-violation"

_ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


class QueryError(ValueError):
    """A catalogue file that cannot be read, or a parameter value that is not a term."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    example: str | None
    description: str = ""

    def term(self, value) -> ox.NamedNode | ox.Literal:
        """The one RDF term `value` denotes under this parameter's type."""
        return to_term(self.type, value, self.name)


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    path: Path | None = None
    header: dict = field(default_factory=dict, compare=False)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}' (parameters: {known})")

    def example_params(self) -> dict[str, str]:
        return {p.name: p.example for p in self.params if p.example is not None}


# -- terms -------------------------------------------------------------------------


def to_term(kind: str, value, name: str = "value") -> ox.NamedNode | ox.Literal:
    """Parse a parameter value by its declared type; raise QueryError if it is not one term."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    try:
        if kind == "iri":
            if not _ABSOLUTE_IRI.match(text):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(text)
        if kind == "entity":
            if text.startswith(ID_BASE):
                text = text[len(ID_BASE) :]
            if not _ENTITY_ID.match(text):
                raise ValueError("an entity id is lower-case words joined by '-'")
            return ox.NamedNode(ID_BASE + text)
        if kind == "string":
            return ox.Literal(str(value))
        if kind == "date":
            dt.date.fromisoformat(text)
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                raise ValueError("expected YYYY-MM-DD")
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
        if kind == "integer":
            if isinstance(value, bool) or not _INTEGER.match(text):
                raise ValueError("expected an integer")
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    except ValueError as exc:
        raise QueryError(f"parameter '{name}': {value!r} is not a valid {kind}: {exc}") from exc
    raise QueryError(f"parameter '{name}': unknown type '{kind}' (one of {PARAM_TYPES})")


# -- reading files -------------------------------------------------------------------


def split_header(text: str) -> tuple[dict, str]:
    """The YAML of the leading `#+` lines, and the rest of the file."""
    lines = text.splitlines(keepends=True)
    header = []
    i = 0
    while i < len(lines) and (lines[i].startswith("#+") or not lines[i].strip()):
        if lines[i].startswith("#+"):
            header.append(lines[i][2:].removeprefix(" "))
        i += 1
    data = yaml.safe_load("".join(header)) if header else None
    return (data if isinstance(data, dict) else {}), "".join(lines[i:])


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """Build a Query from a file's text; raise QueryError naming what is wrong."""
    try:
        header, _body = split_header(text)
    except yaml.YAMLError as exc:
        raise QueryError(f"{name}: header is not valid YAML: {exc}") from exc
    where = f"{path or name}"
    for key in ("title", "description"):
        if not str(header.get(key) or "").strip():
            raise QueryError(f"{where}: header has no '{key}'")
    params = []
    for item in header.get("params") or []:
        if not isinstance(item, dict) or "name" not in item or "type" not in item:
            raise QueryError(f"{where}: each parameter needs 'name' and 'type'")
        pname, kind = str(item["name"]), str(item["type"])
        if not _VAR_NAME.match(pname):
            raise QueryError(f"{where}: parameter name '{pname}' is not a SPARQL variable name")
        if kind not in PARAM_TYPES:
            raise QueryError(f"{where}: parameter '{pname}' has unknown type '{kind}'")
        default = None if item.get("default") is None else str(item["default"])
        example = None if item.get("example") is None else str(item["example"])
        param = Param(pname, kind, default, example, str(item.get("description") or ""))
        for value in (default, example):
            if value is not None:
                param.term(value)  # a bad default is a bug in the file, found on load
        if not re.search(r"[?$]" + pname + r"\b", text):
            raise QueryError(f"{where}: parameter '{pname}' is not used as ?{pname}")
        params.append(param)
    if where_brace(text) is None:
        raise QueryError(f"{where}: no WHERE clause")
    return Query(
        name=name,
        title=str(header["title"]).strip(),
        description=" ".join(str(header["description"]).split()),
        params=tuple(params),
        sparql=text,
        path=path,
        header=header,
    )


def load_query(path: Path) -> Query:
    path = Path(path)
    return parse_query(path.read_text(encoding="utf-8"), path.stem, path)


def catalogue_files(folder: Path | None = None) -> list[Path]:
    """The public catalogue: `*.rq` in queries/, minus data-quality `*-violation` checks."""
    folder = Path(folder or QUERIES_DIR)
    return sorted(p for p in folder.glob("*.rq") if not p.stem.endswith(VIOLATION_SUFFIX))


def load_catalogue(folder: Path | None = None) -> dict[str, Query]:
    return {p.stem: load_query(p) for p in catalogue_files(folder)}


def get_query(name: str, folder: Path | None = None) -> Query:
    path = Path(folder or QUERIES_DIR) / f"{name}.rq"
    if not _ENTITY_ID.match(name) or not path.is_file() or name.endswith(VIOLATION_SUFFIX):
        known = ", ".join(load_catalogue(folder))
        raise QueryError(f"no catalogue query '{name}' (known: {known})")
    return load_query(path)


# -- binding -------------------------------------------------------------------------


def resolve(query: Query, params: Mapping[str, object] | None = None) -> dict[str, ox.Term]:
    """Every parameter's term: the given value, else its default; unknown names are errors."""
    params = dict(params or {})
    for name in params:
        query.param(name)
    terms = {}
    for p in query.params:
        value = params.get(p.name, p.default)
        if value is None or value == "":
            raise QueryError(f"query '{query.name}' needs a value for parameter '{p.name}'")
        terms[p.name] = p.term(value)
    return terms


def bind(query: Query, params: Mapping[str, object] | None = None) -> str:
    """The query's SPARQL with its parameters bound by a VALUES block (terms, never text)."""
    terms = resolve(query, params)
    if not terms:
        return query.sparql
    try:
        return bind_values(query.sparql, list(terms), [list(terms.values())])
    except ValueError as exc:
        raise QueryError(f"{query.name}: no WHERE clause") from exc


# -- running -------------------------------------------------------------------------


@dataclass
class Result:
    variables: list[str]
    rows: list[dict[str, ox.Term | None]]

    def values(self, name: str) -> list[str | None]:
        """One column as plain strings (IRIs and lexical forms), for tests and scripts."""
        return [None if r.get(name) is None else r[name].value for r in self.rows]


def execute(store, sparql: str) -> Result:
    """Run a SELECT on `store`: the store module's handle, or a raw pyoxigraph Store.

    A raw Store whose default graph holds triples is taken to hold the merge of the named
    graphs there (a set, as SPARQL defines the merge); otherwise the union of the named
    graphs is queried, which in pyoxigraph 0.5 repeats a triple once per graph holding it.
    """
    if isinstance(store, ox.Store):
        merged = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
        solutions = store.query(sparql, use_default_graph_as_union=merged is None)
    else:
        solutions = store.query(sparql)
    variables = [v.value for v in solutions.variables]
    rows = [{v: solution[v] for v in variables} for solution in solutions]
    return Result(variables, rows)


def adhoc_query(text: str, name: str = "query") -> Query:
    """Any SPARQL file: parsed as a catalogue query when it has a header, else as is."""
    header, _body = split_header(text)
    if header:
        return parse_query(text, name)
    return Query(name=name, title=name, description="", params=(), sparql=text)


def run(store, query: Query | str, params: Mapping[str, object] | None = None) -> Result:
    """Run a catalogue query (a Query or its name) with bound parameters."""
    if isinstance(query, str):
        query = get_query(query)
    return execute(store, bind(query, params))


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """`k=v` strings (from the command line) as a dict."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param expects NAME=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out
