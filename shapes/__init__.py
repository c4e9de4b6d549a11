"""SHACL shapes (the *.ttl files here), their compilation to SPARQL, the validation report."""

from pathlib import Path

SHAPES_DIR = Path(__file__).resolve().parent
