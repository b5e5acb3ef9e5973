"""Split articles into passages that fit the embedding model, each carrying its article's metadata."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from llama_index.core import Document
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import MetadataMode, TextNode

from retrieval.articles import Article
from retrieval.embeddings import WordPieceCounter

PASSAGE_TOKENS = 200  # MiniLM word-pieces, title included; the model truncates at 256
OVERLAP_TOKENS = 30
META_KEYS = ("article_id", "title", "outlet", "published", "url", "source_path")


@dataclass(frozen=True)
class Passage:
    id: str
    article_id: str
    title: str
    outlet: str
    published: str
    url: str
    source_path: str
    text: str
    position: int  # order within its article

    def embed_text(self) -> str:
        """What the embedder and BM25 see: title plus passage."""
        return f"{self.title}\n{self.text}"

    def to_node(self) -> TextNode:
        meta = {k: getattr(self, k) for k in META_KEYS}
        hidden = [k for k in META_KEYS if k != "title"]
        return TextNode(
            id_=self.id,
            text=self.text,
            metadata=meta,
            excluded_embed_metadata_keys=hidden,
            excluded_llm_metadata_keys=hidden,
            metadata_template="{value}",
            text_template="{metadata_str}\n{content}",
        )

    def to_dict(self) -> dict:
        return asdict(self)


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
            metadata={"title": article.title},
            metadata_template="{value}",
            text_template="{metadata_str}\n{content}",
        )
        nodes = self._splitter.get_nodes_from_documents([document])
        return [_passage(article, n, node.get_content(MetadataMode.NONE)) for n, node in enumerate(nodes)]


def _passage(article: Article, position: int, text: str) -> Passage:
    digest = hashlib.sha256(f"{article.id}\n{position}\n{text}".encode()).hexdigest()[:16]
    return Passage(
        id=digest,
        article_id=article.id,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        url=article.url,
        source_path=article.source_path,
        text=text,
        position=position,
    )


def node_content(node: TextNode) -> str:
    """The text BM25 indexes for a node: the same title-plus-passage the embedder sees."""
    return node.get_content(metadata_mode=MetadataMode.EMBED)
