"""The partnership's picture in the browser: maps, trends and dashboards on the analytics engine (issue 20).

Calls ``csphub.analytics`` through its Python API (``csphub.analytics.api.Analytics``): no SQL of its own and no
second copy of any statistic. Case figures are counted through the access policy.
"""
