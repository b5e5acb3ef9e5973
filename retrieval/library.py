"""The article library one process searches: a store, the embedder, and the live snapshot (reloaded after an ingest)."""

from __future__ import annotations

import threading
from pathlib import Path

from retrieval.embeddings import MiniLMEmbedding
from retrieval.index import IngestReport, Indexer, Progress
from retrieval.search import HybridSearcher, SearchConfig
from retrieval.stores.embedded import EmbeddedStore


class Library:
    """Thread-safe access to the current index; notices a new generation written by another process."""

    def __init__(self, index_dir: Path, config: SearchConfig = SearchConfig()) -> None:
        self.store = EmbeddedStore(index_dir)
        self.config = config
        self.encoder = MiniLMEmbedding() if config.dense else None
        self._lock = threading.Lock()
        self._searcher: HybridSearcher | None = None
        self._loaded_from: Path | None = None

    @property
    def dense_enabled(self) -> bool:
        return self.encoder is not None

    @property
    def empty(self) -> bool:
        return self.searcher().snapshot.empty

    def searcher(self) -> HybridSearcher:
        """The searcher over the live generation, reloaded when an ingest has swapped it."""
        live = self.store.live_dir
        with self._lock:
            if self._searcher is None or live != self._loaded_from:
                self._searcher = HybridSearcher(self.store.load(), self.encoder, self.config)
                self._loaded_from = live
            return self._searcher

    def ingest(self, paths: list[Path], prune: bool = False, progress: Progress | None = None) -> IngestReport:
        return Indexer(self.store, self.encoder).ingest(paths, prune=prune, progress=progress)
