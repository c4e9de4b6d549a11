"""Reported speech: direct quotations and paraphrases, with speaker, addressee and outlet.

A quotation is a quoted span; its speaker is found in the attribution around it
(`," Leavitt said`, `, said one strategist`, `X said: "...`), a pronoun taking the
person last named. A paraphrase is a sentence with no quotation whose verb reports
speech or a stance ("accuses", "according to the ministry").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diplograph.draft.gazetteer import Mention
from diplograph.draft.graph import Known
from diplograph.draft.text import Sentence, fold

SPEECH = (
    r"said|says|say|told|tells|added|adds|stated|states|noted|notes|warned|warns|cautioned|"
    r"cautions?|accused|accuses|accuse|counters?|countered|argued|argues|claimed|claims|"
    r"indicated|indicates|revealed|reveals|emphasi[sz]ed|stressed|stresses|believes|described|"
    r"describes|cited|cites|pledged|pledges|pledging|confirmed|confirms|announced|announces|"
    r"insisted|insists|reported|reports|urged|urges|expressed|suggested|suggests|wrote|writes|"
    r"signaled|signalled|signals|admitted|predicted|predicts|explained|explains|asserted|"
    r"acknowledged|replied|responded|calling|called|mentioned|hinted|praised|vowed"
)
_SPEECH = re.compile(rf"\b(?:{SPEECH})\b", re.I)
_ACCORDING = re.compile(r"\baccording to\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.I)
_QUOTE = re.compile(r'"([^"\n]{2,600}?)"')
_AGENT_FILES = ("people", "organisations", "places")
_SPEAKER_TYPES = {"Person", "Country", "Polity", "Government", "GovernmentDepartment"}


@dataclass
class Statement:
    kind: str  # Quotation | Paraphrase
    start: int  # the excerpt: the sentence (or sentences) that carry it
    end: int
    text_start: int
    text_end: int
    speaker: Mention | None = None
    addressee: Mention | None = None
    reported_by: list[Mention] = field(default_factory=list)
    confidence: float = 0.5


class Speech:
    def __init__(self, text: str, sents: list[Sentence], mentions: list[Mention], known: Known):
        self.text, self.folded, self.sents, self.known = text, fold(text), sents, known
        # A name inside a quotation is quoted, not speaking ("I had a call with President Xi").
        quoted = [(q.start(1), q.end(1)) for q in _QUOTE.finditer(self.folded)]
        self.mentions = [
            m
            for m in mentions
            if known.kind(m.entity) in _AGENT_FILES
            and not any(s <= m.start < e for s, e in quoted)
            and not _possessive(self.folded, m, mentions)
        ]
        self.speakers: list[Mention] = []  # named speakers so far, in text order

    def _is_outlet(self, m: Mention) -> bool:
        return self.known.entities[m.entity].type == "NewsOrganisation"

    def _in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def _last_person(self, before: int) -> Mention | None:
        people = [
            m for m in self.mentions if m.end <= before and self.known.kind(m.entity) == "people"
        ]
        return people[-1] if people else None

    def _pronoun_speaker(self, before: int) -> Mention | None:
        """'he said': the most recent named speaker who is a person, else the person last named."""
        for m in reversed(self.speakers):
            if m.end <= before and self.known.kind(m.entity) == "people":
                return m
        return self._last_person(before)

    def _sentence(self, offset: int) -> Sentence:
        for s in self.sents:
            if s.start <= offset < s.end:
                return s
        return Sentence(offset, offset, "")

    def statements(self) -> list[Statement]:
        """In text order, so that a pronoun can take the speaker named last."""
        quotes = list(_QUOTE.finditer(self.folded))
        found: list[Statement] = []
        for sent in self.sents:
            inside = [q for q in quotes if sent.start <= q.start() < sent.end]
            if inside:
                new = [self.quotation(q) for q in inside]
            elif not any(q.start() < sent.start < q.end() for q in quotes):
                new = [p for p in [self.paraphrase(sent)] if p]
            else:
                new = []
            found += new
            self.speakers += [st.speaker for st in new if st.speaker]
        return sorted(found, key=lambda s: s.start)

    def quotations(self) -> list[Statement]:
        return [self.quotation(m) for m in _QUOTE.finditer(self.folded)]

    def quotation(self, m: re.Match) -> Statement:
        first, last = self._sentence(m.start()), self._sentence(m.end() - 1)
        words = m.group(1).split()
        end = m.end(1)
        while end > m.start(1) and self.text[end - 1] in ",.;:":
            end -= 1
        st = Statement("Quotation", first.start, max(last.end, m.end()), m.start(1), end)
        self._attribute(st, m.start(), m.end(), first.start, max(last.end, m.end()))
        st.confidence = 0.9 if st.speaker and len(words) > 3 else 0.6
        return st

    def _attribute(self, st: Statement, q0: int, q1: int, s0: int, s1: int) -> None:
        after, before = self._in(q1, s1), self._in(s0, q0)
        st.reported_by = [m for m in after + before if self._is_outlet(m)]
        tail = self.folded[q1:s1]
        verb = _SPEECH.search(tail[:60])
        candidates = []
        if verb:
            lo, hi = q1, q1 + verb.end() + 30
            candidates = [m for m in after if lo <= m.start < hi and not self._is_outlet(m)]
        if verb and _PRONOUN.search(tail[: verb.start() + 1]):
            st.speaker = self._pronoun_speaker(q0)
        elif verb and candidates:
            st.speaker = min(candidates, key=lambda m: abs(m.start - (q1 + verb.start())))
        else:
            cands = [m for m in before if not self._is_outlet(m)]
            verb = list(_SPEECH.finditer(self.folded[s0:q0]))
            if cands and verb:
                pos = s0 + verb[-1].start()
                prior = [m for m in cands if m.end <= pos]
                st.speaker = (prior or cands)[-1]
            elif cands:
                st.speaker = cands[0]
            elif verb and (outlets := [m for m in before if m.end <= s0 + verb[-1].start()]):
                st.speaker = outlets[-1]  # "the Global Times explained that ..."
            else:
                st.speaker = self._last_person(q0)
        told = re.search(r"\btold\s+", tail[:80])
        if told:
            targets = [m for m in after if m.start >= q1 + told.end() and not self._is_outlet(m)]
            if targets and targets[0].start - (q1 + told.end()) < 5:
                st.addressee = targets[0]
        if st.speaker is None and st.reported_by:
            st.speaker = st.reported_by[0]

    def paraphrase(self, sent: Sentence) -> Statement | None:
        f = self.folded[sent.start : sent.end]
        mentions = self._in(sent.start, sent.end)
        according = _ACCORDING.search(f)
        if according:
            after = [m for m in mentions if m.start >= sent.start + according.end()]
            if after and not (self._is_outlet(after[0]) and _SPEECH.search(f)):
                st = Statement("Paraphrase", sent.start, sent.end, sent.start, sent.end)
                st.speaker = after[0]
                st.reported_by = [m for m in mentions if self._is_outlet(m)]
                st.confidence = 0.6
                return st
        verb = _SPEECH.search(f)
        if not verb or len(f.split()) < 6:
            return None
        pos = sent.start + verb.start()
        subjects = [m for m in mentions if m.end <= pos and pos - m.end < 60]
        subjects = [m for m in subjects if not self._is_outlet(m)] or subjects
        subjects = [m for m in subjects if self._speaker_like(m)] or subjects
        if not subjects:
            if _PRONOUN.search(f[: verb.start()]):
                subject = self._pronoun_speaker(sent.start)
            else:
                return None
        else:
            subject = subjects[-1] if not self._is_outlet(subjects[-1]) else subjects[0]
        if subject is None:
            return None
        st = Statement("Paraphrase", sent.start, sent.end, sent.start, sent.end, speaker=subject)
        st.reported_by = [m for m in mentions if self._is_outlet(m) and m is not subject]
        st.confidence = 0.5
        return st

    def _speaker_like(self, m: Mention) -> bool:
        ent = self.known.entities[m.entity]
        return ent.type in _SPEAKER_TYPES or self.known.kind(m.entity) == "organisations"


def _possessive(folded: str, m: Mention, mentions: list[Mention]) -> bool:
    """'China's state-run Global Times': a name in the possessive before another name
    qualifies it and does not speak."""
    if not folded.startswith("'s ", m.end):
        return False
    return any(0 < o.start - m.end <= 30 for o in mentions)
