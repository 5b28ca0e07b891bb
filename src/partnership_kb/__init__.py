"""Partnership KB: a graph knowledge base of how public bodies govern together."""

__version__ = "0.1.0"
