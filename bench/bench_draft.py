"""Quality and speed of `diplograph draft` on the curated seed articles.

Each source is drafted with its own facts file set aside (the shared entity files and
the other sources' facts stay visible) and compared with the curated facts:
entity mentions (per entity), dates (value at its precision), statements (excerpt
overlap, then speaker), events (matched id or overlapping excerpt).

    .venv/bin/python -m bench.bench_draft [--repeat 5] [--json FILE] [--misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import time
from pathlib import Path

from diplograph.data import DATA_DIR
from diplograph.draft.article import Article, draft_with
from diplograph.draft.files import located_excerpts
from diplograph.draft.gazetteer import Gazetteer
from diplograph.draft.graph import load_known
from diplograph.draft.text import fold
from diplograph.loaders.curated import as_list
from diplograph.loaders.excerpts import default_sources_dir
from diplograph.loaders.vocab import load_vocabulary
from diplograph.loaders.yamlsrc import Map, read_yaml
from diplograph.ontology import DG

NAMED = ("people", "organisations", "places", "posts")
DATE_KEYS = ("date", "start_date", "end_date", "deadline")


def _walk(value, key=None):
    """(key, scalar) for every scalar under `value`; a reference `{id: X, excerpt: ...}`
    yields X under the key that holds it (the fact's own `id` is the caller's to skip)."""
    if isinstance(value, Map | dict):
        if "id" in value and key is not None:
            yield key, str(value["id"])
        for k, v in value.items():
            if not (k == "id" and key is not None):
                yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    elif value is not None:
        yield key, str(value)


def gold(source_id: str, data: Path, known) -> dict:
    facts = as_list((read_yaml(data / "facts" / f"{source_id}.yaml", source_id) or {})["facts"])
    people = as_list(read_yaml(data / "entities" / "people.yaml", "people"))
    ids = {
        v for f in facts for k, v in _walk(f) if k not in ("id", "source") and v in known.entities
    }
    for person in people:
        for pos in as_list(person.get("positions")):
            if str(pos.get("source")) == source_id:
                ids |= {str(person["id"]), str(pos["post"])}
    vocab, types = load_vocabulary(), {}
    for path in sorted((data / "facts").glob("*.yaml")):
        for rec in as_list((read_yaml(path, path.name) or {}).get("facts")):
            if rec.get("type"):
                types[str(rec["id"])] = [str(t) for t in as_list(rec["type"])]
    event_ids = {
        fid
        for fid, ts in types.items()
        if any(t in vocab.classes and vocab.is_subclass(vocab.classes[t], DG.Event) for t in ts)
    }
    return {
        "entities": {i for i in ids if known.kind(i) in NAMED},
        "topics": {i for i in ids if known.kind(i) == "topics"},
        "dates": {v for k, v in _walk(facts) if k in DATE_KEYS},
        "statements": [
            f for f in facts if set(types.get(str(f["id"]), [])) & {"Quotation", "Paraphrase"}
        ],
        "events": [f for f in facts if str(f["id"]) in event_ids],
    }


def _spans(text: str, excerpts) -> list[tuple[int, int]]:
    """Where each excerpt is in `text`, matched folded and with any run of white space
    standing for any other (offsets in `text` itself, not in a collapsed copy)."""
    flat, out = fold(text), []
    for ex in as_list(excerpts):
        words = fold(str(ex)).split()
        if not words:
            continue
        found = re.search(r"\s+".join(re.escape(w) for w in words), flat)
        if found:
            out.append(found.span())
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return max((min(e1, e2) - max(s1, s2) for s1, e1 in a for s2, e2 in b), default=0)


def _pr(found: int, gold_n: int, right: int, drafted: int) -> dict:
    return {
        "recall": round(found / gold_n, 3) if gold_n else None,
        "precision": round(right / drafted, 3) if drafted else None,
        "gold": gold_n,
        "drafted": drafted,
        "found": found,
        "right": right,
    }


def score(text: str, doc: dict, g: dict, known) -> dict:
    named = {m["entity"] for m in doc["mentions"]}
    named |= {o["post"] for m in doc["mentions"] for o in m["occurrences"] if "post" in o}
    ents = {e for e in named if known.kind(e) in NAMED}
    topics = {e for e in named if known.kind(e) == "topics"}
    out = {
        "entities": _pr(
            len(ents & g["entities"]), len(g["entities"]), len(ents & g["entities"]), len(ents)
        ),
        "dates": _pr(*_sets({d["value"] for d in doc["dates"]}, g["dates"])),
        "verbatim": all(text[o : o + len(e)] == e for o, e in located_excerpts(doc)),
    }
    out["topics"] = _pr(*_sets(topics, g["topics"]))
    out["statements"], wrong = _statements(text, doc, g["statements"])
    out["events"] = _events(text, doc, g["events"])
    out["misses"] = {
        "entities_missed": sorted(g["entities"] - ents),
        "entities_extra": sorted(ents - g["entities"]),
        "dates_missed": sorted(g["dates"] - {d["value"] for d in doc["dates"]}),
        "speaker_wrong": wrong,
    }
    return out


def _sets(drafted: set, gold_set: set) -> tuple[int, int, int, int]:
    hit = len(drafted & gold_set)
    return hit, len(gold_set), hit, len(drafted)


def _statements(text: str, doc: dict, gold_st: list) -> dict:
    drafted = [f for f in doc["facts"] if f.get("type") in ("Quotation", "Paraphrase")]
    spans = [[(f["offset"], f["offset"] + len(f["excerpt"][0]))] for f in drafted]
    used, found, right, wrong = set(), 0, 0, []
    for st in gold_st:
        gs = _spans(text, st.get("excerpt"))
        ts = _spans(text, st.get("text"))
        best = max(
            (i for i in range(len(drafted)) if i not in used and _overlap(gs, spans[i]) > 0),
            key=lambda i: (_overlap(ts, _text_span(drafted[i])), _overlap(gs, spans[i])),
            default=None,
        )
        if best is None:
            wrong.append(f"{st['id']}: not found")
            continue
        used.add(best)
        found += 1
        speaker = drafted[best].get("speaker", {}).get("id")
        expected = {v for _, v in _walk(st.get("speaker"), "speaker")}
        right += speaker in expected
        if speaker not in expected:
            wrong.append(f"{st['id']}: drafted {speaker}, curated {sorted(expected)}")
    res = _pr(found, len(gold_st), found, len(drafted))
    res["speaker_right"] = round(right / found, 3) if found else None
    res["speaker_hits"] = right
    return res, wrong


def _text_span(fact: dict) -> list[tuple[int, int]]:
    start = fact["offset"] + fact["excerpt"][0].find(fact.get("text", "\0"))
    return [(start, start + len(fact.get("text", "")))] if start >= fact["offset"] else []


def _events(text: str, doc: dict, gold_ev: list) -> dict:
    drafted = [f for f in doc["facts"] if "match" in f]
    gold_spans = {str(e["id"]): _spans(text, e.get("excerpt")) for e in gold_ev}
    found, right = set(), 0
    for ev in drafted:
        mine = _spans(text, ev["excerpt"])
        hits = {i for i, sp in gold_spans.items() if i == ev["match"] or _overlap(mine, sp) > 0}
        found |= hits
        right += bool(hits)
    return _pr(len(found), len(gold_spans), right, len(drafted))


def run(repeat: int) -> dict:
    data, sources = Path(DATA_DIR), default_sources_dir()
    results = {}
    for src in as_list(read_yaml(data / "sources.yaml", "sources.yaml")):
        sid = str(src["id"])
        text = (sources / str(src["file"])).read_text(encoding="utf-8")
        published = _publication(str(src["publication_date"]))
        times, doc = [], None
        for _ in range(repeat):
            t0 = time.perf_counter()
            known = load_known(data, exclude_source=sid)
            doc = draft_with(Article(sid, text, published), known, Gazetteer(known))
            times.append(time.perf_counter() - t0)
        known = load_known(data, exclude_source=sid)
        res = score(text, doc, gold(sid, data, known), known)
        res["words"] = len(text.split())
        res["median_s"] = round(statistics.median(times), 3)
        results[sid] = res
    results["all five"] = overall(results)
    return results


def overall(results: dict) -> dict:
    """Micro figures over all sources: counts summed, then divided."""
    out: dict = {"words": sum(r["words"] for r in results.values())}
    for kind in ("entities", "dates", "topics", "statements", "events"):
        parts = [r[kind] for r in results.values()]
        total = {k: sum(p[k] for p in parts) for k in ("found", "gold", "right", "drafted")}
        out[kind] = _pr(total["found"], total["gold"], total["right"], total["drafted"])
    hits = sum(r["statements"]["speaker_hits"] for r in results.values())
    found = out["statements"]["found"]
    out["statements"]["speaker_right"] = round(hits / found, 3) if found else None
    out["verbatim"] = all(r["verbatim"] for r in results.values())
    return out


def _publication(value: str) -> dt.date:
    if "-W" in value:
        year, week = value.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    return dt.date.fromisoformat(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default=None)
    parser.add_argument("--misses", action="store_true", help="list what each draft missed")
    args = parser.parse_args()
    results = run(args.repeat)
    for sid, res in results.items():
        misses = res.pop("misses", {})
        print(sid, json.dumps(res))
        if args.misses:
            for key, items in misses.items():
                for item in items:
                    print(f"    {key}: {item}")
        res["misses"] = misses
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
