"""Answer backends behind one interface: local llama.cpp, any OpenAI-compatible server, or extractive."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol

from retrieval.search import Hit

from bot.extractive import ExtractiveBackend
from bot.prompting import Turn, answer_messages, condense_messages
from bot.settings import Settings

CONDENSE_MAX_TOKENS = 60


class BackendError(RuntimeError):
    """The language model failed; the message is a short sentence fit to show a user."""


class AnswerBackend(Protocol):
    name: str

    def generate(self, question: str, hits: list[Hit], history: list[Turn],
                 on_token: Callable[[str], None] | None = None) -> str: ...

    def condense(self, question: str, history: list[Turn]) -> str: ...


class ChatModelBackend:
    """A LlamaIndex chat LLM (OpenAI-compatible) streamed token by token."""

    def __init__(self, llm, name: str, timeout: float) -> None:
        self._llm = llm
        self.name = name
        self._timeout = timeout

    def generate(self, question, hits, history, on_token=None) -> str:
        parts: list[str] = []
        with self._errors():
            for chunk in self._llm.stream_chat(answer_messages(question, hits, history)):
                if chunk.delta:
                    parts.append(chunk.delta)
                    if on_token:
                        on_token(chunk.delta)
        return "".join(parts)

    def condense(self, question, history) -> str:
        with self._errors():
            reply = self._llm.chat(condense_messages(question, history), max_tokens=CONDENSE_MAX_TOKENS)
        text = (reply.message.content or "").strip().splitlines()
        return text[0].strip() if text and text[0].strip() else question

    def _errors(self):
        return translate_errors(self._timeout)


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


def create_backend(settings: Settings) -> AnswerBackend:
    """The backend NEWSBOT_LLM names, built from explicit settings."""
    if settings.llm == "extractive":
        return ExtractiveBackend()
    if settings.llm == "openai":
        if not settings.llm_base_url:
            raise BackendError("NEWSBOT_LLM=openai needs NEWSBOT_LLM_BASE_URL")
        llm = _openai_like(settings, settings.llm_base_url, settings.llm_api_key or "none", settings.llm_model or "default")
        return ChatModelBackend(llm, "openai", settings.llm_timeout)
    return _local_backend(settings)


def _local_backend(settings: Settings) -> AnswerBackend:
    from bot.local_model import LocalServer, ModelUnavailable, bundled_model

    try:
        path = Path(settings.llm_model_path) if settings.llm_model_path else bundled_model(settings.model_cache_dir)
        if not path.is_file():
            raise ModelUnavailable(f"NEWSBOT_LLM_MODEL_PATH={path} does not exist")
        server = LocalServer(path, settings.llm_threads)
    except ModelUnavailable as exc:
        raise BackendError(str(exc)) from exc
    llm = _openai_like(settings, server.base_url, "local", path.name)
    backend = ChatModelBackend(llm, "local", settings.llm_timeout)
    backend.server = server  # keep the in-process server alive as long as the backend
    return backend


def _openai_like(settings: Settings, base_url: str, api_key: str, model: str):
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model, api_base=base_url, api_key=api_key, is_chat_model=True, context_window=8192,
        temperature=0.0, max_tokens=settings.llm_max_tokens, timeout=settings.llm_timeout, max_retries=0,
    )
