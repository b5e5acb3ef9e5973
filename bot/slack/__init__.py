"""newsbot in Slack: a Bolt app answering mentions, DMs, thread follow-ups and a slash command."""
