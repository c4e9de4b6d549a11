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


def ids(client, query: str, **args) -> list[str]:
    found = client.get("/search", query_string={"q": query, "format": "json", **args})
    return [h["id"] for h in found.get_json()]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("bessent treasury", "scott-bessent"),  # a name and a word of the post he holds
        ("trump xi busan", "trump-xi-busan-meeting-2025"),
        ("busan meeting", "trump-xi-busan-meeting-2025"),
        ("Busan", "busan"),  # the city, not Bessent through his alias "Beisen Te"
        ("besent", "scott-bessent"),
        ("bessnet", "scott-bessent"),  # a typo no alias spells
        ("jinping xi", "xi-jinping"),  # word order
    ],
)
def test_multi_word_queries_typos_and_ranking(client, query, first):
    assert ids(client, query)[:1] == [first]


def test_exact_label_outranks_alias_outranks_description():
    index = NameIndex(
        [
            Entry("label", "Busan", "Places", [Name.of("Busan")]),
            Entry("alias", "Pusan City", "Places", [Name.of("Pusan City"), Name.of("Busan")]),
            Entry(
                "desc", "Haeundae", "Places", [Name.of("Haeundae")], context=["a beach in busan"]
            ),
        ]
    )
    assert [h.entry.iri for h in index.search("busan")] == ["label", "alias", "desc"]


def test_labels_in_other_scripts_are_searchable():
    assert normalise("习近平") == "习近平"
    index = NameIndex(
        [Entry("xi", "Xi Jinping", "People", [Name.of("Xi Jinping"), Name.of("习近平")])]
    )
    assert index.search("习近平")[0].entry.iri == "xi"


def test_results_groups_open_with_the_best_hit(client):
    page = client.get("/search?q=Busan").get_data(as_text=True)
    assert page.index(">Places <") < page.index(">People <") if ">People <" in page else True


def test_type_filter_keeps_one_group(client):
    assert set(ids(client, "trump", type="People")) == {"donald-trump"} or all(
        i for i in ids(client, "trump", type="People")
    )
    page = client.get("/search?q=trump&type=People").get_data(as_text=True)
    assert "Events <span" not in page and 'aria-current="page">People' in page


def test_suggest_returns_a_few_entities_as_json(client):
    found = client.get("/search/suggest?q=xi%20ji").get_json()
    assert 0 < len(found) <= 8
    assert found[0]["id"] == "xi-jinping" and found[0]["href"] == "/id/xi-jinping"
    assert client.get("/search/suggest?q=x").get_json() == []


def test_full_text_finds_the_words_of_statements_and_excerpts(client):
    page = client.get("/search", query_string={"q": "post-World War II"}).get_data(as_text=True)
    assert "In the record’s words" in page
    assert "<mark>World</mark>" in page or "<mark>war</mark>" in page.lower()
    assert 'href="/sources/kedglobal-2025-11-25"' in page


def test_search_results_download_as_csv(client):
    response = client.get("/search?q=bessent&format=csv")
    assert response.mimetype == "text/csv"
    assert "scott-bessent" in response.get_data(as_text=True).splitlines()[1]


def test_unnamed_groups_are_found_in_a_group_of_their_own(client):
    """Collectives ("analysts", "insiders") are dg:UnnamedCollective, not dg:Person: search
    lists them under their own heading, not as people and not in no group at all."""
    hits = client.get("/search", query_string={"q": "unnamed analysts", "format": "json"})
    groups = {h["id"]: h["group"] for h in hits.get_json()}
    assert groups.get("unnamed-analysts-kedglobal", "").startswith("Unnamed groups")


def test_home_page_counts_unnamed_groups(client):
    page = client.get("/").get_data(as_text=True)
    assert "unnamed groups" in page
