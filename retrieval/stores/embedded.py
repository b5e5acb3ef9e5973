"""The embedded index: one directory per generation, made live by an atomic symlink swap."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.bm25 import Bm25Index
from retrieval.embeddings import DIMENSION, MODEL_ID
from retrieval.errors import NewsbotError
from retrieval.passages import Passage
from retrieval.sources import Source
from retrieval.stores.base import Change, FileEntry

SCHEMA_VERSION = 1
LIVE_LINK = "current"
GENERATIONS = "generations"


class IndexCorrupt(NewsbotError):
    """The live index cannot be read; the message says which file."""


@dataclass
class Snapshot:
    """Everything a search needs, in memory. Row i of vectors is passages[i]."""

    passages: list[Passage] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    files: dict[str, FileEntry] = field(default_factory=dict)
    bm25: Bm25Index | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.passages


class EmbeddedStore:
    """Files under index_dir; readers always see a complete generation, writers hold a lock."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._cached: Snapshot | None = None
        self._cached_from: Path | None | object = object()  # the live dir _cached was read from

    @property
    def live_dir(self) -> Path | None:
        link = self.index_dir / LIVE_LINK
        return link.resolve() if link.exists() else None

    def load(self) -> Snapshot:
        live = self.live_dir
        if live is None:
            return Snapshot()
        try:
            return _read_generation(live)
        except (OSError, ValueError, KeyError) as exc:
            raise IndexCorrupt(f"index at {live} is unreadable ({exc}); run `newsbot ingest` to rebuild it") from exc

    def registry(self) -> dict[str, FileEntry]:
        """The file registry alone (cheap: an unchanged re-ingest reads nothing else)."""
        live = self.live_dir
        if live is None:
            return {}
        return _read_files(live)

    def stored_ids(self, ids: list[str]) -> set[str]:
        present = {p.id for p in self._current().passages}
        return {i for i in ids if i in present}

    def newest(self, n: int) -> list[Source]:
        changed = {entry.source_path: entry.mtime_ns for entry in self.registry().values()}
        firsts = {p.article_id: p.source for p in reversed(self._current().passages)}
        order = sorted(
            firsts.values(),
            key=lambda s: (
                s.published_day or date.min,
                s.published_at or "",
                changed.get(s.source_path, 0),
                s.article_id,
            ),
            reverse=True,
        )
        return order[:n]

    def counts(self) -> tuple[int, int]:
        manifest = self._manifest()
        return manifest.get("articles", 0), manifest.get("passages", 0)

    def apply(self, change: Change) -> None:
        """The next generation: kept passages and vectors, plus the fresh ones; BM25 rebuilt over all."""
        old = self._current()
        keep = [i for i, p in enumerate(old.passages) if p.article_id not in change.dropped_articles]
        passages = [old.passages[i] for i in keep] + change.fresh
        dims = change.vectors.shape[1]
        if keep and old.vectors.shape[1] != dims:
            raise IndexCorrupt(
                f"index at {self.live_dir} was built with dense search "
                f"{'off' if dims else 'on'}; ingest into a new --index-dir"
            )
        kept = np.asarray(old.vectors[keep]) if keep else np.zeros((0, dims), dtype=np.float32)
        self.save(
            Snapshot(
                passages=passages,
                vectors=np.vstack([kept, change.vectors]),
                files=change.files,
                bm25=Bm25Index.build([p.to_node() for p in passages]) if passages else None,
                manifest={
                    "embed_model": MODEL_ID if dims else None,
                    "dimension": DIMENSION,
                    "articles": len({p.article_id for p in passages}),
                },
            )
        )

    def _current(self) -> Snapshot:
        """The live snapshot, read once per generation while a writer works."""
        live = self.live_dir
        if self._cached is None or self._cached_from != live:
            self._cached, self._cached_from = self.load(), live
        return self._cached

    def _manifest(self) -> dict[str, Any]:
        live = self.live_dir
        return json.loads((live / "manifest.json").read_text(encoding="utf-8")) if live else {}

    def save(self, snapshot: Snapshot) -> Path:
        """Write a new generation beside the live one, then swap the link in one rename."""
        generations = self.index_dir / GENERATIONS
        generations.mkdir(parents=True, exist_ok=True)
        target = generations / f"gen-{time.time_ns()}-{os.getpid()}"
        partial = target.with_name(target.name + ".partial")
        _write_generation(partial, snapshot)
        partial.rename(target)
        link_tmp = self.index_dir / f".{LIVE_LINK}.{os.getpid()}"
        if link_tmp.is_symlink():
            link_tmp.unlink()
        link_tmp.symlink_to(Path(GENERATIONS) / target.name)
        os.replace(link_tmp, self.index_dir / LIVE_LINK)
        self._remove_stale(keep=target)
        return target

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """One ingest at a time per index directory (a second one waits)."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.index_dir / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_stale(self, keep: Path) -> None:
        for old in (self.index_dir / GENERATIONS).iterdir():
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)


def _write_generation(path: Path, snapshot: Snapshot) -> None:
    path.mkdir(parents=True)
    with open(path / "passages.jsonl", "w", encoding="utf-8") as out:
        for passage in snapshot.passages:
            out.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    np.save(path / "vectors.npy", snapshot.vectors.astype(np.float32))
    (path / "files.json").write_text(json.dumps({k: asdict(v) for k, v in snapshot.files.items()}), encoding="utf-8")
    if snapshot.bm25 is not None:
        snapshot.bm25.save(path / "bm25")
    manifest = {**snapshot.manifest, "schema": SCHEMA_VERSION, "passages": len(snapshot.passages)}
    (path / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    _fsync_tree(path)


def _read_generation(path: Path) -> Snapshot:
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"schema {manifest.get('schema')} is not {SCHEMA_VERSION}")
    with open(path / "passages.jsonl", encoding="utf-8") as lines:
        passages = [Passage.from_dict(json.loads(line)) for line in lines]
    bm25_dir = path / "bm25"
    return Snapshot(
        passages=passages,
        vectors=np.load(path / "vectors.npy", mmap_mode="r"),
        files=_read_files(path),
        bm25=Bm25Index.load(bm25_dir) if bm25_dir.exists() else None,
        manifest=manifest,
    )


def _read_files(path: Path) -> dict[str, FileEntry]:
    files = json.loads((path / "files.json").read_text(encoding="utf-8"))
    return {k: FileEntry(**v) for k, v in files.items()}


def _fsync_tree(path: Path) -> None:
    for item in path.rglob("*"):
        if item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
