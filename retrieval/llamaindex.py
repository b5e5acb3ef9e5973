"""The LlamaIndex face of newsbot's search: a BaseRetriever that the answer engine, and any LlamaIndex engine
(RetrieverQueryEngine, CondensePlusContextChatEngine), retrieve through."""

from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from retrieval.searcher import NO_FILTERS, Filters, SearchConfig, Searcher, SearchResult
from retrieval.sources import Source


class HybridRetriever(BaseRetriever):
    """Hybrid search as NodeWithScore for LlamaIndex, and as typed hits (search) for newsbot's own engine."""

    def __init__(self, searcher: Searcher, top_k: int | None = None, filters: Filters = NO_FILTERS) -> None:
        super().__init__()
        self._searcher = searcher
        self.top_k = top_k
        self.filters = filters

    def newest(self, n: int) -> list[Source]:
        """The n newest articles, when the searcher is a Library (which knows them); else none."""
        newest = getattr(self._searcher, "newest", None)
        return list(newest(n)) if callable(newest) else []

    @property
    def config(self) -> SearchConfig:
        """The searcher's settings (recency weights among them), or the defaults."""
        config = getattr(self._searcher, "config", None)
        return config if isinstance(config, SearchConfig) else SearchConfig()

    @property
    def dense_enabled(self) -> bool:
        return self._searcher.dense_enabled

    def search(self, query: str, filters: Filters | None = None, top_k: int | None = None) -> SearchResult:
        """Ranked hits with their scores and near-duplicate sources (what retrieve() turns into nodes)."""
        return self._searcher.search(query, top_k or self.top_k, self.filters if filters is None else filters)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.search(query_bundle.query_str)
        return [NodeWithScore(node=hit.passage.to_node(), score=hit.score) for hit in result.hits]
