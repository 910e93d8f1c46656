"""Operator tools over the whole catalog: page-level lint, reload and watch, the path walker, the content
coverage report and the ``python -m bot flows`` commands (preview, graph, new)."""
