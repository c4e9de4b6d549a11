"""The source articles, read once per build: every page names sources by their short name.

A source's label is its headline, too long to cite inline; pages say "Gate Square,
25 Nov 2025" instead, from its publisher(s) and publication date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diplograph.web import display
from diplograph.web.graphdata import Select, internal_query, local_id


@dataclass
class Source:
    id: str
    iri: str
    headline: str = ""
    date: str = ""
    date_text: str = ""
    date_certain: bool = True
    date_inference: str = ""
    language: str = ""
    translation_note: str = ""
    file: str = ""
    url: str = ""
    publishers: dict[str, str] = field(default_factory=dict)
    authors: dict[str, str] = field(default_factory=dict)
    cites: dict[str, str] = field(default_factory=dict)

    @property
    def short(self) -> str:
        who = " / ".join(sorted(self.publishers.values())) or self.id
        return f"{who}, {self.date_text}" if self.date_text else who


class SourceIndex:
    def __init__(self, sources: list[Source]):
        self.sources = sorted(sources, key=lambda s: (s.date, s.id))
        self.by_id = {s.id: s for s in self.sources}

    def short(self, source_id: str) -> str:
        found = self.by_id.get(source_id)
        return found.short if found else source_id

    @classmethod
    def load(cls, select: Select) -> SourceIndex:
        found: dict[str, Source] = {}
        for row in select(internal_query("sources")):
            iri = row["source"].value
            src = found.setdefault(iri, Source(local_id(iri), iri))

            def text(name: str, row=row) -> str:
                return row[name].value if row.get(name) is not None else ""

            src.headline = text("headline") or src.headline
            if text("date"):
                src.date = text("date")
                when = display.parse_written(src.date)
                src.date_text = when.text if when else src.date
            src.date_certain = text("certain") != "false"
            src.date_inference = text("inference") or src.date_inference
            src.language = text("language") or src.language
            src.translation_note = text("note") or src.translation_note
            src.file = text("file") or src.file
            src.url = text("url") or src.url
            for kind, label, target in (
                ("publisher", "publisherLabel", src.publishers),
                ("author", "authorLabel", src.authors),
                ("cited", "citedLabel", src.cites),
            ):
                if text(kind):
                    target[local_id(text(kind))] = text(label)
        return cls(list(found.values()))
