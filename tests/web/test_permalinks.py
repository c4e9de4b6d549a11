"""Permalinks for editor queries (web/permalinks.py): stored content-addressed under the
instance, bounded in size and in number, opened in the editor by their short address."""

from __future__ import annotations

import hashlib
import json

import pytest

from diplograph.web import permalinks
from diplograph.web.protocol import PUBLIC_QUERY_BYTES

QUERY = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/def#Meeting> } LIMIT 3\n"


@pytest.fixture
def folder(monkeypatch, tmp_path):
    """Each test stores into a folder of its own, not the shared built instance."""
    monkeypatch.setattr(permalinks, "folder", lambda: tmp_path / "permalinks")
    return tmp_path / "permalinks"


def post(client, text, content_type="application/sparql-query"):
    return client.post("/q", data=text.encode("utf-8"), headers={"Content-Type": content_type})


def test_store_then_fetch(client, folder):
    response = post(client, QUERY)
    assert response.status_code == 201
    digest = hashlib.sha256(QUERY.encode()).hexdigest()[:16]
    assert response.get_json() == {"hash": digest, "url": f"/q/{digest}"}
    assert response.headers["Location"].endswith(f"/q/{digest}")
    assert (folder / f"{digest}.rq").read_text(encoding="utf-8") == QUERY

    page = client.get(f"/q/{digest}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    held = html.split('id="permalink-query">', 1)[1].split("</script>", 1)[0]
    assert json.loads(held) == {"hash": digest, "query": QUERY}
    assert "yasgui.min.js" in html  # the editor itself, holding the query

    text = client.get(f"/q/{digest}.rq")
    assert text.status_code == 200 and text.get_data(as_text=True) == QUERY
    assert text.mimetype == "application/sparql-query"


def test_the_same_query_twice_is_one_file(client, folder):
    assert post(client, QUERY).status_code == 201
    again = post(client, QUERY, "application/x-www-form-urlencoded; charset=utf-8")
    assert again.status_code == 400  # a form body must be query=…
    form = client.post("/q", data={"query": QUERY})
    assert form.status_code == 200  # already stored: nothing written
    assert len(list(folder.glob("*.rq"))) == 1


def test_size_limit_is_the_public_query_limit(client, folder):
    too_big = "SELECT * WHERE { ?s ?p ?o }" + "#" * PUBLIC_QUERY_BYTES
    response = post(client, too_big)
    assert response.status_code == 413
    assert not folder.exists() or not list(folder.glob("*.rq"))
    assert post(client, "   \n").status_code == 400  # nothing worth a link


def test_count_limit_refuses_new_queries_but_serves_old(client, folder, monkeypatch):
    monkeypatch.setitem(client.application.config, permalinks.MAX_KEY, 2)
    first = post(client, "ASK {}").get_json()["hash"]
    assert post(client, "ASK { ?s ?p ?o }").status_code == 201
    full = post(client, "SELECT * {}")
    assert full.status_code == 507 and "2 stored queries" in full.get_data(as_text=True)
    assert post(client, "ASK {}").status_code == 200  # a stored query is still answered
    assert client.get(f"/q/{first}").status_code == 200
    assert len(list(folder.glob("*.rq"))) == 2


def test_other_bodies_are_refused(client, folder):
    assert post(client, QUERY, "application/json").status_code == 415
    assert (
        client.post("/q", data=b"\xff\xfe", headers={"Content-Type": "text/plain"}).status_code
        == 400
    )


@pytest.mark.parametrize(
    "name",
    ["0123456789abcdef", "short", "0123456789ABCDEF", "../../etc/passwd", "0123456789abcdef.ttl"],
)
def test_bad_or_unknown_hash_is_404(client, folder, name):
    assert client.get(f"/q/{name}").status_code == 404


def test_a_hash_collision_is_refused_not_overwritten(client, folder):
    folder.mkdir(parents=True)
    digest = permalinks.query_hash(QUERY)
    (folder / f"{digest}.rq").write_text("ASK {}", encoding="utf-8")
    assert post(client, QUERY).status_code == 409
    assert (folder / f"{digest}.rq").read_text(encoding="utf-8") == "ASK {}"
