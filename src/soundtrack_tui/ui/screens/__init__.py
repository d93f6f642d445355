"""The screens of the browser: main, help, story so far."""
