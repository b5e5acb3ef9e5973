"""The index in PostgreSQL: passages with pgvector (HNSW) and tsvector (GIN), the file registry, article centroids.

Hybrid search runs in the database: the dense side is an HNSW cosine scan, the lexical side full-text search
ranked by ts_rank_cd. Both feed the same reciprocal rank fusion and near-duplicate collapse as the embedded store.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from retrieval.embeddings import DIMENSION
from retrieval.hits import Candidate, Filters, SearchConfig, SearchResult, rank_candidates
from retrieval.passages import Passage
from retrieval.stores.base import Change, FileEntry
from retrieval.stores.pg import Database

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
]
PASSAGE_COLUMNS = "id, article_id, title, outlet, published, url, source_path, text, position"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
EF_SEARCH = 100  # HNSW candidate list; recall vs speed
QUERY_WORDS = 6  # the rarest words of a question that the lexical side searches
COMMON_SHARE = 0.05  # words in more passages than this share (at least COMMON_FLOOR) are left out of a query
COMMON_FLOOR = 50


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
        rows = self.db.connection().execute(
            "SELECT key, source_path, size, mtime_ns, sha256, article_ids FROM files").fetchall()
        return {key: FileEntry(path, size, mtime, sha, list(ids)) for key, path, size, mtime, sha, ids in rows}

    def stored_ids(self, ids: list[str]) -> set[str]:
        rows = self.db.connection().execute("SELECT id FROM passages WHERE id = ANY(%s)", (ids,)).fetchall()
        return {row[0] for row in rows}

    def counts(self) -> tuple[int, int]:
        row = self.db.connection().execute("SELECT count(DISTINCT article_id), count(*) FROM passages").fetchone()
        return int(row[0]), int(row[1])

    def apply(self, change: Change) -> None:
        """Everything or nothing: a crash mid-ingest rolls back and the old index keeps answering."""
        with self.db.transaction() as conn:
            dropped = sorted(change.dropped_articles)
            conn.execute("DELETE FROM passages WHERE article_id = ANY(%s)", (dropped,))
            conn.execute("DELETE FROM articles WHERE id = ANY(%s)", (dropped,))
            _copy_passages(conn, change.fresh, change.vectors)
            touched = sorted({p.article_id for p in change.fresh})
            if change.vectors.shape[1]:
                conn.execute(
                    "INSERT INTO articles (id, centroid) SELECT article_id, l2_normalize(avg(embedding)) "
                    "FROM passages WHERE article_id = ANY(%s) GROUP BY article_id "
                    "ON CONFLICT (id) DO UPDATE SET centroid = excluded.centroid", (touched,))
            _write_registry(conn, change.files)
            if change.fresh or dropped:
                _refresh_lexeme_stats(conn)


def _copy_passages(conn, passages: list[Passage], vectors: np.ndarray) -> None:
    columns = f"{PASSAGE_COLUMNS}, published_date, embedding"
    with conn.cursor().copy(f"COPY passages ({columns}) FROM STDIN") as copy:
        for passage, vector in zip(passages, vectors if vectors.shape[1] else [None] * len(passages), strict=True):
            day = passage.published[:10] if ISO_DATE.match(passage.published) else None
            copy.write_row([passage.id, passage.article_id, passage.title, passage.outlet, passage.published,
                            passage.url, passage.source_path, passage.text, passage.position, day,
                            None if vector is None else np.asarray(vector, dtype=np.float32)])


def _refresh_lexeme_stats(conn) -> None:
    """Document frequency of every word, recounted in the ingest's transaction (seconds at 500k passages)."""
    conn.execute("TRUNCATE lexeme_stats")
    conn.execute("INSERT INTO lexeme_stats SELECT word, ndoc FROM ts_stat('SELECT tsv FROM passages')")


def _write_registry(conn, files: dict[str, FileEntry]) -> None:
    """Bring the files table to exactly `files`, touching only rows that differ."""
    current = {key: (size, mtime, sha) for key, size, mtime, sha in
               conn.execute("SELECT key, size, mtime_ns, sha256 FROM files").fetchall()}
    gone = [key for key in current if key not in files]
    conn.execute("DELETE FROM files WHERE key = ANY(%s)", (gone,))
    changed = [(k, e.source_path, e.size, e.mtime_ns, e.sha256, e.article_ids) for k, e in files.items()
               if current.get(k) != (e.size, e.mtime_ns, e.sha256)]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO files VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO UPDATE SET "
            "source_path = excluded.source_path, size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "sha256 = excluded.sha256, article_ids = excluded.article_ids", changed)


