"""Placing register locations: the shipped postcode directory."""

from __future__ import annotations

from csphub.registers import geo


def test_the_shipped_directory_locates_real_postcodes() -> None:
    directory = geo.postcode_directory()
    assert len(directory) > 16_000
    point = directory.lookup("nn16 0ab") or directory.lookup(directory.codes()[0])
    assert point is not None and 51.5 < point.latitude < 53 and 400_000 < point.easting < 560_000
