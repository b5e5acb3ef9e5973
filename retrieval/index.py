"""Build and update the index: incremental by file content hash, written as a whole new generation."""

from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.articles import ARTICLE_SUFFIXES, Article, UnreadableFile, read_article_bytes
from retrieval.dates import Moment, parse_moment
from retrieval.embeddings import DIMENSION
from retrieval.passages import Passage, PassageSplitter
from retrieval.searcher import Encoder
from retrieval.sources import Source
from retrieval.stores.base import Change, FileEntry

SIDECAR = ".meta.json"  # beside an article file: {"captured_at": "2025-07-21T09:00Z"}; never an article itself
EMBED_CHUNK = 64  # passages per progress tick
MAX_FILE_BYTES = 5_000_000  # default per-file cap (NEWSBOT_MAX_FILE_MB): an 8.3 MB article peaked at 1.28 GB


class SkipFile(Exception):
    """One file this ingest leaves out; the message is the one line the user sees."""


class Progress(Protocol):
    """What ingest reports while it works; the CLI draws it, tests may ignore it."""

    def start(self, total: int) -> None: ...
    def advance(self, count: int) -> None: ...


class NoProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


@dataclass(frozen=True)
class ArticleFile:
    """A file to read articles from, and the name its articles' sources give it."""

    path: Path
    source_path: str  # relative to the ingested folder, or the file name

    @property
    def key(self) -> str:
        return str(self.path.resolve())


WEB_KEYS = ("url:", "item:")  # registry keys of web articles and of the feed items that led to them


def url_key(url: str) -> str:
    return f"url:{url}"


def item_key(feed_url: str, guid: str) -> str:
    return f"item:{feed_url} {guid}"


@dataclass(frozen=True)
class WebArticle:
    """An article fetched from the web, and the feed item it came from (if any) with the item's updated stamp."""

    article: Article
    captured_ns: int
    item_key: str = ""
    item_stamp: str = ""


@dataclass
class IngestReport:
    articles: int = 0
    passages: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    skipped: int = 0
    embedded: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.articles} articles, {self.passages} passages "
            f"({self.files_new} new, {self.files_changed} changed, {self.files_unchanged} unchanged, "
            f"{self.files_removed} removed files; {self.embedded} passages embedded), "
            f"{self.skipped} skipped, {self.seconds:.1f} s"
        )


@dataclass
class _Pass:
    """One ingest's working state: the registry before, the registry after, and what changed."""

    old: dict[str, FileEntry]
    files: dict[str, FileEntry]  # the complete registry afterwards
    replaced: set[str] = field(default_factory=set)  # file keys whose old articles may go
    fresh: list[Passage] = field(default_factory=list)  # passages read this time
    report: IngestReport = field(default_factory=IngestReport)


def find_source_files(paths: list[Path]) -> list[ArticleFile]:
    """Article files under the given files and folders; source_path relative to each folder."""
    found: list[ArticleFile] = []
    for root in paths:
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such file or folder")
        if root.is_file():
            found.append(ArticleFile(root, root.name))
            continue
        for path in sorted(root.rglob("*")):
            if _is_article_file(path):
                found.append(ArticleFile(path, path.relative_to(root).as_posix()))
    return found


def _is_article_file(path: Path) -> bool:
    name = path.name.lower()
    return (
        path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not name.startswith(".")
        and not name.endswith(SIDECAR)
    )


def read_sidecar(path: Path) -> Moment | None:
    """The capture time a file's sidecar gives, if it has one; raises SkipFile when the sidecar is malformed."""
    sidecar = path.with_name(path.name + SIDECAR)
    if not sidecar.exists():
        return None
    try:
        value = json.loads(sidecar.read_text(encoding="utf-8")).get("captured_at")
        return parse_moment(value) if value else None
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise SkipFile(f"{sidecar.name}: not a sidecar with an ISO captured_at ({exc}), skipped") from exc


class IndexStore(Protocol):
    """Where an index lives. The embedded default and PostgreSQL both provide this."""

    def writer_lock(self) -> AbstractContextManager[None]: ...
    def registry(self) -> dict[str, FileEntry]: ...
    def stored_ids(self, ids: list[str]) -> set[str]: ...
    def apply(self, change: Change) -> None: ...
    def counts(self) -> tuple[int, int]: ...
    def newest(self, n: int) -> list[Source]:
        """The n most recently published articles (undated ones last, then the most recently changed files)."""
        ...


