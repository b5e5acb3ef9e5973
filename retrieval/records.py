"""JSON and JSONL article records: each record checked on its own, so one bad line or field loses only itself.

A field is accepted where its meaning is obvious (text as a list of paragraphs, an outlet as {"name": …},
a number as a title) and the record is rejected with a reason otherwise; a url must be an http(s) URL."""

from __future__ import annotations

import json
from typing import Any

from retrieval.articles import Article, make_article
from retrieval.dates import Moment
from retrieval.scraped import clean_lines
from retrieval.sources import is_http_url


class BadRecord(ValueError):
    """A record that cannot become an article; the message says which field and why."""


def read_records(
    text: str, suffix: str, source_path: str, captured: Moment | None = None
) -> tuple[list[Article], list[str]]:
    """Articles from a .json or .jsonl file, and one warning per line or record skipped."""
    warnings: list[str] = []
    records: list[tuple[str, Any]] = []  # (where, record)
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    records.append((f"line {number}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    warnings.append(f"{source_path}: line {number}: invalid JSON ({exc.msg}), skipped")
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            warnings.append(f"{source_path}: invalid JSON ({exc.msg} at line {exc.lineno}), skipped")
            loaded = []
        items = loaded if isinstance(loaded, list) else [loaded]
        records = [(f"record {n}", item) for n, item in enumerate(items, start=1)]
    articles = []
    for where, record in records:
        try:
            articles.append(article_from_record(record, source_path, captured))
        except BadRecord as exc:
            warnings.append(f"{source_path}: {where}: {exc}, skipped")
    return articles, warnings


def article_from_record(record: Any, source_path: str, captured: Moment | None = None) -> Article:
    if not isinstance(record, dict):
        raise BadRecord(f"a record must be an object, not {_kind(record)}")
    text = "\n".join(clean_lines(_text(record.get("text")).splitlines()))
    if not text.strip():
        raise BadRecord("no text")
    title = _plain(record.get("title"), "title") or text.split("\n", 1)[0]
    return make_article(
        title=title,
        text=text,
        outlet=_outlet(record.get("source") if record.get("source") is not None else record.get("outlet")),
        published=_plain(record.get("published"), "published"),
        url=_url(record.get("url")),
        source_path=source_path,
        captured=captured,
    )


def _text(value: Any) -> str:
    """A string, or a list of paragraph strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    if value is None:
        return ""
    raise BadRecord(f"text must be a string or a list of strings, not {_kind(value)}")


def _plain(value: Any, name: str) -> str:
    """A string or a number as text; absent is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BadRecord(f"{name} must be a string, not {_kind(value)}")


def _outlet(value: Any) -> str:
    """A name, or an object holding one (as news APIs send {"id": …, "name": …})."""
    if isinstance(value, dict):
        if not isinstance(value.get("name"), str):
            raise BadRecord("outlet must be a string or an object with a name")
        return _plain(value["name"], "outlet name")
    return _plain(value, "outlet")


def _url(value: Any) -> str:
    url = _plain(value, "url")
    if not url:
        return ""
    if not is_http_url(url):
        raise BadRecord(f"url must be an http(s) URL, not {url[:60]!r}")
    return url


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)
