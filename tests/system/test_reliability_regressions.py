"""Regressions found while load-testing and fuzzing the served app, one test per bug."""

from __future__ import annotations

import threading

import pytest
from reliability_support import MINIMAL, build_into

from diplograph.web import context, create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("regressions") / "instance"
    build_into(MINIMAL, instance)
    app = create_app({"TESTING": True, "DIPLOGRAPH_HOME": str(instance), "WORKERS": 1})
    yield app
    app.extensions[context.STORE_KEY].close()


def _within(seconds: float, target) -> list:
    """Run target in a thread; the list holds its result, or stays empty if it hung."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(target()), daemon=True)
    thread.start()
    thread.join(seconds)
    return out


def test_regression_nested_cached_does_not_deadlock(app):
    """An entity page's cached view needed the (cached) source index: the lock deadlocked."""

    def nested():
        with app.test_request_context("/"):
            return context.cached("outer", lambda: context.cached("inner", lambda: 1) + 1)

    assert _within(10, nested) == [2]


def test_regression_first_request_an_entity_page_does_not_hang(app):
    app.extensions.pop("diplograph.pages", None)  # nothing cached yet
    client = app.test_client()
    (response,) = _within(30, lambda: client.get("/id/alpha"))
    assert response.status_code == 200
    assert "Alpha" in response.get_data(as_text=True)


def test_regression_catalogue_parameter_called_name_is_not_a_500(app):
    """find-by-name's parameter `name` clashed with the route's own `name` in url_for."""
    response = app.test_client().get("/queries/find-by-name?name=Alpha&run=1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/queries/find-by-name?name=Alpha&amp;run=1" in html
    assert "format=csv" in html and "Alpha" in html


@pytest.mark.parametrize("bad", ["\x08", "a b", "<x>", '"'])
def test_regression_network_id_that_makes_no_iri_is_404_not_500(app, bad):
    """Found by tests/test_fuzz_routes.py: the id went into an IRI unchecked."""
    client = app.test_client()
    assert client.get("/network", query_string={"id": bad}).status_code == 404
    assert client.get("/network/data", query_string={"id": bad}).status_code == 404
