"""Article records and reading article files (txt, md, html, json, jsonl) into them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.dates import Dated, Moment, resolve
from retrieval.errors import NewsbotError
from retrieval.scraped import clean_lines, split_stories
from retrieval.sources import Source, is_http_url

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}
FALLBACK_ENCODING = "cp1252"
MAX_TITLE_CHARS = 200  # a longer first line is text, not a title: it is cut at a word, with "…"
BINARY_SAMPLE = 65536  # bytes looked at to tell text from binary
CONTROL_SHARE = 0.01  # text with more control characters than this share is binary, whatever its encoding
CONTROL_FLOOR = 16  # a few stray escape codes in a short article do not make it binary


class UnreadableFile(NewsbotError):
    """A file that cannot become articles: binary, empty, or malformed. The message is one line."""


@dataclass(frozen=True)
class Article:
    source: Source
    text: str

    @property
    def id(self) -> str:
        return self.source.article_id


def make_article(
    title: str,
    text: str,
    outlet: str = "",
    published: str = "",
    url: str = "",
    source_path: str = "",
    captured: Moment | None = None,
    dated: Dated | None = None,
) -> Article:
    """An article whose id is a stable hash of its title and text; its written date resolved (retrieval.dates)."""
    title = short_title(title)
    article_id = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:16]
    when = dated if dated is not None else resolve(published, captured)
    source = Source(
        article_id,
        title,
        outlet,
        published,
        url,
        source_path,
        published_at=when.published_at,
        date_precision=when.precision,
        date_source=when.origin,
        captured_at=captured.iso() if captured else None,
    )
    return Article(source, text)


def short_title(title: str) -> str:
    """The title, cut at a word boundary to MAX_TITLE_CHARS."""
    title = " ".join(title.split())
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS - 1)
    return title[: cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS - 1].rstrip() + "…"


@dataclass
class FileRead:
    """What one file gave: its articles and any warnings worth one line each."""

    articles: list[Article]
    warnings: list[str] = field(default_factory=list)


def decode_bytes(raw: bytes) -> tuple[str, bool]:
    """Decode UTF-8 (with or without BOM), falling back to cp1252/latin-1; True when it fell back."""
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        try:
            return raw.decode(FALLBACK_ENCODING), True
        except UnicodeDecodeError:
            return raw.decode("latin-1"), True


def looks_binary(raw: bytes) -> bool:
    """NUL bytes, or more control characters than text has, in the file's first bytes."""
    sample = raw[:BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f") + sample.count(b"\x7f")
    return controls > max(CONTROL_SHARE * len(sample), CONTROL_FLOOR)


def read_article_file(path: Path, source_path: str, captured: Moment | None = None) -> FileRead:
    """Read one file into articles; raises UnreadableFile with a one-line reason."""
    return read_article_bytes(path.read_bytes(), path.suffix.lower(), source_path, captured)


def read_article_bytes(raw: bytes, suffix: str, source_path: str, captured: Moment | None = None) -> FileRead:
    """Articles from a file's bytes, its suffix telling the format; raises UnreadableFile with a one-line reason."""
    if looks_binary(raw):
        raise UnreadableFile(f"{source_path}: binary file, skipped")
    text, fell_back = decode_bytes(raw)
    if not text.strip():
        raise UnreadableFile(f"{source_path}: empty file, skipped")
    warnings = [f"{source_path}: not valid UTF-8, decoded as {FALLBACK_ENCODING}"] if fell_back else []
    if suffix in {".json", ".jsonl"}:
        from retrieval.records import read_records

        articles, skipped = read_records(text, suffix, source_path, captured)
        warnings.extend(skipped)
    elif suffix in {".html", ".htm"}:
        articles = _from_html(text, source_path, captured)
    else:
        articles = _from_plain(text, source_path, captured, markdown=suffix == ".md")
    articles = [a for a in articles if a.text.strip()]
    if not articles:
        bad = [w.removeprefix(f"{source_path}: ").removesuffix(", skipped") for w in warnings if w.endswith("skipped")]
        detail = f" ({len(bad)} bad: {bad[0]})" if bad else ""
        raise UnreadableFile(f"{source_path}: no article text found{detail}, skipped")
    return FileRead(articles, warnings)


def _from_plain(text: str, source_path: str, captured: Moment | None, markdown: bool = False) -> list[Article]:
    lines = text.splitlines()
    if markdown:
        lines = [line.lstrip("#").strip() if line.startswith("#") else line for line in lines]
    return [
        make_article(s.title, s.text, s.outlet, s.published, source_path=source_path, captured=captured)
        for s in split_stories(lines)
    ]


def _from_html(html: str, source_path: str, captured: Moment | None) -> list[Article]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, as_dict=True)
    if not isinstance(doc, dict) or not (doc.get("text") or "").strip():
        raise UnreadableFile(f"{source_path}: no article text could be extracted from the HTML, skipped")
    body = "\n".join(clean_lines((doc.get("text") or "").splitlines()))
    published = (doc.get("date") or "").strip()
    url = (doc.get("url") or "").strip()
    return [
        make_article(
            title=(doc.get("title") or Path(source_path).stem).strip(),
            text=body,
            outlet=(doc.get("sitename") or "").strip(),
            published=published,
            url=url if is_http_url(url) else "",
            source_path=source_path,
            captured=captured,
            dated=resolve(published, captured, origin="page"),
        )
    ]
