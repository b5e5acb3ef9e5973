"""Ingest: incremental by content hash, pruning, and a crash mid-ingest that leaves the old index answering."""

import threading

import numpy as np
import pytest

from retrieval.embeddings import MiniLMEmbedding
from retrieval.index import Indexer
from retrieval.library import EmbeddedLibrary
from tests.conftest import H20_QUESTION, H20_TITLE


def test_unchanged_corpus_is_skipped_without_embedding(corpus, fresh_library):
    library = fresh_library()
    first = library.ingest([corpus])
    again = library.ingest([corpus])
    assert (first.files_new, first.articles, first.passages) == (2, 5, 17)
    assert (again.files_unchanged, again.embedded, again.files_new, again.passages) == (2, 0, 0, 17)


def test_unchanged_corpus_writes_no_new_generation(corpus, tmp_path):
    library = EmbeddedLibrary(tmp_path / "index")
    library.ingest([corpus])
    live = library.store.live_dir
    library.ingest([corpus])
    assert library.store.live_dir == live


def test_changed_file_replaces_only_its_passages(corpus, fresh_library):
    library = fresh_library()
    library.ingest([corpus])
    page = corpus / "000_a7ee327d698c6a93.txt"
    page.write_text(page.read_text().replace("Hangzhou", "Hangzhou, a city famous for West Lake,"))
    report = library.ingest([corpus])
    assert (report.files_changed, report.files_unchanged, report.articles) == (1, 1, 5)
    assert 0 < report.embedded < report.passages  # the other page's passages kept their vectors
    hits = library.searcher().search("DeepSeek Hangzhou V3 R1 models", 20).hits
    texts = [h.passage.text for h in hits] + [d.text for h in hits for d in h.also_in]
    assert any("West Lake" in t for t in texts)
    assert sum("located in Hangzhou, recently" in t for t in texts) == 0


def test_prune_drops_articles_of_deleted_files(corpus, fresh_library):
    library = fresh_library()
    library.ingest([corpus])
    (corpus / "001_6618db9024ab068f.txt").unlink()
    assert library.ingest([corpus]).articles == 5  # without --prune nothing is dropped
    report = library.ingest([corpus], prune=True)
    assert (report.files_removed, report.articles) == (1, 1)
    assert {h.passage.source.title for h in library.searcher().search("China", 20).hits} == {
        "China Celebrates DeepSeek's AI Success, But The Race Is Far From Over"
    }


class ExplodingEncoder(MiniLMEmbedding):
    """Embeds a few passages, then fails as a crash or kill would."""

    def encode(self, texts):
        if len(texts) > 1:
            raise KeyboardInterrupt("killed mid-ingest")
        return super().encode(texts)


def test_crash_mid_ingest_leaves_the_old_index_answering(corpus, fresh_library):
    library = fresh_library()
    library.ingest([corpus])
    (corpus / "extra.txt").write_text("Tunnel reopens\n" + "The harbour tunnel reopened on Friday. " * 40)
    with pytest.raises(KeyboardInterrupt):
        Indexer(fresh_library().store, ExplodingEncoder()).ingest([corpus])
    reopened = fresh_library()
    assert reopened.store.counts() == (5, 17)
    assert reopened.searcher().search(H20_QUESTION, 3).hits[0].passage.source.title == H20_TITLE
    assert library.ingest([corpus]).files_new == 1  # the next ingest picks the new file up


def test_concurrent_ingests_neither_corrupt_nor_duplicate(corpus, fresh_library):
    libraries = [fresh_library(), fresh_library()]  # two processes' worth: separate stores, one index
    reports, errors = [], []

    def run(library):
        try:
            reports.append(library.ingest([corpus]))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(lib,)) for lib in libraries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.files_new for r in reports) == [0, 2]  # the second waited, then found nothing new
    assert fresh_library().store.counts() == (5, 17)


def test_partial_generation_left_by_a_crash_is_never_loaded(corpus, tmp_path):
    library = EmbeddedLibrary(tmp_path / "index")
    library.ingest([corpus])
    junk = tmp_path / "index" / "generations" / "gen-1-1.partial"
    junk.mkdir()
    (junk / "manifest.json").write_text("{broken")
    assert library.store.load().passages  # the live link still points at the complete generation


def test_bad_files_are_skipped_with_warnings_and_the_rest_ingested(tmp_path, fresh_library):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Rates held\nThe central bank held rates at 4 per cent on Thursday.")
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "latin.txt").write_bytes("Caf\u00e9 opens\nA caf\u00e9 opened.".encode("cp1252"))
    report = fresh_library().ingest([folder])
    assert (report.articles, report.skipped) == (2, 2)
    assert sorted(report.warnings) == [
        "blob.txt: binary file, skipped",
        "empty.txt: empty file, skipped",
        "latin.txt: not valid UTF-8, decoded as cp1252",
    ]


def test_vectors_are_unit_length_and_aligned_with_passages(seed_index_dir):
    snapshot = EmbeddedLibrary(seed_index_dir).searcher().snapshot
    assert snapshot.vectors.shape == (len(snapshot.passages), 384)
    assert np.allclose(np.linalg.norm(snapshot.vectors, axis=1), 1.0, atol=1e-4)


def test_a_crash_inside_the_stores_write_leaves_the_old_index(corpus, fresh_library, store_kind, monkeypatch):
    library = fresh_library()
    library.ingest([corpus])
    (corpus / "extra.txt").write_text("Tunnel reopens\nThe harbour tunnel reopened on Friday after repairs.")
    # the last step of each store's write: after the passages are written, before they go live
    target = (
        "retrieval.stores.postgres._write_registry"
        if store_kind == "postgres"
        else "retrieval.stores.embedded._fsync_tree"
    )
    monkeypatch.setattr(target, lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        fresh_library().ingest([corpus])
    monkeypatch.undo()
    reopened = fresh_library()
    assert reopened.store.counts() == (5, 17)
    assert reopened.searcher().search("harbour tunnel", 3).hits[0].passage.source.title != "Tunnel reopens"
    assert reopened.ingest([corpus]).files_new == 1


def test_newest_articles_come_by_publication_date_then_undated(tmp_path, fresh_library):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "old.json").write_text('{"title": "Old story", "text": "Old news.", "published": "2024-01-02"}')
    (folder / "new.json").write_text('{"title": "New story", "text": "New news.", "published": "2025-07-20"}')
    (folder / "undated.txt").write_text("Undated story\nNo date here.")
    library = fresh_library()
    library.ingest([folder])
    assert [s.title for s in library.newest(3)] == ["New story", "Old story", "Undated story"]
    assert [s.title for s in library.newest(1)] == ["New story"]
