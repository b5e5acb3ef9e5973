"""Split articles into passages that fit the embedding model, each holding its article's Source."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from llama_index.core import Document
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import MetadataMode, TextNode

from retrieval.articles import Article
from retrieval.embeddings import WordPieceCounter
from retrieval.sources import SOURCE_FIELDS, Source

PASSAGE_TOKENS = 200  # MiniLM word-pieces, title included; the model truncates at 256
OVERLAP_TOKENS = 30
PASSAGE_FIELDS: tuple[str, ...] = ("id", *SOURCE_FIELDS, "text", "position")  # flat record: JSON line, SQL row


@dataclass(frozen=True)
class Passage:
    id: str
    source: Source
    text: str
    position: int  # order within its article

    @property
    def article_id(self) -> str:
        return self.source.article_id

    def embed_text(self) -> str:
        """What the embedder and BM25 see: title plus passage."""
        return f"{self.source.title}\n{self.text}"

    def to_node(self) -> TextNode:
        """A LlamaIndex node: the source fields as metadata, only the title shown to embedders and LLMs."""
        hidden = [name for name in SOURCE_FIELDS if name != "title"]
        return TextNode(
            id_=self.id,
            text=self.text,
            metadata=self.source.to_dict(),
            excluded_embed_metadata_keys=hidden,
            excluded_llm_metadata_keys=hidden,
            metadata_template="{value}",
            text_template="{metadata_str}\n{content}",
        )

    def to_dict(self) -> dict[str, Any]:
        """The flat record (PASSAGE_FIELDS) stored in passages.jsonl."""
        return {"id": self.id, **self.source.to_dict(), "text": self.text, "position": self.position}

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Passage:
        return cls(record["id"], Source.from_dict(record), record["text"], int(record["position"]))


class PassageSplitter:
    """Sentence-aware splitting sized in the embedding model's own word-pieces."""

    def __init__(self, chunk_tokens: int = PASSAGE_TOKENS, overlap_tokens: int = OVERLAP_TOKENS) -> None:
        self._splitter = SentenceSplitter(
            chunk_size=chunk_tokens,
            chunk_overlap=overlap_tokens,
            tokenizer=WordPieceCounter(),
            paragraph_separator="\n",
        )

    def split(self, article: Article) -> list[Passage]:
        document = Document(
            text=article.text,
            metadata={"title": article.source.title},
            metadata_template="{value}",
            text_template="{metadata_str}\n{content}",
        )
        nodes = self._splitter.get_nodes_from_documents([document])
        return [_passage(article, n, node.get_content(MetadataMode.NONE)) for n, node in enumerate(nodes)]


def _passage(article: Article, position: int, text: str) -> Passage:
    digest = hashlib.sha256(f"{article.id}\n{position}\n{text}".encode()).hexdigest()[:16]
    return Passage(id=digest, source=article.source, text=text, position=position)
