"""The catalog layer: ``flows/`` loaded into a validated, merged, indexed, immutable :class:`Catalog`.

A leaf: its modules import only each other and the data types (``bot.errors``, ``bot.money``), never the
page getters, the wizard, the tools or an adapter (``tests/test_layers.py`` enforces it).
"""