class PgSearcher:
    """Hybrid search in PostgreSQL, ranked by the same fusion and collapse as the embedded searcher."""

    def __init__(self, db: Database, encoder, config: SearchConfig = SearchConfig()) -> None:
        self.db = db
        self.encoder = encoder if config.dense else None
        self.config = config

    def search(self, query: str, top_k: int | None = None, filters: Filters = Filters()) -> SearchResult:
        timings: dict[str, float] = {}
        k = top_k or self.config.top_k
        where, params = _filter_sql(filters)
        conn = self.db.connection()
        found: dict[str, Candidate] = {}
        if self.encoder is not None:
            started = time.perf_counter()
            query_vec = self.encoder.encode([query])[0]
            timings["embed"] = _ms(started)
            started = time.perf_counter()
            self._dense(conn, query_vec, where, params, found, filters.active)
            timings["dense"] = _ms(started)
        if self.config.bm25:
            started = time.perf_counter()
            self._lexical(conn, query, where, params, found)
            timings["bm25"] = _ms(started)
        started = time.perf_counter()
        self._fill(conn, found)
        hits = rank_candidates(list(found.values()), self.config, k)
        timings["fuse"] = _ms(started)
        timings["total"] = round(sum(timings.values()), 3)
        return SearchResult(query, hits, timings)

    def _dense(self, conn, query_vec, where, params, found, filtered: bool) -> None:
        with conn.transaction():
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, self.config.candidates)}")
            if filtered:
                conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = conn.execute(
                f"SELECT id, 1 - (embedding <=> %s) AS score FROM passages WHERE embedding IS NOT NULL {where} "
                "ORDER BY embedding <=> %s LIMIT %s",
                (query_vec, *params, query_vec, self.config.candidates)).fetchall()
        for rank, (passage_id, score) in enumerate(sorted(rows, key=lambda r: -r[1])):
            candidate = found.setdefault(passage_id, Candidate(passage=None))
            candidate.dense_rank, candidate.dense_score = rank, float(score)

    def _lexical(self, conn, query, where, params, found) -> None:
        """The question's rarest words, any of which may match, ranked by ts_rank_cd.

        Common words are left out as BM25's IDF would all but ignore them: matching them would make
        ts_rank_cd read a large share of the table (135 ms p50 at 36k passages, bench/scale.py)."""
        rows = conn.execute(
            "WITH words AS (SELECT s.word FROM unnest(tsvector_to_array(to_tsvector('english', %s))) AS w(word) "
            "  JOIN lexeme_stats s ON s.word = w.word "
            "  WHERE s.ndoc <= GREATEST(%s, %s * (SELECT reltuples FROM pg_class WHERE oid = 'passages'::regclass)) "
            "  ORDER BY s.ndoc LIMIT %s), "
            "query AS (SELECT string_agg(quote_literal(word), ' | ')::tsquery AS q FROM words) "
            f"SELECT id, ts_rank_cd(tsv, q) AS score FROM passages, query WHERE q IS NOT NULL AND tsv @@ q {where} "
            "ORDER BY score DESC, id LIMIT %s",
            (query, COMMON_FLOOR, COMMON_SHARE, QUERY_WORDS, *params, self.config.candidates)).fetchall()
        for rank, (passage_id, score) in enumerate(rows):
            candidate = found.setdefault(passage_id, Candidate(passage=None))
            candidate.bm25_rank, candidate.bm25_score = rank, float(score)

    def _fill(self, conn, found: dict[str, Candidate]) -> None:
        """Passage text, vector and article centroid for every candidate, in one query."""
        rows = conn.execute(
            f"SELECT {', '.join('p.' + c for c in PASSAGE_COLUMNS.split(', '))}, p.embedding, a.centroid "
            "FROM passages p LEFT JOIN articles a ON a.id = p.article_id WHERE p.id = ANY(%s)",
            (list(found),)).fetchall()
        for *columns, vector, centroid in rows:
            candidate = found[columns[0]]
            candidate.passage = Passage(*columns)
            candidate.vector = _array(vector)
            candidate.centroid = _array(centroid)


def _array(value) -> np.ndarray | None:
    """pgvector's Vector (or None) as a float32 array."""
    if value is None:
        return None
    return np.asarray(value.to_numpy() if hasattr(value, "to_numpy") else value, dtype=np.float32)


def _filter_sql(filters: Filters) -> tuple[str, list]:
    clauses, params = [], []
    if filters.outlet:
        clauses.append("outlet ILIKE %s")
        params.append(f"%{filters.outlet}%")
    if filters.since:
        clauses.append("published_date >= %s")
        params.append(filters.since)
    if filters.until:
        clauses.append("published_date <= %s")
        params.append(filters.until)
    return "".join(f" AND {c}" for c in clauses), params


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
