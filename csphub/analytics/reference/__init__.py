"""Small derived reference tables the analytics package needs at run time (provenance: docs/analytics.md).

- ``lsoa11_codes_not_in_lsoa21_england_DERIVED.csv``: the 1,034 English LSOA 2011 codes that no longer exist
  in LSOA 2021, derived from the IMD 2019 LSOA list (all 32,844 England LSOA 2011 codes; MHCLG, OGL v3)
  minus the Census 2021 LSOA list (ONS, OGL v3). A police.uk file holding one of them uses LSOA 2011 codes.
"""
