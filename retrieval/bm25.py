"""The lexical side of hybrid search: bm25s built through LlamaIndex's BM25Retriever, scored for every passage."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from llama_index.core.schema import TextNode
from llama_index.retrievers.bm25 import BM25Retriever

TOKEN_PATTERN = r"(?u)\b\w\w+\b"


class Bm25Index:
    """One BM25 score per passage row, in the same order as the passage list and the vector matrix."""

    def __init__(self, bm25: bm25s.BM25) -> None:
        self._bm25 = bm25
        self._stemmer = Stemmer.Stemmer("english")

    @classmethod
    def build(cls, nodes: list[TextNode]) -> Bm25Index:
        retriever = BM25Retriever.from_defaults(
            nodes=nodes, stemmer=Stemmer.Stemmer("english"), token_pattern=TOKEN_PATTERN
        )
        return cls(retriever.bm25)

    @classmethod
    def load(cls, path: Path) -> Bm25Index:
        return cls(bm25s.BM25.load(str(path), load_corpus=False))

    def save(self, path: Path) -> None:
        self._bm25.save(str(path))

    def scores(self, query: str, weight_mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every passage for the query (zeros when no query term is in the vocabulary)."""
        tokens = bm25s.tokenize(
            query,
            stopwords="en",
            stemmer=self._stemmer,
            token_pattern=TOKEN_PATTERN,
            return_ids=False,
            show_progress=False,
        )[0]
        tokens = [t for t in tokens if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(int(self._bm25.scores["num_docs"]), dtype=np.float32)
        return self._bm25.get_scores(tokens, weight_mask=weight_mask)
