"""The intelligence network at scale: the as-at view and centrality of a 2,000-entity neighbourhood.

The synthetic network of ``bench/intelligence_asat.py`` (100,000 entities, 500,000 link facts over two years, with
late and corrected facts; seeded), in the same scratch database (built once and kept, shared with that script):

    .venv/bin/python bench/intelligence_network.py          # SQLite: var/bench/intelligence_asat.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csphub_bench_intel .venv/bin/python bench/intelligence_network.py

It times what the network page does for one request, as a police intelligence manager through the access policy:
the neighbourhood of a county line as at a date (``services.neighbourhood``, up to 2,000 entities), the records'
labels through ``visible_to``, the graph, and the analysis (degree and betweenness centrality, Louvain communities,
bridges between districts, new links): ``network_service.build_network``. Betweenness above 600 nodes is estimated
from k sampled sources (seeded); ``--exact`` times the exact one too. Target (issue 21): under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
os.environ.setdefault("CSPHUB_ENVIRONMENT", "test")

from bench import intelligence_asat as scale  # noqa: E402  (the generator and the scratch database)

log = logging.getLogger("bench.intelligence_network")
TARGET_S = 1.0


def _median(fn: object, repeat: int) -> tuple[float, float, object]:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()  # type: ignore[operator]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--exact", action="store_true", help="also time exact betweenness on the neighbourhood")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    scale._setup(args.rebuild)

    from django.db import connection
    from django.utils import timezone

    from csphub.intelligence import network, network_service, services
    from csphub.intelligence.models import CountyLine, Fact
    from csphub.partnership.models import User

    today = dt.date(2026, 12, 1)  # as intelligence_asat.py: a kept database gives the same figures
    if Fact.objects.count() != args.links or not User.objects.filter(username="bench.manager").exists():
        log.info("building %s entities and %s links (seed %s)…", args.entities, args.links, args.seed)
        scale._build(args.entities, args.links, args.seed, today)

    user = User.objects.get(username="bench.manager")
    valid = today - dt.timedelta(days=200)
    known = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    line = CountyLine.objects.order_by("pk")[7]
    centre = str(line.uuid)

    hood_s, hood_cpu, hood = _median(
        lambda: services.neighbourhood(user, [("line", line.pk)], valid=valid, known=known, limit=args.limit),
        args.repeat,
    )
    total_s, total_cpu, view = _median(
        lambda: network_service.build_network(user, valid=valid, centre=centre, limit=args.limit), args.repeat
    )
    assert isinstance(view, network_service.NetworkView) and isinstance(hood, services.Neighbourhood)
    cfg = view.settings
    analyse_s, analyse_cpu, result = _median(lambda: network.analyse_graph(view.graph, cfg), args.repeat)
    assert isinstance(result, network.NetworkResult)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    verdict = "met" if total_s < TARGET_S else f"MISSED by {total_s - TARGET_S:.3f} s"
    print(f"database: {connection.vendor}; {Fact.objects.count():,} facts about {args.entities:,} entities")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (wall times include waiting for a core)")
    print(
        f"neighbourhood as at {valid} (as known now): {len(hood.entities):,} entities, {len(hood.picture.facts):,} "
        f"facts in {hood_s:.3f} s wall, {hood_cpu:.3f} s CPU"
    )
    sampled = f"sampled, k={result.betweenness_k}, seed {cfg.seed}" if result.betweenness_sampled else "exact"
    print(
        f"analysis of {result.nodes:,} nodes, {result.edges:,} edges (degree, betweenness {sampled}, "
        f"{len(result.communities)} Louvain communities, {len(result.bridges)} bridges): "
        f"{analyse_s:.3f} s wall, {analyse_cpu:.3f} s CPU"
    )
    print(
        f"as-at view and centrality, end to end (build_network: neighbourhood, labels through visible_to, graph, "
        f"analysis): {total_s:.3f} s wall, {total_cpu:.3f} s CPU (target < {TARGET_S:.0f} s: {verdict})"
    )
    if args.exact:
        exact = network.NetworkSettings(exact_betweenness_up_to=10**9)
        exact_s, _cpu, _ = _median(lambda: network.betweenness(view.graph, exact), 1)
        print(f"exact betweenness on the same graph, for comparison: {exact_s:.3f} s wall")


if __name__ == "__main__":
    main()
