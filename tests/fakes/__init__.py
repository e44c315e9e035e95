"""Fakes of the outside world (Slack Web API, ...) for tests."""
