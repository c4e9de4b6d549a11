"""The curated facts: YAML files shipped with the package (see docs/curation.md)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
