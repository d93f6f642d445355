"""The core: pack model, loader, sanitizer, spoiler policy, search, progress.

Nothing in this package imports Textual; a test checks it in a fresh
interpreter, so the CLI stays fast and the logic stays testable on its own.
"""
