"""A local Slack for tests: the Web API methods newsbot calls, on loopback HTTP, plus a Socket Mode WebSocket.

It records every call (with the time it arrived), keeps channel threads so conversations.replies returns what
was posted, and enforces Slack's message limits (50 blocks, 3,000 characters per section, 40,000 characters
of text). It also speaks the AI-app methods: assistant.threads.setStatus / setSuggestedPrompts / setTitle and
the chat.startStream / appendStream / stopStream trio, with their argument rules.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import queue
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from websockets.sync.server import serve

from fakes.http import QuietHandler, QuietServer, write_json

BOT_USER, BOT_ID, TEAM = "UBOT", "BBOT", "T0001"
SECRET = "test-signing-secret"  # the signing secret SlackSender signs with by default
USER, CHANNEL, DM = "U0ALICE", "C0NEWS", "D0ALICE"


@dataclass
class Fault:
    """One way a Web API call can fail, as Slack or the network fails it; the call is not carried out."""

    kind: str  # "429" (with Retry-After), "500", "ok_false" (HTTP 200, ok: false), "drop" (connection closed)
    error: str = "ratelimited"  # for ok_false
    retry_after: int = 1  # for 429


FAULT_KINDS = ("429", "500", "ok_false", "drop")


class FakeSlack:
    def __init__(self, fault_rate: float = 0.0, seed: int = 7, streaming: bool = True) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.times: list[float] = []  # time.monotonic() at which each call in self.calls arrived
        self.streaming = streaming  # False: a workspace without the streaming methods (feature_not_enabled)
        self.statuses: list[tuple[str, str, str]] = []  # (channel, thread_ts, status) as set, in order
        self.injected: list[tuple[str, str]] = []  # (method, fault kind) of every fault the fake injected
        self.fault_rate = fault_rate  # share of calls that fail once (their retry succeeds)
        self._scripted: list[tuple[str, Fault, list[int]]] = []  # (method, fault, [times left])
        self._failed_once: set[str] = set()
        self._rng = random.Random(seed)
        self.messages: dict[str, dict] = {}  # ts -> message (with "channel")
        self.acks: list[dict] = []  # Socket Mode acks received
        self.rejected: list[tuple[str, str]] = []  # (method, error) of every call answered ok: false
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._outbox: queue.Queue = queue.Queue()
        self._http = QuietServer(("127.0.0.1", 0), self._handler())
        self._ws = serve(self._socket_mode, "127.0.0.1", 0)

    # --- lifecycle -----------------------------------------------------------
    def __enter__(self) -> FakeSlack:
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        threading.Thread(target=self._ws.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._ws.shutdown()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/api/"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self._ws.socket.getsockname()[1]}/link"

    # --- what tests use ------------------------------------------------------
    def new_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def add_message(self, channel: str, user: str, text: str, thread_ts: str | None = None, **extra) -> str:
        """A message a person wrote, so the bot's conversations.replies sees it; returns its ts."""
        ts = self.new_ts()
        with self._lock:
            self.messages[ts] = {
                "channel": channel,
                "user": user,
                "text": text,
                "ts": ts,
                **({"thread_ts": thread_ts} if thread_ts else {}),
                **extra,
            }
        return ts

    def called(self, method: str) -> list[dict]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def wait_for(self, predicate, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError("timed out waiting for the fake Slack to see the expected calls")

    def fail_next(self, method: str, kind: str, times: int = 1, **fault) -> None:
        """The next `times` calls of method fail this way (without being carried out)."""
        with self._lock:
            self._scripted.append((method, Fault(kind, **fault), [times]))

    def _fault_for(self, method: str, params: dict) -> Fault | None:
        """A scripted fault for this call, or (at fault_rate) a random one the same call never meets twice."""
        with self._lock:
            for scripted_method, fault, left in self._scripted:
                if scripted_method == method and left[0] > 0:
                    left[0] -= 1
                    self.injected.append((method, fault.kind))
                    return fault
            identity = f"{method} {json.dumps(params, sort_keys=True)}"
            if self.fault_rate and identity not in self._failed_once and self._rng.random() < self.fault_rate:
                self._failed_once.add(identity)
                fault = Fault(self._rng.choice(FAULT_KINDS))
                self.injected.append((method, fault.kind))
                return fault
        return None

    def bot_messages(self, channel: str | None = None) -> list[dict]:
        """Messages the bot has posted (as they stand after updates), oldest first."""
        with self._lock:
            found = [json.loads(json.dumps(m)) for m in self.messages.values() if m.get("user") == BOT_USER]
        return sorted((m for m in found if channel in (None, m["channel"])), key=lambda m: m["ts"])

    def push_envelope(self, envelope: dict) -> None:
        """Deliver a Socket Mode envelope to the connected app."""
        self._outbox.put(envelope)

    # --- Web API ----------------------------------------------------------------
    def _api(self, method: str, params: dict) -> dict:
        with self._lock:
            self.calls.append((method, params))
            self.times.append(time.monotonic())
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        reply = handler(params) if handler else {"ok": False, "error": "unknown_method"}
        if not reply.get("ok"):
            with self._lock:
                self.rejected.append((method, reply["error"]))
        return reply

    def _api_auth_test(self, params):
        return {
            "ok": True,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "team_id": TEAM,
            "user": "newsbot",
            "team": "Test",
            "url": "https://test.slack.com/",
        }

    def _api_apps_connections_open(self, params):
        return {"ok": True, "url": self.ws_url}

    def _api_chat_postMessage(self, params):
        problem = _limits_problem(params)
        if problem:
            return {"ok": False, "error": problem}
        message = self._bot_message(params, params.get("text", ""), _blocks(params))
        return {"ok": True, "channel": params["channel"], "ts": message["ts"], "message": message}

    def _bot_message(self, params: dict, text: str, blocks: list, **extra) -> dict:
        """A message the bot posts in params' channel (and thread), stored so later calls see it."""
        ts = self.new_ts()
        message = {"channel": params["channel"], "user": BOT_USER, "bot_id": BOT_ID, "ts": ts, "text": text}
        message |= {"blocks": blocks, **extra}
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        with self._lock:
            self.messages[ts] = message
        return message

    def _api_chat_delete(self, params):
        with self._lock:
            message = self.messages.get(params.get("ts"))
            if message is None or message["channel"] != params.get("channel"):
                return {"ok": False, "error": "message_not_found"}
            del self.messages[params["ts"]]
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _api_chat_update(self, params):
        problem = _limits_problem(params)
        with self._lock:
            message = self.messages.get(params.get("ts"))
            if problem or message is None:
                return {"ok": False, "error": problem or "message_not_found"}
            message.update(text=params.get("text", ""), blocks=_blocks(params), streaming=False)  # ends a stream
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    # --- AI apps: streaming and assistant threads ---------------------------------
    def _api_chat_startStream(self, params):
        if not self.streaming:
            return {"ok": False, "error": "feature_not_enabled"}
        problem = _stream_problem(params, starting=True)
        if problem:
            return {"ok": False, "error": problem}
        message = self._bot_message(params, _stream_text(params), [], streaming=True)
        return {"ok": True, "channel": params["channel"], "ts": message["ts"]}

    def _api_chat_appendStream(self, params):
        return self._continue_stream(params, stopping=False)

    def _api_chat_stopStream(self, params):
        return self._continue_stream(params, stopping=True)

    def _continue_stream(self, params, stopping: bool):
        problem = _stream_problem(params, starting=False, stopping=stopping)
        with self._lock:
            message = self.messages.get(params.get("ts") or "")
            if problem is None and (message is None or message["channel"] != params.get("channel")):
                problem = "message_not_found"
            elif problem is None and not message.get("streaming"):
                problem = "message_not_in_streaming_state"
            if problem:
                return {"ok": False, "error": problem}
            message["text"] += _stream_text(params)
            if stopping:
                message["streaming"] = False
                message["blocks"] = _blocks(params)
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _api_assistant_threads_setStatus(self, params):
        if not params.get("channel_id") or not params.get("thread_ts") or "status" not in params:
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            self.statuses.append((params["channel_id"], params["thread_ts"], params["status"]))
        return {"ok": True}

    def _api_assistant_threads_setSuggestedPrompts(self, params):
        prompts = params.get("prompts")
        if isinstance(prompts, str):
            prompts = json.loads(prompts)
        if not params.get("channel_id") or not params.get("thread_ts") or not prompts or len(prompts) > 4:
            return {"ok": False, "error": "invalid_arguments"}
        if any(not p.get("title") or not p.get("message") for p in prompts):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _api_assistant_threads_setTitle(self, params):
        if not params.get("channel_id") or not params.get("thread_ts") or not params.get("title"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _api_chat_postEphemeral(self, params):
        problem = _limits_problem(params)
        return {"ok": False, "error": problem} if problem else {"ok": True, "message_ts": self.new_ts()}

    def _api_conversations_replies(self, params):
        root = params["ts"]
        with self._lock:
            thread = [
                dict(m)
                for m in self.messages.values()
                if m["channel"] == params["channel"] and (m["ts"] == root or m.get("thread_ts") == root)
            ]
        return {"ok": True, "messages": sorted(thread, key=lambda m: m["ts"]), "has_more": False}

    def _handler(self):
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                method = self.path.rsplit("/", 1)[-1]
                fault = fake._fault_for(method, params)
                if fault is None:
                    write_json(self, fake._api(method, params))
                elif fault.kind == "drop":
                    self.close_connection = True  # no response at all: the client sees the connection close
                elif fault.kind == "ok_false":
                    write_json(self, {"ok": False, "error": fault.error})
                else:
                    retry = {"Retry-After": str(fault.retry_after)} if fault.kind == "429" else {}
                    write_json(
                        self,
                        {"ok": False, "error": "ratelimited" if retry else "internal_error"},
                        status=int(fault.kind),
                        headers=retry,
                    )

        return Handler

    # --- Socket Mode --------------------------------------------------------------
    def _socket_mode(self, websocket) -> None:
        websocket.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
        while True:
            try:
                websocket.send(json.dumps(self._outbox.get_nowait()))
            except queue.Empty:
                pass
            except Exception:
                return
            try:
                message = websocket.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:
                return
            if isinstance(message, str) and message.startswith("{"):
                with self._lock:
                    self.acks.append(json.loads(message))


def _blocks(params: dict) -> list:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _stream_text(params: dict) -> str:
    """The markdown a stream call carries, as markdown_text or markdown_text chunks."""
    chunks = params.get("chunks") or []
    if isinstance(chunks, str):
        chunks = json.loads(chunks)
    return (params.get("markdown_text") or "") + "".join(
        c.get("text", "") for c in chunks if c.get("type") == "markdown_text"
    )


def _stream_problem(params: dict, starting: bool, stopping: bool = False) -> str | None:
    """Slack's argument rules for the streaming methods."""
    if not params.get("channel"):
        return "channel_not_found"
    if starting and not params.get("thread_ts"):
        return "invalid_arguments"  # a stream is always a reply in a thread
    if (
        starting
        and params["channel"][0] in "CG"
        and not (params.get("recipient_team_id") and params.get("recipient_user_id"))
    ):
        return "invalid_arguments"  # in channels Slack must know whose answer it is
    if not starting and not params.get("ts"):
        return "invalid_arguments"
    if not starting and not stopping and not _stream_text(params):
        return "invalid_arguments"  # an append must carry text
    if len(_stream_text(params)) > 12000:
        return "msg_too_long"
    return _limits_problem(params) if stopping else None


def _limits_problem(params: dict) -> str | None:
    """Slack's own rejections for oversized messages."""
    blocks = _blocks(params)
    if len(params.get("text") or "") > 40000:
        return "msg_too_long"
    if len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        texts = [block.get("text", {}).get("text", "")] + [
            e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text", ""), str)
        ]
        if any(len(t) > 3000 for t in texts):
            return "invalid_blocks"
    return None


class SlackSender:
    """Sends signed events, slash commands and button clicks to a newsbot HTTP endpoint, as Slack would."""

    def __init__(self, fake: FakeSlack, url: str, command_name: str = "/newsbot") -> None:
        self.fake, self.url, self.command_name = fake, url, command_name
        self._events = 0

    def post(
        self,
        body: str,
        content_type: str,
        headers: dict | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
    ) -> tuple[int, str]:
        stamp = str(timestamp or int(time.time()))
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def event(self, event: dict, event_id: str | None = None, **kwargs) -> tuple[int, str]:
        self._events += 1
        payload = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0NEWSBOT",
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._events:04d}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        return self.post(json.dumps(payload), "application/json", **kwargs)

    def mention(self, text: str, channel: str = CHANNEL, user: str = USER, thread_ts: str | None = None, **kwargs):
        """A person @-mentions the bot: the message exists in Slack, then the event arrives. Returns (status, ts)."""
        ts = self.fake.add_message(channel, user, f"<@{BOT_USER}> {text}", thread_ts)
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@{BOT_USER}> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        status, _ = self.event(event, **kwargs)
        return status, ts

    def redeliver(
        self, text: str, ts: str, event_id: str, attempt: int = 1, channel: str = CHANNEL, user: str = USER
    ) -> int:
        """Slack's retry of the app_mention event for a message already mentioned; returns the status."""
        event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts, "channel": channel}
        status, _ = self.event(event, event_id=event_id, headers={"X-Slack-Retry-Num": str(attempt)})
        return status

    def reply(self, text: str, thread_ts: str, channel: str = CHANNEL, user: str = USER) -> tuple[int, str]:
        """A person replies in a thread without a mention: the message exists in Slack, then the event arrives."""
        ts = self.fake.add_message(channel, user, text, thread_ts=thread_ts)
        event = {
            "type": "message",
            "channel_type": "channel",
            "user": user,
            "ts": ts,
            "thread_ts": thread_ts,
            "text": text,
            "channel": channel,
        }
        status, _ = self.event(event)
        return status, ts

    def assistant_thread_started(self, channel: str = DM, user: str = USER) -> tuple[int, str]:
        """A person opens newsbot's AI-app panel: a new assistant thread. Returns (status, thread_ts)."""
        ts = self.fake.new_ts()
        event = {
            "type": "assistant_thread_started",
            "assistant_thread": {
                "user_id": user,
                "channel_id": channel,
                "thread_ts": ts,
                "context": {"channel_id": CHANNEL, "team_id": TEAM},
            },
            "event_ts": ts,
        }
        status, _ = self.event(event)
        return status, ts

    def assistant_message(self, text: str, thread_ts: str, channel: str = DM, user: str = USER, **kwargs):
        """A person asks in an assistant thread (a threaded DM). Returns (status, ts)."""
        ts = self.fake.add_message(channel, user, text, thread_ts=thread_ts)
        event = {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "thread_ts": thread_ts,
            "channel": channel,
            "event_ts": ts,
        }
        status, _ = self.event(event, **kwargs)
        return status, ts

    def command(self, text: str, user: str = USER, channel: str = CHANNEL) -> tuple[int, str]:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "channel_id": channel,
            "user_id": user,
            "command": self.command_name,
            "text": text,
            "trigger_id": f"trig.{time.time_ns()}",
            "response_url": "http://127.0.0.1:9/unused",
            "api_app_id": "A0NEWSBOT",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def click(self, message: dict, action_id: str, user: str = USER) -> tuple[int, str]:
        button = next(
            e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id
        )
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "team": {"id": TEAM},
            "api_app_id": "A0NEWSBOT",
            "channel": {"id": message["channel"]},
            "container": {"type": "message", "message_ts": message["ts"]},
            "message": {k: v for k, v in message.items() if k != "channel"},
            "trigger_id": "trig",
            "response_url": "http://127.0.0.1:9/unused",
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "newsbot_feedback",
                    "value": button["value"],
                    "action_ts": str(time.time()),
                }
            ],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def answers_in(self, thread_ts: str, channel: str = CHANNEL) -> list[dict]:
        """The bot's finished messages in a thread (placeholders excluded)."""
        return [
            m
            for m in self.fake.bot_messages(channel)
            if m.get("thread_ts") == thread_ts and m["text"] != "Searching the articles…" and not m.get("streaming")
        ]
