"""The index in PostgreSQL: passages with pgvector (HNSW) and tsvector (GIN), the file registry, article centroids."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import psycopg

from retrieval.db import Database
from retrieval.embeddings import DIMENSION
from retrieval.passages import PASSAGE_FIELDS, Passage
from retrieval.sources import SOURCE_FIELDS, Source
from retrieval.stores.base import Change, FileEntry

COMPONENT = "index"
INGEST_LOCK = 7_466_111  # pg_advisory_lock key held for a whole ingest
MIGRATIONS = [
    f"""
    CREATE TABLE files (
        key TEXT PRIMARY KEY, source_path TEXT NOT NULL, size BIGINT NOT NULL, mtime_ns BIGINT NOT NULL,
        sha256 TEXT NOT NULL, article_ids TEXT[] NOT NULL);
    CREATE TABLE articles (id TEXT PRIMARY KEY, centroid vector({DIMENSION}));
    CREATE TABLE passages (
        id TEXT PRIMARY KEY, article_id TEXT NOT NULL, title TEXT NOT NULL, outlet TEXT NOT NULL,
        published TEXT NOT NULL, published_date DATE, url TEXT NOT NULL, source_path TEXT NOT NULL,
        text TEXT NOT NULL, position INTEGER NOT NULL, embedding vector({DIMENSION}),
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || text)) STORED);
    CREATE INDEX passages_article ON passages (article_id);
    CREATE INDEX passages_embedding ON passages USING hnsw (embedding vector_cosine_ops);
    CREATE INDEX passages_tsv ON passages USING gin (tsv);
    """,
    # 2: how many passages hold each word, so a question searches its rarer words only
    """
    CREATE TABLE lexeme_stats (word TEXT PRIMARY KEY, ndoc INTEGER NOT NULL);
    INSERT INTO lexeme_stats SELECT word, ndoc FROM ts_stat('SELECT tsv FROM passages');
    """,
    # 3: the passage count, kept by every ingest (pg_class.reltuples is -1 until the table is analysed)
    """
    CREATE TABLE index_stats (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
    INSERT INTO index_stats SELECT 'passages', count(*) FROM passages;
    """,
    # 4: resolved publication dates (retrieval.dates) and the capture time
    """
    ALTER TABLE passages ADD COLUMN published_at TEXT, ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'unknown',
        ADD COLUMN date_source TEXT NOT NULL DEFAULT 'none', ADD COLUMN captured_at TEXT;
    """,
]
BULK_ROWS = 10_000  # a first load this large copies rows, then builds the HNSW and GIN indexes once
SEARCH_INDEXES = {  # built after a bulk load rather than maintained row by row
    "passages_embedding": "CREATE INDEX passages_embedding ON passages USING hnsw (embedding vector_cosine_ops)",
    "passages_tsv": "CREATE INDEX passages_tsv ON passages USING gin (tsv)",
}
BUILD_MEMORY = "1GB"  # maintenance_work_mem while an index is built: HNSW builds fast only while it fits
PASSAGE_COLUMNS = ", ".join(PASSAGE_FIELDS)  # the passages table's columns for a Passage, in its field order
COPY_TYPES = ["integer" if name == "position" else "text" for name in PASSAGE_FIELDS]  # binary COPY needs them


class PgStore:
    """The IndexStore in PostgreSQL: one transaction per ingest, one ingest at a time across every process."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate(COMPONENT, MIGRATIONS)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        conn = self.db.connection()
        conn.execute("SELECT pg_advisory_lock(%s)", (INGEST_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (INGEST_LOCK,))

    def registry(self) -> dict[str, FileEntry]:
        rows = (
            self.db.connection()
            .execute("SELECT key, source_path, size, mtime_ns, sha256, article_ids FROM files")
            .fetchall()
        )
        return {key: FileEntry(path, size, mtime, sha, list(ids)) for key, path, size, mtime, sha, ids in rows}

    def stored_ids(self, ids: list[str]) -> set[str]:
        rows = self.db.connection().execute("SELECT id FROM passages WHERE id = ANY(%s)", (ids,)).fetchall()
        return {row[0] for row in rows}

    def newest(self, n: int) -> list[Source]:
        rows = (
            self.db.connection()
            .execute(
                f"SELECT {', '.join(SOURCE_FIELDS)} FROM passages p LEFT JOIN files f USING (source_path)"
                " WHERE p.position = 0 ORDER BY p.published_date DESC NULLS LAST, p.published_at DESC NULLS LAST,"
                " f.mtime_ns DESC NULLS LAST,"
                " p.article_id DESC LIMIT %s",
                (n,),
            )
            .fetchall()
        )
        return [Source(*row) for row in rows]

    def counts(self) -> tuple[int, int]:
        row = self.db.connection().execute("SELECT count(DISTINCT article_id), count(*) FROM passages").fetchone()
        assert row is not None  # an aggregate always returns one row
        return int(row[0]), int(row[1])

    def apply(self, change: Change) -> None:
        """Everything or nothing: a crash mid-ingest rolls back and the old index keeps answering."""
        with self.db.transaction() as conn:
            dropped = sorted(change.dropped_articles)
            conn.execute("DELETE FROM passages WHERE article_id = ANY(%s)", (dropped,))
            conn.execute("DELETE FROM articles WHERE id = ANY(%s)", (dropped,))
            if len(change.fresh) >= BULK_ROWS and _empty(conn):
                _bulk_load(conn, change.fresh, change.vectors)
            else:
                _copy_passages(conn, change.fresh, change.vectors)
            touched = sorted({p.article_id for p in change.fresh})
            if change.vectors.shape[1]:
                conn.execute(
                    "INSERT INTO articles (id, centroid) SELECT article_id, l2_normalize(avg(embedding)) "
                    "FROM passages WHERE article_id = ANY(%s) GROUP BY article_id "
                    "ON CONFLICT (id) DO UPDATE SET centroid = excluded.centroid",
                    (touched,),
                )
            _write_registry(conn, change.files)
            if change.fresh or dropped:
                _refresh_stats(conn, analyse=len(change.fresh) + len(dropped) >= BULK_ROWS)


def _copy_passages(conn: psycopg.Connection, passages: list[Passage], vectors: np.ndarray) -> None:
    """COPY in PostgreSQL's binary format: vectors go as raw floats, not 384 numbers formatted as text."""
    columns = f"{PASSAGE_COLUMNS}, published_date, embedding"
    rows: list[Any] = list(vectors.astype(np.float32)) if vectors.shape[1] else [None] * len(passages)
    with conn.cursor().copy(f"COPY passages ({columns}) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types([*COPY_TYPES, "date", "vector"])
        for passage, vector in zip(passages, rows, strict=True):
            record = passage.to_dict()
            copy.write_row([*(record[name] for name in PASSAGE_FIELDS), passage.source.published_day, vector])


def _empty(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM passages)").fetchone() == (True,)


def _bulk_load(conn: psycopg.Connection, passages: list[Passage], vectors: np.ndarray) -> None:
    """A first large load: drop the search indexes, COPY, build them once (all in the ingest's transaction)."""
    for name in SEARCH_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    _copy_passages(conn, passages, vectors)
    conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
    conn.execute("SET LOCAL max_parallel_maintenance_workers = 1")  # with the leader: both cores
    for sql in SEARCH_INDEXES.values():
        conn.execute(sql)


def _refresh_stats(conn: psycopg.Connection, analyse: bool) -> None:
    """Word document counts and the passage count, recounted in the ingest's transaction (seconds at 500k
    passages); after a large change the planner's statistics too."""
    conn.execute("TRUNCATE lexeme_stats")
    conn.execute("INSERT INTO lexeme_stats SELECT word, ndoc FROM ts_stat('SELECT tsv FROM passages')")
    conn.execute("UPDATE index_stats SET value = (SELECT count(*) FROM passages) WHERE name = 'passages'")
    if analyse:
        conn.execute("ANALYZE passages")


def _write_registry(conn: psycopg.Connection, files: dict[str, FileEntry]) -> None:
    """Bring the files table to exactly `files`, touching only rows that differ."""
    current = {
        key: (size, mtime, sha)
        for key, size, mtime, sha in conn.execute("SELECT key, size, mtime_ns, sha256 FROM files").fetchall()
    }
    gone = [key for key in current if key not in files]
    conn.execute("DELETE FROM files WHERE key = ANY(%s)", (gone,))
    changed = [
        (k, e.source_path, e.size, e.mtime_ns, e.sha256, e.article_ids)
        for k, e in files.items()
        if current.get(k) != (e.size, e.mtime_ns, e.sha256)
    ]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO files VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO UPDATE SET "
            "source_path = excluded.source_path, size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "sha256 = excluded.sha256, article_ids = excluded.article_ids",
            changed,
        )
