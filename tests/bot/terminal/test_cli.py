"""The `newsbot` command as a user and scripts see it: JSON contracts, chat, exit codes, offline.

Most tests drive the Typer app in-process (CliRunner); two run the real console script as a subprocess:
the exit-code contract of main() and the offline proof."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import H20_QUESTION, H20_TITLE, REPO, cli_env, invoke_cli, run_cli

NO_NETWORK = REPO / "fakes" / "no_network"
DATE_KEYS = {"published_at", "date_precision", "date_source", "captured_at"}
CITATION_KEYS = {
    "n",
    "article_id",
    "title",
    "outlet",
    "published",
    "url",
    "source_path",
    "quote",
    "also_in",
} | DATE_KEYS


def test_ask_json_on_an_empty_index_builds_it_then_answers(tmp_path):
    result = invoke_cli("ask", "--json", H20_QUESTION, index_dir=tmp_path / "index")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {
        "question",
        "answer",
        "refused",
        "citations",
        "backend",
        "premise_missing",
        "dropped",
        "timings_ms",
    }
    assert answer["backend"] == "extractive"
    assert not answer["refused"]
    assert {c["title"] for c in answer["citations"]} == {H20_TITLE}
    assert set(answer["citations"][0]) == CITATION_KEYS
    assert answer["citations"][0]["source_path"] == "001_6618db9024ab068f.txt"
    assert "Built the index" in result.stderr


def test_search_json_contract(seed_index_dir):
    result = invoke_cli("search", "--json", "--top-k", "3", H20_QUESTION, index_dir=seed_index_dir)
    payload = json.loads(result.stdout)
    assert set(payload) == {"query", "hits", "timings_ms"}
    assert len(payload["hits"]) == 3
    first = payload["hits"][0]
    assert {"rank", "score", "article_id", "title", "outlet", "published", "url", "source_path", "text"} <= set(first)
    assert (first["rank"], first["title"]) == (1, H20_TITLE)
    assert {"embed", "bm25", "dense", "total"} <= set(payload["timings_ms"])


def test_source_path_is_relative_to_the_ingested_folder(tmp_path):
    (tmp_path / "corpus" / "business").mkdir(parents=True)
    (tmp_path / "corpus" / "business" / "042.txt").write_text("Rates held\nThe central bank held rates at 4 per cent.")
    index_dir = tmp_path / "index"
    ingest = invoke_cli("ingest", str(tmp_path / "corpus"), index_dir=index_dir)
    assert ingest.exit_code == 0
    assert ingest.stdout == ""
    assert "1 articles" in ingest.stderr
    hits = json.loads(invoke_cli("search", "--json", "central bank rates", index_dir=index_dir).stdout)["hits"]
    assert hits[0]["source_path"] == "business/042.txt"


@pytest.mark.parametrize("command", ["search", "ask"])
@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_query_is_a_usage_error(seed_index_dir, command, text):
    result = invoke_cli(command, text, index_dir=seed_index_dir)
    assert result.exit_code == 2
    assert "is empty" in result.stderr
    assert result.stdout == ""


def test_chat_keeps_the_conversation_and_shows_sources(seed_index_dir):
    session = f"{H20_QUESTION}\n/sources\nhow long does production take?\n/quit\n"
    result = invoke_cli("chat", index_dir=seed_index_dir, stdin=session)
    assert result.exit_code == 0, result.stderr
    _banner, first, sources, follow_up, *_ = result.stdout.split("> ")
    assert "Morgan Stanley" in first
    assert "Sources" in first
    assert "South China Morning Post" in first
    assert "[1] Return of Nvidia H20" in sources
    assert "[2]" in sources
    assert "nine months" in follow_up
    assert "nine months" not in first


def test_usage_errors_exit_2_and_failures_exit_1_with_one_line(tmp_path):
    usage = run_cli("search", index_dir=tmp_path)
    assert usage.returncode == 2
    assert usage.stdout == ""
    bad_setting = run_cli("ask", "hello", index_dir=tmp_path, NEWSBOT_LLM="gpt-9")
    assert bad_setting.returncode == 1
    assert bad_setting.stdout == ""
    assert bad_setting.stderr.strip().count("\n") == 0
    assert "NEWSBOT_LLM" in bad_setting.stderr
    missing = run_cli("ingest", str(tmp_path / "nowhere"), index_dir=tmp_path / "i")
    assert missing.returncode == 1
    assert "no such file or folder" in missing.stderr


def test_the_cli_answers_with_the_network_blocked(tmp_path):
    env = cli_env(tmp_path / "index", PYTHONPATH=str(NO_NETWORK))
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('93.184.216.34', 80), 2)"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "network access to 93.184.216.34 blocked" in probe.stderr  # the guard is really active
    result = subprocess.run(
        [str(Path(sys.executable).parent / "newsbot"), "ask", "--json", H20_QUESTION],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"][0]["title"] == H20_TITLE
