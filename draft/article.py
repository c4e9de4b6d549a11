"""Draft one article: every kind of candidate, each with its verbatim excerpt and offset."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from diplograph.draft.dates import FoundDate, find_dates
from diplograph.draft.events import find_events
from diplograph.draft.gazetteer import Gazetteer, Mention
from diplograph.draft.graph import Known, load_known
from diplograph.draft.measures import find_measures
from diplograph.draft.names import new_names
from diplograph.draft.statements import Speech
from diplograph.draft.text import evidence, sentence_at, sentences
from diplograph.draft.titles import with_titles

PENDING = "pending"


@dataclass
class Article:
    id: str
    text: str
    published: dt.date
    publisher: str | None = None
    file: str | None = None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _ref(text: str, m: Mention, key: str = "id") -> dict:
    return {key: m.entity, **evidence(text, m.start, m.end)}


def _date(text: str, d: FoundDate) -> dict:
    return {"value": d.value, **evidence(text, d.start, d.end)}


def draft_article(art: Article, data_dir: Path, exclude_source: str | None = None) -> dict:
    """The draft document for `art`, in the curated format plus review fields."""
    known = load_known(data_dir, exclude_source)
    return draft_with(art, known, Gazetteer(known))


def draft_with(art: Article, known: Known, gazetteer: Gazetteer) -> dict:
    text = art.text
    sents = sentences(text)
    mentions = with_titles(text, gazetteer.mentions(text), known)

    def sentence_of(offset: int) -> str:
        s = sentence_at(sents, offset)
        return s.text if s else ""

    dates = find_dates(text, art.published, sentence_of)
    ctx = _Context(art, known, sents, mentions, dates)
    facts = ctx.statements() + ctx.events() + ctx.measures()
    return {
        "source": art.id,
        "source_record": ctx.source_record(),
        "mentions": ctx.mention_groups(),
        "new_entities": ctx.new_entities(),
        "dates": [
            {**_date(text, d), "precision": d.precision, "date_note": d.words} for d in dates
        ],
        "facts": facts,
    }


@dataclass
class _Context:
    art: Article
    known: Known
    sents: list
    mentions: list[Mention]
    dates: list[FoundDate]

    def _topics(self, start: int, end: int) -> list[dict]:
        seen, out = set(), []
        for m in self.mentions:
            topic = self.known.kind(m.entity) == "topics"
            if start <= m.start < end and topic and m.entity not in seen:
                seen.add(m.entity)
                out.append(_ref(self.art.text, m))
        return out

    def _record(self, fid: str, kind, start: int, end: int, confidence: float) -> dict:
        return {
            "id": fid,
            "type": kind,
            "review": PENDING,
            "confidence": round(confidence, 2),
            "offset": start,
            "excerpt": [self.art.text[start:end]],
        }

    def _dated(self, rec: dict, start: int, end: int, key: str = "date") -> None:
        inside = [d for d in self.dates if start <= d.start < end]
        if inside:
            rec[key] = _date(self.art.text, inside[0])
            rec["date_note"] = inside[0].words

    def statements(self) -> list[dict]:
        text, out = self.art.text, []
        found = Speech(text, self.sents, self.mentions, self.known).statements()
        for n, st in enumerate(found, 1):
            who = st.speaker.entity if st.speaker else "unknown"
            rec = self._record(f"statement-{who}-{n}", st.kind, st.start, st.end, st.confidence)
            if st.speaker:
                rec["speaker"] = _ref(text, st.speaker)
            rec["text"] = text[st.text_start : st.text_end]
            if st.addressee:
                rec["addressee"] = _ref(text, st.addressee)
            if st.reported_by:
                rec["reported_by"] = [_ref(text, m) for m in st.reported_by]
            self._dated(rec, st.start, st.end)
            if topics := self._topics(st.start, st.end):
                rec["topics"] = topics
            out.append(rec)
        return out

    def events(self) -> list[dict]:
        text, out = self.art.text, []
        for ev in find_events(self.sents, self.mentions, self.dates, self.known):
            first = ev.sentences[0]
            names = [self.known.entities[m.entity].label for m in ev.participants]
            date = ev.dates[0].value if ev.dates else ""
            fid = ev.match or slug(f"{'-'.join(n.split()[-1] for n in names)} {ev.type} {date}")
            rec = self._record(fid, ev.type, first.start, first.end, ev.confidence)
            rec["excerpt"] = [s.text for s in ev.sentences]
            rec["match"] = ev.match or "new"
            if ev.match:
                del rec["type"]
            else:
                rec["label"] = f"{ev.type}: {', '.join(names)}"
            rec["status"] = ev.status
            rec["participants"] = [_ref(text, m, "agent") for m in ev.participants]
            if ev.dates:
                rec["date"] = _date(text, ev.dates[0])
                rec["date_note"] = ev.dates[0].words
            if ev.places:
                rec["place"] = _ref(text, ev.places[0])
            if topics := self._topics(first.start, first.end):
                rec["topics"] = topics
            out.append(rec)
        return out

    def measures(self) -> list[dict]:
        text, out = self.art.text, []
        found = find_measures(text, self.sents, self.mentions, self.dates, self.known)
        for n, ms in enumerate(found, 1):
            rec = self._record(f"{slug(ms.type)}-{n}", ms.type, ms.start, ms.end, ms.confidence)
            rec["label"] = f"{ms.type} ({text[ms.quantities[0].start : ms.quantities[0].end]})"
            for q in ms.quantities:
                ev = evidence(text, q.start, q.end)
                if q.unit == "percent":
                    rec.setdefault("rate_percent", {"value": _num(q.value), **ev})
                elif q.currency:
                    rec.setdefault("amount", {"value": _num(q.value), "currency": q.currency, **ev})
                else:
                    qty = {"value": _num(q.value), "unit": q.unit, **ev}
                    if q.bound:
                        qty["bound"] = q.bound
                    rec.setdefault("quantity", qty)
                if q.resource and "resource" not in rec:
                    rec["resource"] = _ref(text, q.resource)
            if ms.deadline:
                rec["deadline"] = _date(text, ms.deadline)
                rec["date_note"] = ms.deadline.words
            if topics := self._topics(ms.start, ms.end):
                rec["topics"] = topics
            out.append(rec)
        return out

    def mention_groups(self) -> list[dict]:
        groups: dict[str, dict] = {}
        for m in self.mentions:
            ent = self.known.entities.get(m.entity)
            group = groups.setdefault(
                m.entity,
                {
                    "entity": m.entity,
                    "label": ent.label if ent else m.entity,
                    "review": PENDING,
                    "confidence": 0.0,
                    "occurrences": [],
                },
            )
            occ = {**evidence(self.art.text, m.start, m.end), "how": m.how}
            if m.via:
                occ["post"] = m.via
            group["occurrences"].append(occ)
            group["confidence"] = max(group["confidence"], m.confidence)
        return list(groups.values())

    def new_entities(self) -> list[dict]:
        out = []
        for cand in new_names(self.art.text, self.sents, self.mentions, self.known):
            out.append(
                {
                    "id": slug(cand.label),
                    "label": cand.label,
                    "type": cand.type,
                    "review": PENDING,
                    "confidence": cand.confidence,
                    "nearest": [{"id": i, "score": s} for i, s in cand.nearest],
                    "occurrences": [evidence(self.art.text, s, e) for s, e in cand.occurrences],
                }
            )
        return out

    def source_record(self) -> dict:
        lines = [ln.strip() for ln in self.art.text.splitlines() if len(ln.split()) >= 5]
        rec = {"id": self.art.id}
        if self.art.file:
            rec["file"] = self.art.file
        if self.art.publisher:
            rec["publisher"] = self.art.publisher
        if lines:
            rec["headline"] = lines[0]
        rec["publication_date"] = self.art.published.isoformat()
        rec["language"] = "en"
        return rec


def _num(value: float):
    return int(value) if float(value).is_integer() else value
