"""Persistence: typed models, the async engine, repositories and migrations."""
