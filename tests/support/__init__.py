"""Helpers several tests share: building sessions and breakouts. No tests here."""
