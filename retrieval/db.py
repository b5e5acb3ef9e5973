"""PostgreSQL plumbing shared by every newsbot component (the index and the Slack state): connections, and
versioned, idempotent migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg
from pgvector.psycopg import register_vector

MIGRATION_LOCK = 7_466_110  # pg_advisory_lock key while any component migrates
SCHEMA_TABLE = """CREATE TABLE IF NOT EXISTS newsbot_schema (
    component TEXT PRIMARY KEY, version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now())"""


class Database:
    """One connection per thread, opened on first use; pgvector types registered."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def connection(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = psycopg.connect(self.url, autocommit=True)
            _register_vector(conn)
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        conn = self.connection()
        with conn.transaction():
            yield conn

    def migrate(self, component: str, migrations: Sequence[str]) -> None:
        """Apply the component's migrations past its recorded version, once, whoever else starts at the same time."""
        conn = psycopg.connect(self.url, autocommit=True)
        try:
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            conn.execute(SCHEMA_TABLE)
            row = conn.execute("SELECT version FROM newsbot_schema WHERE component = %s", (component,)).fetchone()
            version = row[0] if row else 0
            for number, sql in enumerate(migrations[version:], start=version + 1):
                with conn.transaction():
                    conn.execute(sql)
                    conn.execute(
                        "INSERT INTO newsbot_schema (component, version) VALUES (%s, %s) ON CONFLICT "
                        "(component) DO UPDATE SET version = excluded.version, migrated_at = now()",
                        (component, number),
                    )
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
            conn.close()


def _register_vector(conn: psycopg.Connection) -> None:
    try:
        register_vector(conn)
    except psycopg.ProgrammingError:  # the extension is created by the first migration
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        register_vector(conn)
