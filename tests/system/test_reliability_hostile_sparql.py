"""The hostile-SPARQL corpus: every file in tests/fixtures/hostile/sparql/ is answered with
its declared 4xx, a plain-text reason and no traceback, by GET and by direct POST.

Each file starts with `#+ expect: <status>` and `#+ why: <reason>`. Large inputs are
written compactly: `⟦N×text⟧` stands for `text` repeated N times. A refusal is given
before the query runs, so none of them waits for the time limit: a query that reached
the engine and ran out of time would answer 503, which fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from reliability_support import MINIMAL, build_into

from diplograph.web import create_app

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "sparql"
FILES = sorted(CORPUS.glob("*.rq"))
REPEAT = re.compile("⟦(\\d+)×(.*?)⟧".encode(), re.DOTALL)


def load(path: Path) -> tuple[int, str, bytes]:
    """(expected status, reason, query bytes) of one corpus file."""
    raw = path.read_bytes()
    expect = int(re.search(rb"^#\+ expect: (\d{3})$", raw, re.M).group(1))
    why = re.search(rb"^#\+ why: (.+)$", raw, re.M).group(1).decode()
    body = REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), raw)
    return expect, why, body


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    instance = tmp_path_factory.mktemp("hostile") / "instance"
    build_into(MINIMAL, instance)
    app = create_app(
        {"TESTING": True, "DIPLOGRAPH_HOME": str(instance), "WORKERS": 2, "QUERY_TIMEOUT": 5}
    )
    yield app.test_client()
    app.extensions["diplograph.store"].close()


def test_corpus_is_there_and_every_file_declares_a_4xx():
    assert len(FILES) >= 20
    for path in FILES:
        expect, why, _body = load(path)
        assert 400 <= expect < 500 and why, path.name


def assert_clear_refusal(response, expect: int, name: str) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == expect, (name, response.status_code, text[:300])
    assert response.mimetype == "text/plain", name
    assert "Traceback" not in text and 'File "' not in text, name
    assert 10 < len(text) < 2000, (name, text[:300])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_hostile_query_by_post_gets_its_4xx(client, path):
    expect, _why, body = load(path)
    response = client.post(
        "/sparql", data=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert_clear_refusal(response, expect, path.name)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_hostile_query_by_get_gets_its_4xx(client, path):
    expect, _why, body = load(path)
    response = client.get(f"/sparql?query={quote_from_bytes(body)}")
    assert_clear_refusal(response, expect, path.name)


def test_the_endpoint_still_answers_after_the_corpus(client):
    for path in FILES:
        _expect, _why, body = load(path)
        client.post("/sparql", data=body, headers={"Content-Type": "application/sparql-query"})
    response = client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
    assert response.status_code == 200 and b"true" in response.data
