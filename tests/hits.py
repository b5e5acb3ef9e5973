"""Hand-made passages and hits for unit tests: no index, no model."""

from __future__ import annotations

from retrieval.passages import Passage
from retrieval.searcher import Hit
from retrieval.sources import Source


def passage(
    text: str,
    title: str = "Title",
    article_id: str = "a1",
    outlet: str = "Outlet",
    url: str = "",
    published: str = "",
    position: int = 0,
) -> Passage:
    source = Source(article_id, title, outlet, published, url, f"{article_id}.txt")
    return Passage(f"{article_id}-{position}", source, text, position)


def hits(*texts: str) -> list[Hit]:
    """One hit per text, each from its own article a1, a2, …, ranked in order."""
    return [
        Hit(n, 1.0 / n, passage(text, title=f"Story {n}", article_id=f"a{n}"), 0.5, 1.0)
        for n, text in enumerate(texts, start=1)
    ]
