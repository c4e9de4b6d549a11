"""The protocol instance's data: the W3C SPARQL Protocol graphs and a graph of numbered rows."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
W3C_DIR = (
    Path(os.environ.get("DIPLOGRAPH_W3C", ROOT.parent / "shared" / "w3c")) / "sparql11-protocol"
)
KASEI = "http://kasei.us/2009/09/sparql/data/"
ROWS_GRAPH = "http://example.org/rows"
ROW_COUNT = 40
ENDPOINT_LIMITS = {"WORKERS": 2, "QUERY_TIMEOUT": 3, "MAX_ROWS": 25}
