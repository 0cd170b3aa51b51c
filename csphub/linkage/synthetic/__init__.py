"""Seeded synthetic data for the demo, the tests and the benchmarks; not part of any engine.

:mod:`csphub.linkage.synthetic.registers` writes the four former districts' legacy register exports with their true
identities known (``csphub link generate``; the shipped ``data/legacy`` was made with it). Its reference lists
(names, street words, the districts' real postcodes) are package resources under ``data/``, so it works the same
from a checkout and from an installed wheel.

Plain Python: it may use :mod:`csphub.common` and the linkage engine's types (mappings, errors, nickname table);
nothing below it imports it.
"""
