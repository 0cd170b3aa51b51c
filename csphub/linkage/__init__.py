"""Merging the four districts' registers into one: legacy import, probabilistic linkage, review, merge."""
