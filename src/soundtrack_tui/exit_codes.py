"""The exit codes every command documents: 0 success, 1 content or lookup
error, 2 usage error (README, "Usage")."""

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
