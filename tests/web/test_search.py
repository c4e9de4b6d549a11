"""Search: case, accents and transliteration variants all find the entity, grouped by type."""

from __future__ import annotations

import pytest

from diplograph.web.names import Entry, Name, NameIndex, normalise, phonetic


def test_normalise_folds_case_accents_and_punctuation():
    assert normalise("  Xí Jin-PING ") == "xi jin ping"
    assert normalise("Besánt") == "besant"


def test_spellings_of_one_name_share_a_phonetic_key():
    keys = {phonetic(w) for w in ("bessent", "besant", "beisente", "besent", "bessant")}
    assert keys == {"bsnt"}
    assert phonetic("basset") != phonetic("bessent")


def test_index_ranks_exact_before_prefix_before_sound():
    index = NameIndex(
        [
            Entry("a", "Scott Bessent", "People", [Name.of("Scott Bessent"), Name.of("Besant")]),
            Entry("b", "Bess Street", "Places", [Name.of("Bess Street")]),
        ]
    )
    assert [h.entry.iri for h in index.search("besant")][:1] == ["a"]
    assert index.search("bess")[0].score > 0
    assert index.search("Bessant")[0].entry.iri == "a"
    assert index.search("zzzz") == []


@pytest.mark.parametrize("query", ["besant", "Beisente", "Bessent", "BÉSSENT", "bessant"])
def test_every_spelling_finds_scott_bessent_first(client, query):
    hits = client.get("/search", query_string={"q": query, "format": "json"}).get_json()
    assert hits, query
    assert hits[0]["id"] == "scott-bessent"
    assert hits[0]["group"] == "People"


def test_results_page_groups_hits_by_type(client):
    page = client.get("/search?q=trump").get_data(as_text=True)
    assert "<h2" in page and "People" in page and "Events" in page
    assert page.index("People") < page.index("Events")
    assert 'href="/id/donald-trump"' in page


def test_search_matches_aliases_and_says_which(client):
    page = client.get("/search?q=Beisente").get_data(as_text=True)
    assert 'href="/id/scott-bessent"' in page
    assert "matched “Beisente”" in page


def test_empty_and_hopeless_queries_render(client):
    assert client.get("/search").status_code == 200
    page = client.get("/search?q=qqqqxxxx").get_data(as_text=True)
    assert "Nothing matched" in page
