"""Article records and reading article files (txt, md, html, json, jsonl) into them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.errors import NewsbotError
from retrieval.scraped import clean_lines, split_stories
from retrieval.sources import Source

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}
FALLBACK_ENCODING = "cp1252"


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
    title: str, text: str, outlet: str = "", published: str = "", url: str = "", source_path: str = ""
) -> Article:
    """An article whose id is a stable hash of its title and text."""
    article_id = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:16]
    return Article(Source(article_id, title, outlet, published, url, source_path), text)


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


def read_article_file(path: Path, source_path: str) -> FileRead:
    """Read one file into articles; raises UnreadableFile with a one-line reason."""
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise UnreadableFile(f"{source_path}: binary file, skipped")
    text, fell_back = decode_bytes(raw)
    if not text.strip():
        raise UnreadableFile(f"{source_path}: empty file, skipped")
    warnings = [f"{source_path}: not valid UTF-8, decoded as {FALLBACK_ENCODING}"] if fell_back else []
    suffix = path.suffix.lower()
    if suffix in {".json", ".jsonl"}:
        articles = _from_json(text, suffix, source_path)
    elif suffix in {".html", ".htm"}:
        articles = _from_html(text, source_path)
    else:
        articles = _from_plain(text, source_path, markdown=suffix == ".md")
    articles = [a for a in articles if a.text.strip()]
    if not articles:
        raise UnreadableFile(f"{source_path}: no article text found, skipped")
    return FileRead(articles, warnings)


def _from_plain(text: str, source_path: str, markdown: bool = False) -> list[Article]:
    lines = text.splitlines()
    if markdown:
        lines = [line.lstrip("#").strip() if line.startswith("#") else line for line in lines]
    return [
        make_article(s.title, s.text, outlet=s.outlet, published=s.published, source_path=source_path)
        for s in split_stories(lines)
    ]


def _from_html(html: str, source_path: str) -> list[Article]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, as_dict=True)
    if not isinstance(doc, dict) or not (doc.get("text") or "").strip():
        raise UnreadableFile(f"{source_path}: no article text could be extracted from the HTML, skipped")
    body = "\n".join(clean_lines((doc.get("text") or "").splitlines()))
    return [
        make_article(
            title=(doc.get("title") or Path(source_path).stem).strip(),
            text=body,
            outlet=(doc.get("sitename") or "").strip(),
            published=(doc.get("date") or "").strip(),
            url=(doc.get("url") or "").strip(),
            source_path=source_path,
        )
    ]


def _from_json(text: str, suffix: str, source_path: str) -> list[Article]:
    try:
        if suffix == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            loaded = json.loads(text)
            records = loaded if isinstance(loaded, list) else [loaded]
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"{source_path}: invalid JSON ({exc.msg} at line {exc.lineno}), skipped") from exc
    return [_article_from_record(r, source_path) for r in records if isinstance(r, dict) and r.get("text")]


def _article_from_record(record: dict, source_path: str) -> Article:
    text = "\n".join(clean_lines(str(record["text"]).splitlines()))
    return make_article(
        title=str(record.get("title") or text.split("\n", 1)[0][:120]).strip(),
        text=text,
        outlet=str(record.get("source") or record.get("outlet") or "").strip(),
        published=str(record.get("published") or "").strip(),
        url=str(record.get("url") or "").strip(),
        source_path=source_path,
    )
