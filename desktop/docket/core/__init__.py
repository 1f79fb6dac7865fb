"""Docket's core: the case folder, storage, import, extraction and search.

Nothing here imports Qt widgets or the app layer (an import-linter contract in
pyproject.toml keeps it so), so the CLI, tests and benchmarks run without a
display.
"""
