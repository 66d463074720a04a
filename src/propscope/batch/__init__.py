"""Corpus runs: many articles, resumable, with failures recorded and the run going on."""
