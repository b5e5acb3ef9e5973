"""Ingest: incremental by content hash, pruning, and a crash mid-ingest that leaves the old index answering."""

import numpy as np
import pytest

from retrieval.embeddings import MiniLMEmbedding
from retrieval.index import Indexer
from retrieval.library import Library
from retrieval.stores.embedded import EmbeddedStore
from tests.conftest import H20_QUESTION, H20_TITLE


def test_unchanged_corpus_is_skipped_without_embedding(corpus, tmp_path):
    library = Library(tmp_path / "index")
    first = library.ingest([corpus])
    live = library.store.live_dir
    again = library.ingest([corpus])
    assert (first.files_new, first.articles, first.passages) == (2, 5, first.passages)
    assert (again.files_unchanged, again.embedded, again.files_new) == (2, 0, 0)
    assert library.store.live_dir == live  # no new generation written


def test_changed_file_replaces_only_its_passages(corpus, tmp_path):
    library = Library(tmp_path / "index")
    library.ingest([corpus])
    page = corpus / "000_a7ee327d698c6a93.txt"
    page.write_text(page.read_text().replace("Hangzhou", "Hangzhou, a city famous for West Lake,"))
    report = library.ingest([corpus])
    assert (report.files_changed, report.files_unchanged, report.articles) == (1, 1, 5)
    assert 0 < report.embedded < report.passages  # the other page's passages kept their vectors
    texts = [p.text for p in library.searcher().snapshot.passages]
    assert any("West Lake" in t for t in texts)
    assert sum("located in Hangzhou, recently" in t for t in texts) == 0


def test_prune_drops_articles_of_deleted_files(corpus, tmp_path):
    library = Library(tmp_path / "index")
    library.ingest([corpus])
    (corpus / "001_6618db9024ab068f.txt").unlink()
    assert library.ingest([corpus]).articles == 5  # without --prune nothing is dropped
    report = library.ingest([corpus], prune=True)
    assert (report.files_removed, report.articles) == (1, 1)
    assert {p.title for p in library.searcher().snapshot.passages} == {
        "China Celebrates DeepSeek's AI Success, But The Race Is Far From Over"}


class ExplodingEncoder(MiniLMEmbedding):
    """Embeds a few passages, then fails as a crash or kill would."""

    def encode(self, texts):
        if len(texts) > 1:
            raise KeyboardInterrupt("killed mid-ingest")
        return super().encode(texts)


def test_crash_mid_ingest_leaves_the_old_index_answering(corpus, tmp_path):
    library = Library(tmp_path / "index")
    library.ingest([corpus])
    live = library.store.live_dir
    (corpus / "extra.txt").write_text("Tunnel reopens\n" + "The harbour tunnel reopened on Friday. " * 40)
    with pytest.raises(KeyboardInterrupt):
        Indexer(EmbeddedStore(tmp_path / "index"), ExplodingEncoder()).ingest([corpus])
    assert library.store.live_dir == live
    hits = Library(tmp_path / "index").searcher().search(H20_QUESTION, 3).hits
    assert hits[0].passage.title == H20_TITLE
    assert library.ingest([corpus]).files_new == 1  # the next ingest picks the new file up


def test_partial_generation_left_by_a_crash_is_never_loaded(corpus, tmp_path):
    library = Library(tmp_path / "index")
    library.ingest([corpus])
    junk = tmp_path / "index" / "generations" / "gen-1-1.partial"
    junk.mkdir()
    (junk / "manifest.json").write_text("{broken")
    assert library.store.load().passages  # the live link still points at the complete generation


def test_bad_files_are_skipped_with_warnings_and_the_rest_ingested(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Rates held\nThe central bank held rates at 4 per cent on Thursday.")
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "latin.txt").write_bytes("Caf\u00e9 opens\nA caf\u00e9 opened.".encode("cp1252"))
    report = Library(tmp_path / "index").ingest([folder])
    assert (report.articles, report.skipped) == (2, 2)
    assert sorted(report.warnings) == [
        "blob.txt: binary file, skipped", "empty.txt: empty file, skipped", "latin.txt: not valid UTF-8, decoded as cp1252"]


def test_vectors_are_unit_length_and_aligned_with_passages(seed_library):
    snapshot = seed_library.searcher().snapshot
    assert snapshot.vectors.shape == (len(snapshot.passages), 384)
    assert np.allclose(np.linalg.norm(snapshot.vectors, axis=1), 1.0, atol=1e-4)
