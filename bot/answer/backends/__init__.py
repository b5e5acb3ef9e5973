"""Answer backends by name: this registry is the one list of allowed NEWSBOT_LLM values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answer.backends.base import AnswerBackend, BackendFactory
from bot.answer.backends.extractive import ExtractiveBackend
from bot.answer.backends.local import LocalBackend
from bot.answer.backends.openai_compat import OpenAIBackend

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["BACKENDS", "AnswerBackend", "create_backend"]

BACKENDS: dict[str, type[BackendFactory]] = {
    "local": LocalBackend,  # default: Qwen2.5 1.5B on llama.cpp, offline
    "openai": OpenAIBackend,  # any OpenAI-compatible server
    "extractive": ExtractiveBackend,  # no model: the best-matching passage sentences, cited
}


def create_backend(settings: Settings) -> AnswerBackend:
    """The backend NEWSBOT_LLM names, built from explicit settings (already checked when they loaded)."""
    return BACKENDS[settings.llm].from_settings(settings)
