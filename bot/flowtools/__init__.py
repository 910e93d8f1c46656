"""Operators' tools for the flow files: lint, preview, graph and new (``python -m bot flows ...``)."""
