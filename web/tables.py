"""Any table a page shows, as CSV or JSON: one writer for search, timeline, relations, catalogue."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def table_response(name: str, columns: list[str], rows: list[list], fmt: str) -> Response:
    """`rows` (one value per column) as a download named `name`.csv or `name`.json."""
    if fmt not in FORMATS:
        abort(404)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        body = out.getvalue()
    else:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        body = json.dumps({"license": LICENCE, "columns": columns, "rows": records}, indent=1)
    return Response(
        body,
        mimetype=FORMATS[fmt].split(";")[0],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            "Link": f'<{LICENCE}>; rel="license"',
        },
    )
