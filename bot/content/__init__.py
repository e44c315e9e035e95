"""Shipped content: demo networks and sessions, the knowledge base, the awareness calendar.

The files beside this module are data, read with `tomllib`; this module only loads them.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def load(name: str) -> dict[str, Any]:
    """Parse the bundled `name` (for example `demo.toml`)."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)
