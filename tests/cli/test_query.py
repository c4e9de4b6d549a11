"""`diplograph query`: catalogue queries on the store the web app serves (the embedded
build, or a SPARQL store filled by `diplograph push`), as a table, CSV or JSON."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from diplograph import store as st
from diplograph.cli.build import load_graphs, nquads
from diplograph.cli.main import main
from diplograph.data import DATA_DIR
from diplograph.loaders.merge import store_with_merge
from diplograph.queries import catalogue as cat
from diplograph.queries.render import catalogue_markdown, render
from diplograph.store.http import Endpoints

DG = "https://w3id.org/diplograph/def#"
HOSTILE = "x> } ; DROP ALL #"
CATALOGUE = cat.load_catalogue()


@pytest.fixture(scope="module")
def curated() -> bytes:
    """The curated data as the build writes it (N-Quads)."""
    return nquads(load_graphs(DATA_DIR).quads)


@pytest.fixture(scope="module")
def instance(tmp_path_factory, curated):
    """An instance with one published build: graph.nq and its on-disk store."""
    home = tmp_path_factory.mktemp("instance")
    build = home / "builds" / "b1"
    build.mkdir(parents=True)
    (build / "graph.nq").write_bytes(curated)
    st.load_nquads(build / "graph.nq", build / "store")
    st.publish(home, build)
    return home


@pytest.fixture(scope="module")
def build_dir(instance):
    return instance / "builds" / "b1"


SAMPLED = re.compile(r"SAMPLE\([^)]*\)\s+AS\s+\?(\w+)", re.IGNORECASE)
CONCATENATED = re.compile(
    r"GROUP_CONCAT\([^;)]*(?:;\s*separator\s*=\s*\"([^\"]*)\")?\)\s+AS\s+\?(\w+)", re.IGNORECASE
)


def bindings(output: str, sparql: str = "") -> list[str]:
    """SPARQL JSON results as sorted rows (queries without ORDER BY have no fixed order),
    without what the standard leaves to the store: which value a SAMPLE picks, and the
    order in which GROUP_CONCAT joins its values."""
    arbitrary = set(SAMPLED.findall(sparql))
    joined = {var: sep or " " for sep, var in CONCATENATED.findall(sparql)}
    rows = []
    for row in json.loads(output)["results"]["bindings"]:
        kept = {k: v for k, v in row.items() if k not in arbitrary}
        for var, sep in joined.items():
            if var in kept:
                kept[var] = dict(kept[var], value=sorted(kept[var]["value"].split(sep)))
        rows.append(json.dumps(kept, sort_keys=True))
    return sorted(rows)


def test_cli_runs_a_catalogue_query_as_a_table_by_default(build_dir):
    out = CliRunner().invoke(main, ["query", "cq07-names", "--build", str(build_dir)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0].split() == ["name", "kind"]
    assert "Beisen Te" in out.output and "(9 rows)" in out.output


def test_cli_binds_params_and_writes_csv_and_json(build_dir):
    args = ["query", "find-by-name", "--param", "name=Xi", "--build", str(build_dir)]
    out = CliRunner().invoke(main, [*args, "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1].startswith(cat.ID_BASE + "xi-jinping,Xi Jinping,alias")
    out = CliRunner().invoke(main, [*args, "--format", "json"])
    doc = json.loads(out.output)
    assert doc["head"]["vars"] == ["entity", "label", "matchedAs"]
    assert doc["results"]["bindings"][0]["entity"] == {
        "type": "uri",
        "value": cat.ID_BASE + "xi-jinping",
    }


def test_cli_runs_any_file_and_refuses_bad_values(build_dir, tmp_path):
    q = tmp_path / "count.rq"
    q.write_text(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{DG}Source> }}")
    out = CliRunner().invoke(main, ["query", "--file", str(q), "--build", str(build_dir)])
    assert out.exit_code == 0 and out.output.splitlines()[2].strip() == "5"
    bad = ["query", "cq07-names", "--param", f"entity={HOSTILE}", "--build", str(build_dir)]
    out = CliRunner().invoke(main, bad)
    assert out.exit_code != 0 and "not a valid entity" in out.output
    out = CliRunner().invoke(main, ["query", "no-such-query", "--build", str(build_dir)])
    assert out.exit_code != 0 and "no catalogue query" in out.output


def test_cli_lists_the_catalogue_and_prints_its_docs():
    out = CliRunner().invoke(main, ["query", "--list"])
    assert {line.split()[0] for line in out.output.splitlines()} == set(CATALOGUE)
    out = CliRunner().invoke(main, ["query", "--docs"])
    assert out.output == catalogue_markdown()


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_the_store_gives_the_rows_the_graph_file_gave(name, instance, curated, monkeypatch):
    """The store answers as the in-memory merge of graph.nq did before the command used it."""
    query = CATALOGUE[name]
    params = [f"{k}={v}" for k, v in query.example_params().items()]
    monkeypatch.setenv("DIPLOGRAPH_HOME", str(instance))
    args = ["query", name, "--format", "json", *(a for p in params for a in ("--param", p))]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    sparql = cat.bind(query, cat.parse_params(params))
    before = render(cat.execute(store_with_merge(curated), sparql), "json")
    assert bindings(out.output, sparql) == bindings(before, sparql)


def test_a_syntax_error_names_the_query(build_dir, tmp_path):
    q = tmp_path / "broken.rq"
    q.write_text("SELECT ?s WHERE { ?s ")
    out = CliRunner().invoke(main, ["query", "--file", str(q), "--build", str(build_dir)])
    assert out.exit_code == 1 and "broken: " in out.output and "syntax" in out.output.lower()


def test_a_build_without_a_store_is_refused(tmp_path, curated):
    (tmp_path / "graph.nq").write_bytes(curated)
    out = CliRunner().invoke(main, ["query", "cq07-names", "--build", str(tmp_path)])
    assert out.exit_code == 1 and f"no store in {tmp_path}" in out.output


def test_no_published_build(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOGRAPH_HOME", str(tmp_path))
    out = CliRunner().invoke(main, ["query", "cq07-names"])
    assert out.exit_code == 1 and "no build at" in out.output


def test_build_and_store_are_not_both_given(build_dir):
    args = ["query", "cq07-names", "--build", str(build_dir), "--store", "http://127.0.0.1:9/"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 2 and "not both" in out.output


@pytest.mark.virtuoso
@pytest.mark.slow
def test_store_queries_the_remote_store(build_dir, curated, tmp_path, monkeypatch):
    """--store runs the query on the version pushed to a SPARQL store: the same rows."""
    from virtuoso_support import endpoints, virtuoso_env, write_build

    from diplograph.store.publish_remote import drop_all, push

    ends = endpoints(virtuoso_env(), "cli-query")
    drop_all(ends)
    push(write_build(tmp_path / "pushed", curated), ends, check_queries=False)
    for_url = Endpoints.for_url

    def with_test_registry(url, user=None, password=None, registry=None):
        return for_url(url, user, password, registry=ends.registry)

    # The command reads the deployment's registry; the test's own stands in for it.
    monkeypatch.setattr(Endpoints, "for_url", with_test_registry)
    try:
        args = ["query", "cq07-names", "--format", "json"]
        remote = CliRunner().invoke(main, [*args, "--store", ends.query])
        local = CliRunner().invoke(main, [*args, "--build", str(build_dir)])
    finally:
        drop_all(ends)
    assert remote.exit_code == 0, remote.output
    assert bindings(remote.output) == bindings(local.output) and bindings(local.output)
