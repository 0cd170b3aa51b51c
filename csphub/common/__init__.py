"""Pure helpers shared by the Django apps and the engines: partial dates, names, postcodes, progress bars, and
CSV cells safe from formula injection (``csvsafe``, used by every CSV csphub writes).

A leaf package: it imports no Django and nothing else of csphub, so ``csphub.linkage.engine``,
``csphub.analytics`` and ``csphub.registers`` can all use it without depending on each other.
"""
