"""The Textual terminal UI. Imported only when the browser starts, so the
command-line commands never pay for Textual."""
