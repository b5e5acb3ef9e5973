"""Any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, OpenAI) as the answer backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answer.backends.chat_model import ChatModelBackend, openai_like

if TYPE_CHECKING:
    from bot.settings import Settings


class OpenAIBackend(ChatModelBackend):
    name = "openai"

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIBackend:
        llm = openai_like(
            settings, settings.llm_base_url, settings.llm_api_key or "none", settings.llm_model or "default"
        )
        return cls(llm, settings.llm_timeout, settings.evidence_sentences)