class Indexer:
    """Reads files, splits, embeds only what is new, and hands the store one complete change to apply."""

    def __init__(
        self,
        store: IndexStore,
        encoder: Encoder | None,
        splitter: PassageSplitter | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.store = store
        self.encoder = encoder  # None when dense search is switched off
        self.splitter = splitter or PassageSplitter()
        self.max_file_bytes = max_file_bytes
        self._captured: Moment | None = None  # the ingest's capture time, for files without a sidecar

    def ingest(
        self, paths: list[Path], prune: bool = False, progress: Progress | None = None, captured: Moment | None = None
    ) -> IngestReport:
        """Ingest files and folders; captured is when they were scraped (a file's sidecar says otherwise)."""
        started = time.perf_counter()
        sources = find_source_files(paths)
        self._captured = captured
        with self.store.writer_lock():
            report = self._ingest_locked(sources, prune, progress or NoProgress())
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_locked(self, sources: list[ArticleFile], prune: bool, progress: Progress) -> IngestReport:
        old = self.store.registry()
        state = _Pass(old, dict(old))
        for source in sources:
            self._visit(source, state)
        files, replaced, report = state.files, state.replaced, state.report
        if prune:
            for key in [k for k in files if not k.startswith(WEB_KEYS) and not Path(k).exists()]:
                del files[key]
                replaced.add(key)
                report.files_removed += 1
        return self._commit(state, progress)

    def ingest_web(self, pages: list[WebArticle], progress: Progress | None = None) -> IngestReport:
        """Articles fetched from the web, keyed by canonical URL: the same URL with new text replaces its
        passages, the same text under another URL is stored once, an unchanged page embeds nothing."""
        started = time.perf_counter()
        with self.store.writer_lock():
            old = self.store.registry()
            state = _Pass(old, dict(old))
            for page in pages:
                self._visit_web(page, state)
            report = self._commit(state, progress or NoProgress())
        report.seconds = time.perf_counter() - started
        return report

    def _visit_web(self, page: WebArticle, state: _Pass) -> None:
        article, report = page.article, state.report
        key = url_key(article.source.url)
        known = state.old.get(key)
        if known and known.sha256 == article.id:
            report.files_unchanged += 1
        else:
            if known:
                report.files_changed += 1
                state.replaced.add(key)
            else:
                report.files_new += 1
            state.fresh.extend(self.splitter.split(article))
            size = len(article.text.encode())
            state.files[key] = FileEntry(article.source.url, size, page.captured_ns, article.id, [article.id])
        if page.item_key:
            state.files[page.item_key] = FileEntry(
                article.source.url, 0, page.captured_ns, page.item_stamp, [article.id]
            )

    def _commit(self, state: _Pass, progress: Progress) -> IngestReport:
        """Hand the store one change: the new registry, the articles no entry owns any more, fresh passages."""
        old, files, replaced, report = state.old, state.files, state.replaced, state.report
        if replaced or state.fresh or files != old:
            owned = {aid for entry in files.values() for aid in entry.article_ids}
            dropped = {aid for key in replaced for aid in old[key].article_ids} - owned
            fresh = _unique(state.fresh)
            stored = self.store.stored_ids([p.id for p in fresh])
            fresh = [p for p in fresh if p.id not in stored]
            self.store.apply(Change(files, dropped, fresh, self._embed(fresh, report, progress)))
        report.articles, report.passages = self.store.counts()
        return report

    def _visit(self, source: ArticleFile, state: _Pass) -> None:
        """Classify one file as unchanged, changed or new, and split it when it needs reading.

        A file that cannot be used is skipped with one warning line; the rest of the ingest goes on."""
        try:
            self._visit_file(source, state)
        except SkipFile as exc:
            state.report.skipped += 1
            state.report.warnings.append(str(exc))

    def _visit_file(self, source: ArticleFile, state: _Pass) -> None:
        name, report = _printable(source.source_path), state.report
        if name != source.source_path:
            raise SkipFile(f"{name}: the file name is not valid UTF-8, skipped (rename it)")
        stat = _stat(source)
        captured = read_sidecar(source.path) or self._captured
        known = state.old.get(source.key)
        same_file = known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns
        if same_file and not captured:
            report.files_unchanged += 1
            return
        if stat.st_size > self.max_file_bytes:
            raise SkipFile(
                f"{name}: {stat.st_size / 1e6:.1f} MB is over the {self.max_file_bytes / 1e6:g} MB "
                "limit for one file (NEWSBOT_MAX_FILE_MB), skipped"
            )
        raw = _read(source)
        raw_hash = hashlib.sha256(raw + (captured.iso().encode() if captured else b"")).hexdigest()
        if known and known.sha256 == raw_hash:
            state.files[source.key] = replace(known, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
            report.files_unchanged += 1
            return
        try:
            read = read_article_bytes(raw, source.path.suffix.lower(), source.source_path, captured)
            passages = [p for article in read.articles for p in self.splitter.split(article)]
        except (UnreadableFile, ValueError) as exc:
            raise SkipFile(str(exc) if isinstance(exc, UnreadableFile) else f"{name}: {exc}, skipped") from exc
        report.warnings.extend(read.warnings)
        if known:
            report.files_changed += 1
            state.replaced.add(source.key)
        else:
            report.files_new += 1
        state.fresh.extend(passages)
        ids = [a.id for a in read.articles]
        state.files[source.key] = FileEntry(source.source_path, stat.st_size, stat.st_mtime_ns, raw_hash, ids)

    def _embed(self, fresh: list[Passage], report: IngestReport, progress: Progress) -> np.ndarray:
        if self.encoder is None:
            return np.zeros((len(fresh), 0), dtype=np.float32)
        progress.start(len(fresh))
        chunks = [self._embed_chunk(fresh[i : i + EMBED_CHUNK], progress) for i in range(0, len(fresh), EMBED_CHUNK)]
        report.embedded = len(fresh)
        return np.vstack(chunks) if chunks else np.zeros((0, DIMENSION), dtype=np.float32)

    def _embed_chunk(self, passages: list[Passage], progress: Progress) -> np.ndarray:
        assert self.encoder is not None
        vectors = self.encoder.encode([p.embed_text() for p in passages])
        progress.advance(len(passages))
        return vectors


def _printable(name: str) -> str:
    """The name with any undecodable bytes (surrogate escapes) shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _stat(source: ArticleFile) -> os.stat_result:
    try:
        return source.path.stat()
    except OSError as exc:
        raise SkipFile(f"{source.source_path}: {exc.strerror or exc}, skipped") from exc


def _read(source: ArticleFile) -> bytes:
    try:
        return source.path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"{source.source_path}: {exc.strerror or exc}, skipped") from exc


def _unique(passages: list[Passage]) -> list[Passage]:
    seen: dict[str, Passage] = {}
    for passage in passages:
        seen.setdefault(passage.id, passage)
    return list(seen.values())
