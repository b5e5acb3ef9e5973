"""A LlamaIndex chat LLM behind the backend interface: streamed answers, condensed follow-ups, errors named."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.answer.prompting import Turn, answer_prompt, condense_prompt
from bot.errors import BackendError
from retrieval.searcher import Hit

if TYPE_CHECKING:
    from bot.settings import Settings

CONDENSE_MAX_TOKENS = 60


class ChatModelBackend:
    """An OpenAI-compatible chat model through llama-index-llms-openai-like, streamed token by token."""

    name = "chat"

    def __init__(self, llm: Any, timeout: float, evidence_sentences: int = 0) -> None:
        self._llm = llm
        self._timeout = timeout
        self._evidence_sentences = evidence_sentences  # per passage in the prompt; 0 = whole passages

    def stream(
        self, question: str, hits: list[Hit], history: list[Turn], notes: str = "", today: date | None = None
    ) -> Iterator[str]:
        with translate_errors(self._timeout):
            for chunk in self._llm.stream_chat(
                answer_prompt(question, hits, history, notes, self._evidence_sentences, today)
            ):
                if chunk.delta:
                    yield chunk.delta

    def condense(self, question: str, history: list[Turn]) -> str:
        with translate_errors(self._timeout):
            reply = self._llm.chat(condense_prompt(question, history), max_tokens=CONDENSE_MAX_TOKENS)
        lines = (reply.message.content or "").strip().splitlines()
        return lines[0].strip() if lines and lines[0].strip() else question

    def close(self) -> None:
        pass


@contextmanager
def translate_errors(timeout: float) -> Iterator[None]:
    """Turn client exceptions into a BackendError that names the problem class."""
    import openai

    try:
        yield
    except openai.APITimeoutError as error:
        raise BackendError(f"the language model did not answer in {timeout:g} s") from error
    except openai.APIConnectionError as error:
        raise BackendError("the language model server could not be reached") from error
    except openai.AuthenticationError as error:
        raise BackendError("the language model server rejected the API key") from error
    except openai.APIStatusError as error:
        raise BackendError(f"the language model server answered with an error (HTTP {error.status_code})") from error


def openai_like(settings: Settings, base_url: str, api_key: str, model: str) -> Any:
    """The LlamaIndex client for an OpenAI-compatible server, with newsbot's limits."""
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=api_key,
        is_chat_model=True,
        context_window=8192,
        temperature=0.0,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=0,
    )
