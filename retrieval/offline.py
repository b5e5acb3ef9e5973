"""Switches that keep every library off the network: nothing downloads at run time."""

import importlib.util
import os
from pathlib import Path


def _llama_index_static() -> Path:
    """llama-index-core ships tiktoken and nltk data here."""
    spec = importlib.util.find_spec("llama_index.core")
    assert spec is not None, "llama-index-core is a pinned dependency"
    assert spec.submodule_search_locations, "llama_index.core is a package"
    return Path(next(iter(spec.submodule_search_locations))) / "_static"


def enforce_offline() -> None:
    """Set hub/offline switches and point tiktoken and nltk at the data llama-index-core ships."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    static = _llama_index_static()
    os.environ["TIKTOKEN_CACHE_DIR"] = str(static / "tiktoken_cache")
    os.environ["NLTK_DATA"] = str(static / "nltk_cache")
