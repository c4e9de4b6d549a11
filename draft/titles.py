"""Posts named by a title: "Japan's Prime Minister Sanae Takaichi", "US President Donald
Trump", "the president".

A title just before a person's name names a post: one the person is known to hold whose
label, alias or cue ends the title, or failing that a post with that cue in the polity
the title names ("Canada's Prime Minister"). A lower-case "the president" names the
holder of a post with that cue who was named last, at the article's time (a holder whose
position is not recorded as former).
"""

from __future__ import annotations

import re
from dataclasses import replace

from diplograph.draft.gazetteer import Mention, demonyms
from diplograph.draft.graph import Known
from diplograph.draft.text import fold

# The title zone before a name: back to the last stop, comma, quote or line break.
_ZONE = re.compile(r"[^.,;:!?\"()\n]*$")
_THE_TITLE = re.compile(r"\b[Tt]he\s+([a-z]+)(?:\s+([a-z]+))?\b(?!\s+of\b)")


def _names(known: Known, eid: str) -> list[str]:
    ent = known.entities.get(eid)
    if ent is None:
        return []
    return [ent.label, *ent.aliases, *ent.cues]


def _polity_named(known: Known, polity: str, zone: str) -> bool:
    ent = known.entities.get(polity)
    if ent is None:
        return False
    names = _names(known, polity) + demonyms(ent.label)
    return any(re.search(rf"\b{re.escape(fold(n))}\b", zone) for n in names)


def _ends_with(zone: str, name: str) -> bool:
    """The zone ends with `name`, allowing a word or two between ("Prime Minister Sanae")."""
    return bool(re.search(rf"\b{re.escape(fold(name))}(?:\s+[A-Z][\w.'-]*){{0,2}}\s*$", zone))


def titled_post(known: Known, person: str, zone: str) -> str | None:
    """The post a title zone (the words before a name, and the name) gives `person`."""
    ent = known.entities[person]
    for post, status in ent.posts.items():
        if status != "former" and any(_ends_with(zone, n) for n in _names(known, post)):
            return post
    for post in known.entities.values():
        if post.file != "posts" or not post.within:
            continue
        own = [n for n in [post.label, *post.aliases, *post.cues] if _ends_with(zone, n)]
        if own and _polity_named(known, post.within, zone):
            return post.id
    return None


def with_titles(text: str, mentions: list[Mention], known: Known) -> list[Mention]:
    """`mentions` with the post each title names, and "the president" resolved."""
    folded = fold(text)
    out: list[Mention] = []
    for m in mentions:
        if known.kind(m.entity) == "people" and m.via is None:
            zone = (
                _ZONE.search(folded, max(0, m.start - 60), m.start).group()
                + folded[m.start : m.end]
            )
            post = titled_post(known, m.entity, zone)
            if post:
                m = replace(m, via=post)
        out.append(m)
    return sorted(out + _the_titles(text, folded, out, known), key=lambda m: m.start)


def _the_titles(text: str, folded: str, mentions: list[Mention], known: Known) -> list[Mention]:
    cue_posts: dict[str, list[str]] = {}
    for post in known.entities.values():
        if post.file == "posts":
            for cue in post.cues:
                cue_posts.setdefault(cue.lower(), []).append(post.id)
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for hit in _THE_TITLE.finditer(folded):
        two = f"{hit.group(1)} {hit.group(2)}"
        end = hit.end() if two in cue_posts else hit.end(1)
        posts = cue_posts.get(two) or cue_posts.get(hit.group(1))
        if not posts or any(s < end and hit.start() < e for s, e in taken):
            continue
        holder = _last_holder(mentions, hit.start(), posts, known)
        if holder:
            surface = text[hit.start() : end]
            out.append(Mention(holder[0], hit.start(), end, surface, "post", 0.6, holder[1]))
    return out


def _last_holder(mentions, before: int, posts: list[str], known: Known):
    for m in reversed([m for m in mentions if m.end <= before]):
        ent = known.entities.get(m.entity)
        held = [p for p in posts if ent and ent.posts.get(p, "former") != "former"]
        if held:
            return m.entity, held[0]
    return None
