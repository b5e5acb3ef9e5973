"""Shared fixtures: the seed corpus, a built seed index, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.library import Library
from retrieval.offline import enforce_offline

REPO = Path(__file__).resolve().parents[1]
SEED_DIR = REPO / "data" / "articles"
H20_TITLE = "Return of Nvidia H20 chip to China clears major AI upgrade bottleneck, Morgan Stanley says"
H20_QUESTION = "what did Morgan Stanley say about H20?"
NEWSBOT = Path(sys.executable).parent / "newsbot"

enforce_offline()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """An index over the bundled articles, built once per test session (treat as read-only)."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    Library(index_dir).ingest([SEED_DIR])
    return index_dir


@pytest.fixture(scope="session")
def seed_library(seed_index_dir) -> Library:
    return Library(seed_index_dir)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "articles"
    shutil.copytree(SEED_DIR, target)
    return target


def cli_env(index_dir: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_"))}
    return {**keep, "NEWSBOT_INDEX_DIR": str(index_dir), "NEWSBOT_LLM": "extractive", **extra}


def run_cli(*args: str, index_dir: Path, stdin: str | None = None, timeout: float = 120, **env: str):
    """Run the real `newsbot` console script from the repo root; returns the CompletedProcess."""
    return subprocess.run(
        [str(NEWSBOT), "--env-file", "/nonexistent/.env", *args], cwd=REPO, env=cli_env(index_dir, **env),
        input=stdin, capture_output=True, text=True, timeout=timeout,
    )
