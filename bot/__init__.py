"""allybot: a chatbot for workplace staff networks and their allies."""

__version__ = "0.1.0"
