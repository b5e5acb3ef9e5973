"""An article page fetched from the web: its text (trafilatura), its canonical URL and its publication date."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

from retrieval.articles import Article, UnreadableFile, make_article
from retrieval.dates import UNDATED, Dated, Moment, resolve
from retrieval.scraped import clean_lines
from retrieval.sources import is_http_url


def canonical_url(url: str) -> str:
    """The URL as one article is known by: scheme and host lower-cased, tracking parameters and fragment gone."""
    from courlan import normalize_url

    try:
        return str(normalize_url(url, strict=True))
    except (ValueError, TypeError):
        return url


class _Canonical(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.canonical = ""
        self.og_url = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "canonical" in values.get("rel", "").lower().split() and not self.canonical:
            self.canonical = values.get("href", "")
        if tag == "meta" and values.get("property", "").lower() == "og:url" and not self.og_url:
            self.og_url = values.get("content", "")


def page_url(html: str, final_url: str) -> str:
    """<link rel=canonical>, then og:url, then the URL the page was fetched from; normalised."""
    finder = _Canonical()
    finder.feed(html)
    for candidate in (finder.canonical, finder.og_url):
        url = urljoin(final_url, candidate.strip()) if candidate.strip() else ""
        if is_http_url(url):
            return canonical_url(url)
    return canonical_url(final_url)


def page_date(html: str, captured: Moment) -> Dated:
    """The page's own publication date from its metadata (htmldate), or UNDATED."""
    from htmldate import find_date

    found = find_date(html, outputformat="%Y-%m-%dT%H:%M:%S%z", original_date=True, extensive_search=False)
    if not found:
        return UNDATED
    dated = resolve(found, captured, origin="page")
    if dated.moment and found.endswith("T00:00:00"):  # htmldate found a day, not a time
        return Dated(Moment(dated.moment.at, "day"), "page")
    return dated


def read_page(html_bytes: bytes, final_url: str, captured: Moment, feed_date: Dated = UNDATED) -> Article:
    """The article on a page; the feed's date when the feed gave one, else the page's. Raises UnreadableFile."""
    import trafilatura

    html = html_bytes.decode("utf-8", "replace")
    doc = trafilatura.bare_extraction(html, url=final_url, with_metadata=True, include_comments=False, as_dict=True)
    if not isinstance(doc, dict) or not (doc.get("text") or "").strip():
        raise UnreadableFile(f"{final_url}: no article text could be extracted, skipped")
    url = page_url(html, final_url)
    dated = feed_date if feed_date.moment else page_date(html, captured)
    return make_article(
        title=(doc.get("title") or url).strip(),
        text="\n".join(clean_lines((doc.get("text") or "").splitlines())),
        outlet=(doc.get("sitename") or doc.get("hostname") or "").strip(),
        published=dated.published_at or "",
        url=url,
        source_path=url,
        captured=captured,
        dated=dated,
    )
