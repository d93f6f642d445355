"""The widgets of the browser, one class per module."""
