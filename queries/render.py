"""Showing query results (table, CSV, SPARQL JSON) and the catalogue's documentation page."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from diplograph.ontology.prefixes import NAMESPACES
from diplograph.queries.catalogue import ID_BASE, Query, Result, catalogue_files, load_query

DG = "https://w3id.org/diplograph/def#"
SHORT = {ID_BASE: "", DG: "dg:", NAMESPACES["time"]: "time:"}
FORMATS = ("table", "csv", "json")
MAX_CELL = 80


def short(term: ox.Term | None) -> str:
    """A readable cell: entity ids without their base, dg: terms prefixed, literals bare."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for base, prefix in SHORT.items():
            if term.value.startswith(base):
                return prefix + term.value[len(base) :]
    return term.value


def as_table(result: Result) -> str:
    cols = result.variables
    cells = [[_clip(short(row.get(c))) for c in cols] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(result.rows)} row{'' if len(result.rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def as_csv(result: Result) -> str:
    """SPARQL 1.1 CSV results: IRIs in full, literals as their lexical form."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if row.get(v) is None else row[v].value for v in result.variables])
    return out.getvalue()


def _json_term(term: ox.Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != NAMESPACES["xsd"] + "string":
        out["datatype"] = term.datatype.value
    return out


def as_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{v: _json_term(t) for v, t in row.items() if t is not None} for row in result.rows]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render(result: Result, fmt: str = "table") -> str:
    return {"table": as_table, "csv": as_csv, "json": as_json}[fmt](result)


# -- documentation -----------------------------------------------------------------------

DOC_INTRO = """\
# The query catalogue

Generated from the headers of `queries/*.rq` by
`diplograph.queries.render.catalogue_markdown()`; a test fails when this page
and the files disagree. Regenerate it with `diplograph query --docs > docs/queries.md`.

Run a query with `diplograph query NAME [--param k=v ...] [--format table|csv|json]`,
or any SPARQL file with `diplograph query --file Q.rq`. Queries run with the
default graph as the merge of all named graphs (one per source; each triple
once), and `GRAPH ?g` reaches one source's statements. The queries are standard
SPARQL 1.1 (a test parses each with a second, independent parser).

Parameters are bound as RDF terms, never pasted into the text: each value is
parsed by its type (`entity`: an id such as `donald-trump`, made into
`https://w3id.org/diplograph/id/donald-trump`; `iri`: an absolute IRI;
`string`; `date`: `YYYY-MM-DD` as `xsd:date`; `integer`) and reaches the query
in a `VALUES` block at the start of the WHERE clause. A value that is not one
term of its type is refused.
"""


def query_markdown(q: Query) -> str:
    lines = [f"## `{q.name}`: {q.title}", "", q.description, ""]
    if q.params:
        lines += ["| parameter | type | default | example | meaning |", "|---|---|---|---|---|"]
        for p in q.params:
            lines.append(
                f"| `{p.name}` | {p.type} | `{p.default or ''}` | `{p.example or ''}` "
                f"| {p.description} |"
            )
        lines.append("")
    else:
        lines += ["No parameters.", ""]
    args = " ".join(f"--param {k}={v}" for k, v in q.example_params().items())
    lines += ["```", f"diplograph query {q.name}{' ' + args if args else ''}", "```", ""]
    return "\n".join(lines)


def catalogue_markdown(folder=None) -> str:
    queries = [load_query(p) for p in catalogue_files(folder)]
    index = [f"- `{q.name}`: {q.title}" for q in queries]
    body = "\n".join(query_markdown(q) for q in queries)
    return DOC_INTRO + "\n" + "\n".join(index) + "\n\n" + body
