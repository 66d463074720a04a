"""The analyst workbench: server-rendered pages, each with a JSON twin."""
