"""Article files in, ranked passages out. Knows nothing of Slack, LLMs or the CLI."""
