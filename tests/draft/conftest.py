"""Small articles written for these tests, and a scratch copy of the curated data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diplograph.data import DATA_DIR
from diplograph.loaders.excerpts import default_sources_dir

ARTICLE = """Leaders Plan Talks

Chinese President Xi Jinping will meet U.S. President Donald Trump next Thursday in Busan, \
the White House said. Xi and Trump last spoke by phone late last week.

"We are going to make a great deal for our farmers," Trump told reporters on Tuesday.

According to Xinhua, Xi said that both sides should respect each other's core interests.

The Treasury Secretary said China agreed to buy 12 million metric tons of soybeans through \
January, and Washington cut tariffs to 47% from 57%.

Trump may visit Beijing sometime next year, and Marek Kowalczyk, a fellow at the Halden \
Institute, expects a deal next month.
"""
PUBLISHED = "2025-10-24"


@pytest.fixture
def workspace(tmp_path) -> dict:
    """data/ and sources/ copied, plus the test article in sources/."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("drafts", "__pycache__"))
    sources = tmp_path / "sources"
    real = default_sources_dir()
    if real and Path(real).is_dir():
        shutil.copytree(real, sources)
    else:
        sources.mkdir()
    article = sources / "test_article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return {"data": data, "sources": sources, "article": article, "has_real": bool(real)}


@pytest.fixture(scope="module")
def drafted() -> tuple[str, dict]:
    from datetime import date

    from diplograph.draft.article import Article, draft_article

    art = Article("test-article-2025-10-24", ARTICLE, date.fromisoformat(PUBLISHED))
    return ARTICLE, draft_article(art, DATA_DIR)
