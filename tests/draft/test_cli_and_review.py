"""The draft and promote commands, the review page (with and without CURATION), and that
the build never reads a draft."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from diplograph.cli.build import load_graphs
from diplograph.cli.main import main
from diplograph.draft.files import PromoteError, promoted_facts, read_draft

SOURCE = "test-article-2025-10-24"


def _draft(ws) -> dict:
    result = CliRunner().invoke(
        main,
        [
            "draft",
            str(ws["article"]),
            "--id",
            SOURCE,
            "--date",
            "2025-10-24",
            "--publisher",
            "reuters",
            "--data",
            str(ws["data"]),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "not published until promoted" in result.output
    return read_draft(ws["data"] / "drafts" / f"{SOURCE}.yaml")


def _review(doc: dict, accept) -> None:
    for fact in doc["facts"]:
        fact["review"] = "accept" if accept(fact) else "reject"


def test_draft_writes_the_draft_and_the_source_record(workspace):
    doc = _draft(workspace)
    assert doc["source_record"] == {
        "id": SOURCE,
        "file": "test_article.txt",
        "publisher": "reuters",
        "headline": doc["source_record"]["headline"],
        "publication_date": "2025-10-24",
        "language": "en",
    }
    assert all(f["review"] == "pending" for f in doc["facts"])


def test_a_draft_is_never_read_by_the_build(workspace):
    _draft(workspace)
    graphs = load_graphs(workspace["data"])
    assert not [r for r in graphs.curated.records if r.file.startswith("drafts/")]
    assert SOURCE not in graphs.curated.definitions


def test_promote_refuses_unreviewed_candidates():
    with pytest.raises(PromoteError, match="not reviewed"):
        promoted_facts({"source": "x", "facts": [{"id": "a", "review": "pending"}]})


def test_promote_folds_value_evidence_into_the_record():
    doc = {
        "source": "x",
        "facts": [
            {
                "id": "a",
                "review": "accept",
                "confidence": 0.9,
                "offset": 3,
                "excerpt": ["Xi met Trump in Busan"],
                "place": {"id": "busan", "excerpt": "in the port city of Busan", "offset": 40},
                "topics": [{"id": "trade", "excerpt": "trade", "offset": 9}],
            }
        ],
    }
    per_value = promoted_facts(doc)["facts"][0]
    assert per_value["place"] == {"id": "busan", "excerpt": "in the port city of Busan"}
    record = promoted_facts(doc, evidence="record")["facts"][0]
    assert record["place"] == "busan" and record["topics"] == ["trade"]
    assert record["excerpt"] == ["Xi met Trump in Busan", "in the port city of Busan"]


def test_promote_validates_then_moves(workspace):
    if not workspace["has_real"]:
        pytest.skip("the captured source texts are not beside this checkout")
    doc = _draft(workspace)
    path = workspace["data"] / "drafts" / f"{SOURCE}.yaml"
    _review(doc, lambda f: f.get("type") == "Quotation" and "great deal" in f.get("text", ""))
    (accepted,) = [f for f in doc["facts"] if f["review"] == "accept"]
    accepted["excerpt"].append("a sentence the article never says")  # made invalid
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    args = [
        "draft",
        "promote",
        SOURCE,
        "--data",
        str(workspace["data"]),
        "--sources",
        str(workspace["sources"]),
        "--evidence",
        "record",
    ]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and path.is_file()
    assert not (workspace["data"] / "facts" / f"{SOURCE}.yaml").exists()
    accepted["excerpt"].pop()
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert not path.exists()
    facts = yaml.safe_load((workspace["data"] / "facts" / f"{SOURCE}.yaml").read_text())
    assert [f["speaker"] for f in facts["facts"]] == ["donald-trump"]
    assert SOURCE in (workspace["data"] / "sources.yaml").read_text()
    load_graphs(workspace["data"], sources_dir=workspace["sources"])


def _app(ws, tmp_path, curation: bool):
    from diplograph.web import create_app  # the web layer, only for the page tests

    config = {
        "TESTING": True,
        "DIPLOGRAPH_HOME": str(tmp_path / "home"),
        "WORKERS": 1,
        "DATA_DIR": str(ws["data"]),
        "SOURCES_DIR": str(ws["sources"]),
    }
    if curation:
        config["CURATION"] = True
    return create_app(config)


def test_review_page_is_404_without_the_flag(workspace, tmp_path):
    _draft(workspace)
    app = _app(workspace, tmp_path, curation=False)
    assert app.test_client().get(f"/drafts/{SOURCE}").status_code == 404


def test_review_page_highlights_and_links_candidates(workspace, tmp_path):
    doc = _draft(workspace)
    client = _app(workspace, tmp_path, curation=True).test_client()
    page = client.get(f"/drafts/{SOURCE}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<mark class="mention"' in html and 'href="/id/xi-jinping"' in html
    assert '<mark class="date"' in html and '<mark class="new"' in html
    assert html.count("<tr><td>pending</td>") >= len(doc["facts"])
    assert client.get("/drafts/no-such-draft").status_code == 404
