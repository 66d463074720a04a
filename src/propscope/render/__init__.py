"""Render an Analysis for people: terminal, plain text, self-contained HTML."""
