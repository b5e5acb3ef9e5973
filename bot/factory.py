"""Build the library, the backend and the engine from explicit settings; nothing is built at import time."""

from __future__ import annotations

import gc

import httpx

from bot.answer.backends import AnswerBackend, create_backend
from bot.answer.engine import Engine
from bot.settings import Settings
from retrieval.index import IngestReport, Progress
from retrieval.intake.fetch import Fetcher, FetchPolicy
from retrieval.intake.politeness import HostGate
from retrieval.intake.watcher import Intake
from retrieval.library import EmbeddedLibrary, Library, PgLibrary
from retrieval.llamaindex import HybridRetriever
from retrieval.searcher import SearchConfig


def build_library(settings: Settings) -> Library:
    """The embedded index under NEWSBOT_INDEX_DIR, or PostgreSQL with NEWSBOT_STORE=postgres."""
    config = SearchConfig(top_k=settings.top_k, dense=settings.dense, bm25=settings.bm25)
    max_file_bytes = int(settings.max_file_mb * 1_000_000)
    if settings.store == "postgres":
        return PgLibrary(settings.database_url, config, max_file_bytes)
    return EmbeddedLibrary(settings.index_dir, config, max_file_bytes=max_file_bytes)


def ensure_index(library: Library, settings: Settings, progress: Progress | None = None) -> IngestReport | None:
    """Build the index from the bundled articles when it is empty, so a first question just works."""
    if not library.empty:
        return None
    return library.ingest([settings.articles_dir], progress=progress)


def build_engine(settings: Settings, library: Library, backend: AnswerBackend | None = None) -> Engine:
    """The engine retrieving through a HybridRetriever over the library, answering with the configured backend."""
    retriever = HybridRetriever(library, top_k=settings.top_k)
    engine = Engine(retriever, backend or create_backend(settings), settings.min_relevance, settings.min_coverage)
    engine.warm_up()
    settle_heap()
    return engine


def settle_heap() -> None:
    """Take what start-up built (the index, the model's client, the checks' tables) out of the garbage collector's
    sight, so a full collection scans only what questions allocate. Before, 90-120 ms collections landed inside
    answers' claim checks (README, "Sixth round of #8")."""
    gc.collect()
    gc.freeze()


def build_intake(settings: Settings, library: Library, transport: httpx.BaseTransport | None = None) -> Intake:
    """Feeds and pages into the library: the fetch policy and per-host gap from settings."""
    policy = FetchPolicy(
        timeout_s=settings.fetch_timeout_s,
        max_bytes=int(settings.fetch_max_mb * 1_000_000),
        allow_private=settings.allow_private_urls,
    )
    return Intake(library.indexer(), library.feed_store(), Fetcher(policy, transport), HostGate(settings.host_gap_s))
