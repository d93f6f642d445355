"""soundtrack: a spoiler-aware terminal browser for the K-drama Soundtrack #1."""

__version__ = "0.1.0"
