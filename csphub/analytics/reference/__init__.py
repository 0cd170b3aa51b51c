"""The reference data the analytics package reads at run time, shipped inside it so an installed wheel works.

The default ``CSPHUB_REFERENCE_DATA_DIR`` (:mod:`csphub.analytics.config`) is this directory. Its subfolders hold
byte-identical copies of the checkout's ``data/`` files the analytics name (provenance and licences in each
``data/*/PROVENANCE.md``; a test keeps the copies equal):

- ``boundaries/lad2013_northamptonshire.geojson`` and ``boundaries/lsoa21_to_lsoa11_and_old_district_…csv``;
- ``imd2019/IMD2019_File1_northamptonshire_lsoa.csv``;
- ``population/census2021_usual_residents_total_lsoa21_northamptonshire.csv``;
- ``postcodes/northamptonshire_postcodes_with_latlon_DERIVED.csv`` (OS Code-Point Open: contains OS data © Crown
  copyright and database right 2014; Royal Mail data © Royal Mail copyright and database right 2014; National
  Statistics data © Crown copyright and database right 2014).

And one table of its own (provenance: docs/analytics.md):

- ``lsoa11_codes_not_in_lsoa21_england_DERIVED.csv``: the 1,034 English LSOA 2011 codes that no longer exist
  in LSOA 2021, derived from the IMD 2019 LSOA list (all 32,844 England LSOA 2011 codes; MHCLG, OGL v3)
  minus the Census 2021 LSOA list (ONS, OGL v3). A police.uk file holding one of them uses LSOA 2011 codes.
"""
