"""Loopback stand-ins for what newsbot talks to, shared by tests/ and bench/: a Slack Web API with Socket Mode,
an OpenAI-compatible server, and a guard that blocks every non-loopback connection."""
