"""Shell targets and POSIX shell quoting."""
