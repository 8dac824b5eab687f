"""Views of a run: plain text for terminals and logs, HTML for notebooks."""
