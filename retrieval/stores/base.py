"""What every index store records and accepts: the file registry and one ingest's change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.passages import Passage


@dataclass(frozen=True)
class FileEntry:
    """What the registry remembers of one ingested file, to skip it when unchanged."""

    source_path: str
    size: int
    mtime_ns: int
    sha256: str
    article_ids: list[str]


@dataclass
class Change:
    """One ingest, applied by a store as a whole or not at all."""

    files: dict[str, FileEntry]  # the complete registry afterwards
    dropped_articles: set[str]  # articles no file holds any more: their passages go
    fresh: list[Passage]  # passages to add
    vectors: np.ndarray  # one row per fresh passage (zero columns when dense search is off)
