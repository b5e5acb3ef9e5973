"""The article library one process searches: a store, the embedder, and a searcher over it."""

from __future__ import annotations

import threading
from pathlib import Path

from retrieval.embeddings import MiniLMEmbedding
from retrieval.index import IngestReport, Indexer, Progress
from retrieval.passages import PassageSplitter
from retrieval.search import HybridSearcher, SearchConfig
from retrieval.stores.embedded import EmbeddedStore


class _Library:
    """What both libraries share: the embedder (None when dense search is off) and ingest."""

    def __init__(self, store, config: SearchConfig, splitter: PassageSplitter | None = None) -> None:
        self.store = store
        self.config = config
        self.encoder = MiniLMEmbedding() if config.dense else None
        self.splitter = splitter  # None: the default passage size

    @property
    def dense_enabled(self) -> bool:
        return self.encoder is not None

    @property
    def empty(self) -> bool:
        return self.store.counts()[1] == 0

    def ingest(self, paths: list[Path], prune: bool = False, progress: Progress | None = None) -> IngestReport:
        return Indexer(self.store, self.encoder, self.splitter).ingest(paths, prune=prune, progress=progress)


class Library(_Library):
    """The embedded default: files under index_dir; notices a new generation written by another process."""

    def __init__(self, index_dir: Path, config: SearchConfig = SearchConfig(),
                 splitter: PassageSplitter | None = None) -> None:
        super().__init__(EmbeddedStore(index_dir), config, splitter)
        self._lock = threading.Lock()
        self._searcher: HybridSearcher | None = None
        self._loaded_from: Path | None = None

    def searcher(self) -> HybridSearcher:
        """The searcher over the live generation, reloaded when an ingest has swapped it."""
        live = self.store.live_dir
        with self._lock:
            if self._searcher is None or live != self._loaded_from:
                self._searcher = HybridSearcher(self.store.load(), self.encoder, self.config)
                self._loaded_from = live
            return self._searcher


class PgLibrary(_Library):
    """Scale-out: passages, vectors and full text in PostgreSQL, shared by every process."""

    def __init__(self, database_url: str, config: SearchConfig = SearchConfig()) -> None:
        from retrieval.stores.pg import Database
        from retrieval.stores.postgres import PgSearcher, PgStore

        self.db = Database(database_url)
        super().__init__(PgStore(self.db), config)
        self._searcher = PgSearcher(self.db, self.encoder, config)

    def searcher(self):
        return self._searcher
