"""The slash command (NEWSBOT_SLACK_COMMAND): the question and its answer in a thread, or only to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack.conversation import question_text
from bot.slack.mrkdwn import escape
from bot.slack.responder import Question, Responder

USAGE = "Ask me about the articles, e.g. `{command} what did Morgan Stanley say about H20?`"
NOT_HERE = "I don't answer in this channel. Ask me in a channel I'm enabled in, or in a direct message."


def register(app: App, settings: Settings, responder: Responder) -> None:
    @app.command(settings.slack_command)
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        text = question_text(command.get("text", ""))
        if not text:
            ack(USAGE.format(command=settings.slack_command))
            return
        key, channel, user = f"cmd:{command['trigger_id']}", command["channel_id"], command["user_id"]
        is_dm = command.get("channel_name") == "directmessage" or channel.startswith("D")
        if settings.allowed_channels and channel not in settings.allowed_channels and not is_dm:
            ack(NOT_HERE)  # only the asker sees it, as with the usage line
            return
        ack()
        if settings.slack_command_visibility == "ephemeral":
            responder.answer_privately(client, Question(key, channel, "", "", user, text))
            return
        root = client.chat_postMessage(channel=channel, text=f"<@{user}> asked: {escape(text)}")
        responder.answer_in_thread(client, Question(key, channel, root["ts"], root["ts"], user, text), [])
