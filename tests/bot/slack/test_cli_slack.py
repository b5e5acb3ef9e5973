"""`newsbot slack --http` as a user runs it: a separate process, the fake Slack as its API, a signed event in."""

import socket
import subprocess
import time
import urllib.error
import urllib.request

from tests.bot.slack.conftest import CHANNEL, SECRET, SlackSender
from tests.conftest import H20_QUESTION, H20_TITLE, NEWSBOT, REPO, cli_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            urllib.request.urlopen(url, timeout=1)
        except urllib.error.HTTPError:
            return  # the server answered (Bolt rejects an unsigned GET): it is up
        except OSError:
            time.sleep(0.2)
    raise AssertionError("newsbot slack --http did not start listening")


def test_newsbot_slack_http_answers_a_mention_in_its_thread(fake_slack, seed_index_dir, tmp_path):
    port = free_port()
    env = cli_env(
        seed_index_dir,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.api_url,
        NEWSBOT_STATE_DB=str(tmp_path / "state.sqlite3"),
    )
    process = subprocess.Popen(
        [str(NEWSBOT), "--env-file", "/nonexistent", "slack", "--http", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/slack/events"
        wait_until_listening(url, process)
        status, ts = SlackSender(fake_slack, url).mention(H20_QUESTION)
        assert status == 200
        answer = fake_slack.wait_for(
            lambda: [m for m in fake_slack.bot_messages(CHANNEL) if m.get("thread_ts") == ts and m["blocks"]],
            timeout=60,
        )[0]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    sources = " ".join(e["text"] for b in answer["blocks"] if b["type"] == "context" for e in b["elements"])
    assert "Morgan Stanley" in answer["text"]
    assert f"[1] {H20_TITLE}" in sources
    assert "xoxb-test" not in stderr
    assert SECRET not in stderr
