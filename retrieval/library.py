"""The article library one process searches and ingests into: a store, the embedder, and a searcher over it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from retrieval.dates import Moment
from retrieval.embeddings import MiniLMEmbedding
from retrieval.index import MAX_FILE_BYTES, Indexer, IndexStore, IngestReport, Progress
from retrieval.intake.feedstore import FeedStore, SqliteFeedStore
from retrieval.passages import PassageSplitter
from retrieval.searcher import NO_FILTERS, Filters, SearchConfig, Searcher, SearchResult
from retrieval.sources import Source
from retrieval.stores.base import FileEntry
from retrieval.stores.embedded import EmbeddedStore
from retrieval.stores.embedded_search import EmbeddedSearcher

if TYPE_CHECKING:
    from retrieval.stores.postgres_search import PgSearcher


class Library(Protocol):
    """What front ends and the answer engine need of an index, whichever store holds it."""

    config: SearchConfig

    @property
    def dense_enabled(self) -> bool: ...
    @property
    def empty(self) -> bool: ...
    def search(self, query: str, top_k: int | None = None, filters: Filters = NO_FILTERS) -> SearchResult: ...
    def registry(self) -> dict[str, FileEntry]: ...
    def newest(self, n: int) -> list[Source]: ...
    def ingest(
        self, paths: list[Path], prune: bool = False, progress: Progress | None = None, captured: Moment | None = None
    ) -> IngestReport: ...
    def indexer(self) -> Indexer: ...
    def feed_store(self) -> FeedStore: ...


class _StoreLibrary:
    """What both libraries share: the embedder (None when dense search is off), counts, registry and ingest."""

    def __init__(
        self,
        store: IndexStore,
        config: SearchConfig,
        splitter: PassageSplitter | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.store = store
        self.config = config
        self.encoder = MiniLMEmbedding() if config.dense else None
        self.splitter = splitter  # None: the default passage size
        self.max_file_bytes = max_file_bytes

    @property
    def dense_enabled(self) -> bool:
        return self.encoder is not None

    @property
    def empty(self) -> bool:
        return self.store.counts()[1] == 0

    def registry(self) -> dict[str, FileEntry]:
        return self.store.registry()

    def newest(self, n: int) -> list[Source]:
        """The n most recently published articles, for suggested questions."""
        return self.store.newest(n)

    def ingest(
        self, paths: list[Path], prune: bool = False, progress: Progress | None = None, captured: Moment | None = None
    ) -> IngestReport:
        return self.indexer().ingest(paths, prune=prune, progress=progress, captured=captured)

    def indexer(self) -> Indexer:
        return Indexer(self.store, self.encoder, self.splitter, self.max_file_bytes)

    def searcher(self) -> Searcher:
        raise NotImplementedError

    def feed_store(self) -> FeedStore:
        """Where this library keeps the feeds it follows."""
        raise NotImplementedError

    def search(self, query: str, top_k: int | None = None, filters: Filters = NO_FILTERS) -> SearchResult:
        return self.searcher().search(query, top_k, filters)


class EmbeddedLibrary(_StoreLibrary):
    """The embedded default: files under index_dir; notices a new generation written by another process."""

    def __init__(
        self,
        index_dir: Path,
        config: SearchConfig = SearchConfig(),
        splitter: PassageSplitter | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.store: EmbeddedStore
        super().__init__(EmbeddedStore(index_dir), config, splitter, max_file_bytes)
        self._lock = threading.Lock()
        self._searcher: EmbeddedSearcher | None = None
        self._loaded_from: Path | None = None

    def feed_store(self) -> FeedStore:
        return SqliteFeedStore(self.store.index_dir)

    def searcher(self) -> EmbeddedSearcher:
        """The searcher over the live generation, reloaded when an ingest has swapped it."""
        live = self.store.live_dir
        with self._lock:
            if self._searcher is None or live != self._loaded_from:
                self._searcher = EmbeddedSearcher(self.store.load(), self.encoder, self.config)
                self._loaded_from = live
            return self._searcher


class PgLibrary(_StoreLibrary):
    """Scale-out: passages, vectors and full text in PostgreSQL, shared by every process."""

    def __init__(
        self, database_url: str, config: SearchConfig = SearchConfig(), max_file_bytes: int = MAX_FILE_BYTES
    ) -> None:
        from retrieval.db import Database
        from retrieval.stores.postgres import PgStore
        from retrieval.stores.postgres_search import PgSearcher

        self.db = Database(database_url)
        super().__init__(PgStore(self.db), config, max_file_bytes=max_file_bytes)
        self._searcher = PgSearcher(self.db, self.encoder, config)

    def searcher(self) -> PgSearcher:
        return self._searcher

    def feed_store(self) -> FeedStore:
        from retrieval.stores.postgres_feeds import PgFeedStore

        return PgFeedStore(self.db)
