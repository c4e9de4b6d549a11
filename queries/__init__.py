"""The analysts' catalogue of SPARQL queries (*.rq files with a header) and its runner."""

from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent
