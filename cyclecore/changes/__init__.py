"""Changes to a line: each returns a new, validated Line and a before/after report."""
