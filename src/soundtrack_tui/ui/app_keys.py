"""The keys that work on every screen: quit and help.

The app declares them, and so does each overlay: an overlay is a modal
screen, and Textual stops a modal screen's key lookup at the screen, before
the app's bindings. Declared here once, with the same ids, so a remap in
keys.toml moves them on every screen. The actions name the app, which runs
them whichever screen the binding sits on.
"""

from __future__ import annotations

from textual.binding import Binding

QUIT = Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit soundtrack")
HELP = Binding("question_mark", "app.help", "Help", id="help", tooltip="Every key and what it does")
