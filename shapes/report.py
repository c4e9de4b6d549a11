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
    n_v, n_w = len(report.get("violations", [])), len(report.get("warnings", []))
    lines.append(
        f"{'Conforms' if report.get('conforms') else 'Does not conform'}: "
        f"{n_v} violation(s), {n_w} warning(s)."
    )
    return "\n".join(lines)


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
    return f'<section class="validation-report"><p>The build {status}.</p>{table}</section>'
