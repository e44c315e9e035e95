"""Platform adapters: the only modules that import a platform SDK."""
