"""Page getters: the plain-data context each page template needs, built from the catalog and the slots.

``instructions`` (the guide), ``followups`` and ``calculator`` (the pages under it), ``typed`` and
``answers`` (what a typed question fills and answers), ``cards`` (inline-mode cards).
"""
