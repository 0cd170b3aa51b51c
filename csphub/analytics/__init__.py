"""Crime and place analytics for the partnership: police.uk and partner data, trends, hotspots, repeat places.

Plain Python with no Django import: a DuckDB + Parquet store (:mod:`.store`), ingest (:mod:`.ingest`,
:mod:`.partner`), pure analysis functions with typed results (:mod:`.trends`, :mod:`.hotspots`,
:mod:`.emerging`, :mod:`.places`, :mod:`.nearrepeat`, :mod:`.deprivation`, :mod:`.kde`) and the ``csphub crime
…`` commands (:mod:`.cli`). The web app reads the results; this package never imports the web app.
"""
