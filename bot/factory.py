"""Build the library and the engine from explicit settings; nothing is built at import time."""

from __future__ import annotations

from retrieval.index import IngestReport, Progress
from retrieval.library import Library, PgLibrary
from retrieval.search import SearchConfig

from bot.engine import Engine
from bot.llm import AnswerBackend, create_backend
from bot.settings import Settings


def build_library(settings: Settings) -> Library | PgLibrary:
    """The embedded index under NEWSBOT_INDEX_DIR, or PostgreSQL with NEWSBOT_STORE=postgres."""
    config = SearchConfig(top_k=settings.top_k, dense=settings.dense, bm25=settings.bm25)
    if settings.store == "postgres":
        return PgLibrary(settings.database_url, config)
    return Library(settings.index_dir, config)


def ensure_index(library: Library | PgLibrary, settings: Settings, progress: Progress | None = None) -> IngestReport | None:
    """Build the index from the bundled articles when it is empty, so a first question just works."""
    if not library.empty:
        return None
    return library.ingest([settings.articles_dir], progress=progress)


def build_engine(settings: Settings, library: Library | PgLibrary, backend: AnswerBackend | None = None) -> Engine:
    return Engine(library, backend or create_backend(settings), settings.top_k, settings.min_relevance)
