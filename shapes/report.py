"""Validation reports as text (CLI), JSON (machines) and HTML (the web front end)."""

from __future__ import annotations

import html
import json


def render_text(report: dict) -> str:
    lines = []
    for kind in ("violations", "warnings"):
        for item in report.get(kind, []):
            where = item.get("where") or "?"
            lines.append(
                f"{where}: [{item.get('severity', kind[:-1])}] {item.get('shape', '')}: "
                f"{item.get('message', '')} (focus {item.get('focus', '')})"
            )
    owl = report.get("owl") or {}
    if owl and not owl.get("consistent", True):
        lines.append("OWL check (HermiT): the graph is INCONSISTENT.")
        if owl.get("explanation"):
            lines.append(owl["explanation"])
    for iri in owl.get("unsatisfiable", []):
        lines.append(f"OWL check (HermiT): unsatisfiable class {iri}")
    if report.get("evidence_support") is not None:
        lines.append(
            f"Evidence support: {report['evidence_support']:.1%} of "
            f"{report.get('evidence_assertions', 0)} assertions "
            f"(threshold {report.get('evidence_support_threshold', 0):.0%}); "
            f"{len(report.get('unsupported_assertions', []))} unsupported."
        )
    n_v, n_w = len(report.get("violations", [])), len(report.get("warnings", []))
    lines.append(
        f"{'Conforms' if report.get('conforms') else 'Does not conform'}: "
        f"{n_v} violation(s), {n_w} warning(s)."
    )
    return "\n".join(lines)


def render_support_html(report: dict) -> str:
    """The support check: its share, and the rows no excerpt supports (file:line each)."""
    share = report.get("evidence_support")
    if share is None:
        return ""
    threshold = report.get("evidence_support_threshold", 0)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(i.get(k, '')))}</td>"
            for k in ("where", "subject", "predicate", "object", "message")
        )
        + "</tr>"
        for i in report.get("unsupported_assertions", [])
    )
    table = (
        "<table><thead><tr><th>file:line</th><th>subject</th><th>predicate</th>"
        f"<th>object</th><th>why</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>Every checked row has an excerpt that mentions its value, or says why it "
        "is implied.</p>"
    )
    return (
        '<section class="evidence-support"><h2>Evidence support</h2>'
        f"<p>evidence_support: <strong>{share:.1%}</strong> of "
        f"{report.get('evidence_assertions', 0)} assertions (threshold {threshold:.0%}). "
        "Rows no excerpt supports:</p>"
        f"{table}</section>"
    )


def render_json(report: dict) -> str:
    return json.dumps(report, indent=2, sort_keys=True)


def render_html(report: dict) -> str:
    rows = []
    for kind in ("violations", "warnings"):
        for item in report.get(kind, []):
            cells = "".join(
                f"<td>{html.escape(str(item.get(k, '')))}</td>"
                for k in ("where", "shape", "message", "focus")
            )
            rows.append(f'<tr class="{kind[:-1]}"><td>{kind[:-1]}</td>{cells}</tr>')
    status = "conforms" if report.get("conforms") else "does not conform"
    support = render_support_html(report)
    table = (
        (
            "<table><thead><tr><th>severity</th><th>file:line</th><th>shape</th>"
            "<th>message</th><th>focus node</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
        if rows
        else "<p>No violations or warnings.</p>"
    )
    return (
        f'<section class="validation-report"><p>The build {status}.</p>{table}</section>{support}'
    )
