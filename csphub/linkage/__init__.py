"""The register merger: one register of people from the four former districts' registers.

:mod:`csphub.linkage.engine` is plain Python with no Django import (mappings and parsing of legacy exports, the
Splink model, clustering, explanations and their subcommands of ``csphub link``); the Django side (source records,
import batches, the review queue, merge and unmerge) builds on it. :mod:`csphub.linkage.cli` is the one
``csphub link`` parser. The seeded generator of the demo registers is :mod:`csphub.linkage.synthetic`.
"""
