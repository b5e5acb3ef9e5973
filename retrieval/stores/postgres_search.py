"""Search steps in PostgreSQL: the dense side is an HNSW cosine scan, the lexical side full-text search ranked
by ts_rank. Fusion and near-duplicate collapse are the shared skeleton's (retrieval/hybrid.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from retrieval.db import Database
from retrieval.fusion import Candidate
from retrieval.hybrid import Found, HybridSearch
from retrieval.passages import PASSAGE_FIELDS, Passage
from retrieval.searcher import Encoder, Filters, SearchConfig

EF_SEARCH = 100  # HNSW candidate list; recall vs speed
QUERY_WORDS = 6  # the rarest words of a question that the lexical side searches
COMMON_SHARE = 0.05  # words in more passages than this share (at least COMMON_FLOOR) are left out of a query
COMMON_FLOOR = 50
# ts_rank, not ts_rank_cd: on tests/eval/dev/bbc.jsonl in PostgreSQL, lexical hit@3 0.861 vs 0.556 and hybrid
# 0.917 vs 0.889; and 39 vs 112 ms p50 with 144k passages (cover density reads positions for every match).
LEXICAL_RANK = "ts_rank"


@dataclass(frozen=True)
class _Scope:
    """One search's filters as a SQL fragment and its parameters."""

    where: str
    params: list[Any]
    filtered: bool


class PgSearcher(HybridSearch[_Scope]):
    """Hybrid search in PostgreSQL: an HNSW cosine scan and full-text search ranked by ts_rank."""

    def __init__(self, db: Database, encoder: Encoder | None, config: SearchConfig = SearchConfig()) -> None:
        super().__init__(encoder, config)
        self.db = db

    def _scope(self, filters: Filters) -> _Scope:
        where, params = _filter_sql(filters)
        return _Scope(where, params, filters.active)

    def _dense(self, query_vector: np.ndarray, scope: _Scope, found: Found) -> None:
        conn = self.db.connection()
        where, params = scope.where, scope.params
        with conn.transaction():
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, self.config.candidates)}")
            if scope.filtered:
                conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = conn.execute(
                f"SELECT id, 1 - (embedding <=> %s) AS score FROM passages WHERE embedding IS NOT NULL {where} "
                "ORDER BY embedding <=> %s LIMIT %s",
                (query_vector, *params, query_vector, self.config.candidates),
            ).fetchall()
        for rank, (passage_id, score) in enumerate(sorted(rows, key=lambda r: -r[1])):
            candidate = found.setdefault(passage_id, Candidate())
            candidate.dense_rank, candidate.dense_score = rank, float(score)

    def _lexical(self, query: str, scope: _Scope, found: Found) -> None:
        """The question's rarest words, any of which may match, ranked by LEXICAL_RANK.

        Common words are left out as BM25's IDF would all but ignore them: matching them would make the
        rank read a large share of the table (135 ms p50 at 36k passages, bench/scale.py)."""
        rows = (
            self.db.connection()
            .execute(
                "WITH words AS (SELECT s.word FROM unnest(tsvector_to_array(to_tsvector('english', %s))) AS w(word) "
                "  JOIN lexeme_stats s ON s.word = w.word "
                "  WHERE s.ndoc <= GREATEST(%s, %s * (SELECT value FROM index_stats WHERE name = 'passages')) "
                "  ORDER BY s.ndoc LIMIT %s), "
                "query AS (SELECT string_agg(quote_literal(word), ' | ')::tsquery AS q FROM words) "
                f"SELECT id, {LEXICAL_RANK}(tsv, q) AS score FROM passages, query WHERE q IS NOT NULL AND tsv @@ q {scope.where} "
                "ORDER BY score DESC, id LIMIT %s",
                (query, COMMON_FLOOR, COMMON_SHARE, QUERY_WORDS, *scope.params, self.config.candidates),
            )
            .fetchall()
        )
        for rank, (passage_id, score) in enumerate(rows):
            candidate = found.setdefault(passage_id, Candidate())
            candidate.lexical_rank, candidate.lexical_score = rank, float(score)

    def _fill(self, found: Found, scope: _Scope) -> None:
        """Passage text, vector and article centroid for every candidate, in one query."""
        rows = (
            self.db.connection()
            .execute(
                f"SELECT {', '.join('p.' + c for c in PASSAGE_FIELDS)}, p.embedding, a.centroid "
                "FROM passages p LEFT JOIN articles a ON a.id = p.article_id WHERE p.id = ANY(%s)",
                (list(found),),
            )
            .fetchall()
        )
        for *columns, vector, centroid in rows:
            candidate = found[columns[0]]
            candidate.passage = Passage.from_dict(dict(zip(PASSAGE_FIELDS, columns, strict=True)))
            candidate.vector = _array(vector)
            candidate.centroid = _array(centroid)


def _array(value: Any) -> np.ndarray | None:
    """pgvector's Vector (or None) as a float32 array."""
    if value is None:
        return None
    return np.asarray(value.to_numpy() if hasattr(value, "to_numpy") else value, dtype=np.float32)


def _like_literal(text: str) -> str:
    """Text matched literally inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.outlet:
        clauses.append("outlet ILIKE %s ESCAPE '\\'")  # a substring, as in the embedded store: % and _ literal
        params.append(f"%{_like_literal(filters.outlet)}%")
    if filters.since:
        clauses.append("published_date >= %s")
        params.append(filters.since)
    if filters.until:
        clauses.append("published_date <= %s")
        params.append(filters.until)
    return "".join(f" AND {c}" for c in clauses), params
