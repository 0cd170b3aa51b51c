"""The night-time economy: shift and incident logs of wardens, Street Pastors, CCTV and police, knife sweeps and
weapon finds, dispersal and PSPO areas, and the shared NTE summary (see docs/nte.md)."""
