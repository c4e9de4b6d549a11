"""Synthetic curated data in the project's own YAML format, scaled by one parameter.

The shape is the real corpus's: the generator replicates data/ (sources, entities, facts,
claims, commitments, statements, disagreements, with their real fan-out) as many times as
the size asks, renaming every id (and label, alias) per copy so the copies are distinct
entities that pass the same shapes. A seeded share of each copy's lists of entities (the
participants, topics...) gains one entity of another copy, so the graph is one connected
web rather than islands.

    .venv/bin/python -m bench.synth OUT_DIR --facts 37000 --seed 1   # ~1M quads

Size: one "fact" is counted as ten data triples of the corpus as it was first measured
(about 12,100), so 1k facts is one copy and 37k facts 31 copies. A copy has grown since
(statement nodes per assertion, cues): 37k facts now build to about 1.0M quads (1,003,261
measured), 100k facts to 2.7M.
Deterministic: the same size and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

import yaml

from diplograph.data import DATA_DIR

FACTS_PER_COPY = 1_210
REMAP_SHARE = 0.3  # of a fact's lists of entities, given one more from another copy


def copies_for(facts: int) -> int:
    return max(1, math.ceil(facts / FACTS_PER_COPY - 0.05))


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _ids(data_dir: Path) -> tuple[set[str], set[str]]:
    """Ids of entities (and sources), and of facts and disagreements."""
    entities = {r["id"] for f in sorted((data_dir / "entities").glob("*.yaml")) for r in _load(f)}
    entities |= {r["id"] for r in _load(data_dir / "sources.yaml")}
    facts = {
        r["id"] for f in sorted((data_dir / "facts").glob("*.yaml")) for r in _load(f)["facts"]
    }
    facts |= {r["id"] for r in _load(data_dir / "disagreements.yaml") or []}
    return entities, facts


class _Renamer:
    def __init__(self, entities, facts, k: int, partner: int, rng: random.Random):
        self.entities, self.facts, self.k, self.partner, self.rng = entities, facts, k, partner, rng

    def name(self, ident: str, copy: int) -> str:
        return ident if copy == 0 else f"{ident}-c{copy}"

    def walk(self, value, remap: bool):
        if isinstance(value, dict):
            return {key: self.walk(v, remap and key != "source") for key, v in value.items()}
        if isinstance(value, list):
            out = [self.walk(v, remap) for v in value]
            linked = [v for v in value if isinstance(v, str) and v in self.entities]
            if remap and linked and self.partner != self.k and self.rng.random() < REMAP_SHARE:
                far = self.name(self.rng.choice(linked), self.partner)
                out += [] if far in out else [far]  # a cross-copy link, added, never swapped
            return out
        if isinstance(value, str):
            if value in self.facts:
                return self.name(value, self.k)
            if value in self.entities:
                return self.name(value, self.k)
        return value

    def entity(self, record: dict) -> dict:
        out = self.walk(record, remap=False)
        if self.k:
            if "label" in record:
                out["label"] = f"{record['label']} ({self.k})"
            if "aliases" in record:
                out["aliases"] = [f"{a} ({self.k})" for a in record["aliases"]]
            # The copied excerpts still say "Xi Jinping", not "Xi Jinping (3)": the real
            # names stay as cues (which, unlike aliases, copies may share), so the evidence
            # support check reads a copy's excerpts as the original's.
            names = [record[k] for k in ("label",) if k in record] + record.get("aliases", [])
            if names:
                out["cues"] = list(dict.fromkeys([*record.get("cues", []), *names]))
            out.pop("wikidata", None)  # one Wikidata item belongs to one entity
        return out


def generate(out_dir: Path | str, facts: int, seed: int = 1, data_dir: Path | None = None):
    """Write a curated data folder of about `facts` facts; return the number of copies."""
    data_dir, out_dir = Path(data_dir or DATA_DIR), Path(out_dir)
    entities, fact_ids = _ids(data_dir)
    copies = copies_for(facts)
    rng = random.Random(seed)
    partners = [rng.randrange(copies) if copies > 1 else 0 for _ in range(copies)]
    sources, disagreements, entity_files, fact_files = [], [], {}, {}
    for k in range(copies):
        ren = _Renamer(entities, fact_ids, k, partners[k], random.Random(f"{seed}:{k}"))
        sources += [ren.entity(r) for r in _load(data_dir / "sources.yaml")]
        disagreements += [ren.walk(r, False) for r in _load(data_dir / "disagreements.yaml") or []]
        for path in sorted((data_dir / "entities").glob("*.yaml")):
            entity_files.setdefault(path.name, []).extend(ren.entity(r) for r in _load(path))
        for path in sorted((data_dir / "facts").glob("*.yaml")):
            doc = _load(path)
            name = f"{ren.name(doc['source'], k)}.yaml"
            fact_files[name] = {
                "source": ren.name(doc["source"], k),
                "facts": [ren.walk(r, True) for r in doc["facts"]],
            }
    (out_dir / "entities").mkdir(parents=True, exist_ok=True)
    (out_dir / "facts").mkdir(parents=True, exist_ok=True)
    _dump(out_dir / "sources.yaml", sources)
    _dump(out_dir / "disagreements.yaml", disagreements)
    for name, records in entity_files.items():
        _dump(out_dir / "entities" / name, records)
    for name, doc in fact_files.items():
        _dump(out_dir / "facts" / name, doc)
    return copies


def _dump(path: Path, data) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--facts", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    copies = generate(args.out_dir, args.facts, args.seed)
    print(f"{args.out_dir}: {copies} copies of the corpus (~{copies * FACTS_PER_COPY} facts)")


if __name__ == "__main__":
    main()
