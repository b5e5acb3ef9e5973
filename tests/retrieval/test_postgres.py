"""PostgreSQL specifics: filters match the embedded store's, and a large first load keeps both search sides."""

import numpy as np
import pytest

from retrieval.library import EmbeddedLibrary, PgLibrary
from retrieval.passages import Passage
from retrieval.searcher import Filters, SearchConfig
from retrieval.sources import Source
from retrieval.stores.base import Change
from retrieval.stores.postgres import BULK_ROWS
from tests.conftest import SEED_DIR, new_database

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def both_stores(pg_server, seed_index_dir):
    """The seed articles in each store."""
    url = new_database(pg_server)
    PgLibrary(url).ingest([SEED_DIR])
    return EmbeddedLibrary(seed_index_dir), PgLibrary(url)


@pytest.mark.parametrize("outlet", ["%", "_", "HKFP", "hkfp", "south china", "%Post", "Morning_Post", "\\"])
def test_both_stores_give_the_same_results_for_the_same_outlet_filter(both_stores, outlet):
    embedded, postgres = both_stores
    found = [
        {h.passage.source.title for h in lib.search("China", 10, Filters(outlet=outlet)).hits}
        for lib in (embedded, postgres)
    ]
    assert found[0] == found[1]
    if "%" in outlet or "_" in outlet or outlet == "\\":
        assert found[1] == set()  # wildcards are literal characters, which no outlet holds


def synthetic(count: int, rare_every: int) -> tuple[list[Passage], np.ndarray]:
    """count passages with random unit vectors; every rare_every-th one mentions zirconium."""
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    passages = []
    for n in range(count):
        extra = " The zirconium shipment arrived late." if n % rare_every == 0 else ""
        text = f"Quarry report {n}: output of gravel and sand held steady this week.{extra}"
        passages.append(Passage(f"p{n}", Source(f"a{n // 4}", f"Quarry report {n // 4}", "Gazette"), text, n % 4))
    return passages, vectors


def test_a_bulk_first_load_builds_the_indexes_and_keeps_the_lexical_side(pg_server):
    library = PgLibrary(new_database(pg_server), SearchConfig(dense=False))  # the lexical side alone
    passages, vectors = synthetic(BULK_ROWS + 2000, rare_every=100)  # 120 zirconium passages: > 50, < 5 %
    library.store.apply(Change({}, set(), passages, vectors))
    indexes = {
        row[0]
        for row in library.db.connection()
        .execute("SELECT indexname FROM pg_indexes WHERE tablename = 'passages'")
        .fetchall()
    }
    assert {"passages_embedding", "passages_tsv"} <= indexes
    hits = library.search("zirconium shipment", 5).hits
    assert len(hits) == 5
    assert all("zirconium" in h.passage.text and h.lexical_score > 0 for h in hits)
