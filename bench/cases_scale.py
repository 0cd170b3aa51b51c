"""Cases at partnership scale: p50/p95/p99 latency of the case list, a case page and a person search.

500,000 people, 250,000 cases and 2,000,000 timeline entries on PostgreSQL (its own database, csphub_bench), the
site under gunicorn as in production (``csphub.wsgi``, settings from the environment, DEBUG off), 16 concurrent
clients — signed-in sessions of 16 users of different agencies and roles — for a fixed duration.

    .venv/bin/python bench/cases_scale.py --prepare          # generate and load the data (once; minutes)
    flock /tmp/csphub-bench.lock .venv/bin/python bench/cases_scale.py --reuse --keep
    .venv/bin/python bench/cases_scale.py --reuse --keep --queries --duration 0   # per-endpoint SQL profile

Options: --reuse (keep the loaded data if it matches the sizes), --keep (leave the database for the next run),
--duration/--warmup (seconds), --clients, --think SECONDS (mean of an exponential pause between a client's
requests, seeded; 0, the default, is a strict closed loop), --workers/--threads (gunicorn), --retries (how many
times to retry a client request that fails at the connection level before counting it as an error), --queries
(print each endpoint's SQL queries and their time, through Django's test client, before the load), --json FILE.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

log = logging.getLogger("bench.cases_scale")

# The 16 clients: users of different agencies and roles (partners see OFFICIAL only, managers and case officers
# OFFICIAL-SENSITIVE and domestic abuse too). Community-sector users (who see only what they referred) are left
# out: they see almost no cases, so they would only make the figures look better.
CLIENT_USERS = (
    "pc.hughes",
    "di.okafor",
    "analyst.patel",
    "wm.fire",
    "fire.safeguarding",
    "probation.om",
    "probation.spo",
    "icb.safeguarding",
    "icb.partner",
    "kbc.asb",
    "kbc.manager",
    "cbc.asb",
    "cbc.warden",
    "bcw.asb",
    "enc.asb",
    "rfh.tenancy",
)
ENDPOINTS = ("case list", "case page", "person search")
PASSWORD = "bench-" + "scale-password-2026"
STATUSES = ("open", "under_review", "closed", "reopened")
COUNCIL_DISTRICT = {
    "kettering-bc": "E07000153",
    "corby-bc": "E07000150",
    "wellingborough-bc": "E07000156",
    "east-northants": "E07000152",
}


@dataclass
class Target:
    """What one client asks for: its user, case-list filters, case references it may open, names to search."""

    username: str
    filters: list[str]
    cases: list[str]
    names: list[str]


@dataclass
class Sample:
    endpoint: str
    started: float
    seconds: float
    ok: bool
    error: str = ""


@dataclass
class ClientState:
    samples: list[Sample] = field(default_factory=list)


class HttpClient:
    """One keep-alive HTTP connection with the session's cookies (what a browser tab does)."""

    def __init__(self, port: int, retries: int) -> None:
        self.port = port
        self.retries = retries
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in range(self.retries + 1):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                payload = resp.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == self.retries:
                    raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload

    def login(self, username: str, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/sign-in/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"sign-in page: HTTP {status}")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
        status, headers, _ = self.request("POST", "/accounts/sign-in/", form)
        if status != 302 or "sign-in" in headers.get("location", ""):
            raise RuntimeError(f"{username} could not sign in (HTTP {status})")


# --- what each endpoint must answer ---------------------------------------------------------------------------


def check(endpoint: str, status: int, body: bytes, expect: str) -> str:
    """Empty if the response is the page asked for; otherwise what is wrong."""
    if status != 200:
        return f"HTTP {status}"
    if endpoint == "case list":
        if b'<h1 class="govuk-heading-l">Cases</h1>' not in body:
            return "not the case list"
    elif endpoint == "case page":
        if expect.encode() not in body or b"govuk-heading-xl" not in body:
            return f"not the page of {expect}"
    elif endpoint == "person search" and not re.search(rb"\d+ (person|people) found</h2>", body):
        return "no search results heading"
    return ""


def path_for(endpoint: str, target: Target, rng: random.Random) -> tuple[str, str]:
    if endpoint == "case list":
        return f"/cases/?{rng.choice(target.filters)}", ""
    if endpoint == "case page":
        ref = rng.choice(target.cases)
        return f"/cases/{ref}/", ref
    name = rng.choice(target.names)
    return f"/register/people/?{urllib.parse.urlencode({'name': name})}", name


# --- set-up: database, data, server ---------------------------------------------------------------------------


def setup_django(db_url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "csphub.settings"
    os.environ["CSPHUB_ENVIRONMENT"] = "development"
    os.environ["CSPHUB_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("CSPHUB_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["CSPHUB_DEBUG"] = "false"
    os.environ["CSPHUB_REQUIRE_2FA"] = "false"
    os.environ["CSPHUB_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def targets(seed: int) -> list[Target]:
    """Per client: filters, cases it may open without a justification, and names of people it may see."""
    from csphub.cases.models import Case
    from csphub.partnership.models import User
    from csphub.registers.models import Person

    rng = random.Random(seed)
    types = [
        "asb_personal",
        "asb_nuisance",
        "asb_environmental",
        "hate_crime",
        "domestic_abuse",
        "cuckooing",
        "problem_place",
        "nte",
    ]
    districts = list(COUNCIL_DISTRICT.values())
    out = []
    for username in CLIENT_USERS:
        user = User.objects.select_related("agency").get(username=username)
        home = COUNCIL_DISTRICT.get(user.agency.short_name if user.agency else "")
        filters = []
        for _ in range(40):
            query = {
                "district": home or rng.choice(districts),
                "case_type": rng.choice(types),
                "status": rng.choice(STATUSES[:3]),
            }
            filters.append(urllib.parse.urlencode(query))
        cases = list(
            Case.objects.visible_to(user)
            .filter(caveat="official", sensitivity="general")
            .order_by("?")
            .values_list("reference", flat=True)[:300]
        )
        people = list(Person.objects.visible_to(user).order_by("?").values_list("given_name", "family_name")[:300])
        names = []
        for given, family in people:
            r = rng.random()
            if r < 0.15 and len(family) > 4:  # a misspelt family name
                i = rng.randrange(2, len(family) - 1)
                family = family[:i] + family[i + 1] + family[i] + family[i + 2 :]
            if r > 0.9:
                names.append(f"{family}, {given}")
            elif r > 0.8:
                names.append(family)
            else:
                names.append(f"{given} {family}")
        if not cases or not names:
            raise RuntimeError(f"{username} sees no cases or people: the data is not what the benchmark expects")
        out.append(Target(username, filters, cases, names))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int, threads: int, log_file: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "csphub.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--backlog",
        "256",
        "--error-logfile",
        str(log_file),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/sign-in/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    stop_server(proc)
    raise RuntimeError(f"gunicorn did not start; see {log_file}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


# --- the load --------------------------------------------------------------------------------------------------


def run_client(
    client: HttpClient,
    target: Target,
    seed: int,
    start_at: float,
    measure_from: float,
    stop_at: float,
    state: ClientState,
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    pauses = random.Random(seed * 7919 + 1)  # its own stream: the same requests whatever the think time
    order = list(ENDPOINTS)
    rng.shuffle(order)
    i = 0
    while time.perf_counter() < start_at:
        time.sleep(0.001)
    while True:
        begun = time.perf_counter()
        if begun >= stop_at:
            return
        endpoint = order[i % len(order)]
        i += 1
        path, expect = path_for(endpoint, target, rng)
        try:
            status, _, body = client.request("GET", path)
            problem = check(endpoint, status, body, expect)
        except Exception as exc:  # a failed request counts as an error, not as a fast answer
            problem = f"{type(exc).__name__}: {exc}"
        ended = time.perf_counter()
        if begun >= measure_from and ended <= stop_at:
            state.samples.append(Sample(endpoint, begun, ended - begun, not problem, f"{path}: {problem}"))
        if think > 0:  # a user reading the page before the next request (exponential: a Poisson-like arrival)
            time.sleep(max(0.0, min(pauses.expovariate(1.0 / think), stop_at - time.perf_counter())))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def query_profile(target_list: list[Target], rng: random.Random) -> list[dict[str, Any]]:
    """Each endpoint once through Django's test client (in this process): SQL queries, their time, wall time."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from csphub.partnership.models import User

    out = []
    for target in target_list[:3]:
        client = Client()
        client.force_login(User.objects.get(username=target.username))
        for endpoint in ENDPOINTS:
            path, _ = path_for(endpoint, target, rng)
            client.get(path)  # warm
            with CaptureQueriesContext(connection) as ctx:
                begun = time.perf_counter()
                response = client.get(path)
                wall = time.perf_counter() - begun
            sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
            slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
            out.append(
                {
                    "user": target.username,
                    "endpoint": endpoint,
                    "path": path,
                    "status": response.status_code,
                    "queries": len(ctx.captured_queries),
                    "sql_ms": round(sql_ms, 1),
                    "wall_ms": round(wall * 1000, 1),
                    "slowest": [(round(float(q["time"]) * 1000, 1), q["sql"][:300]) for q in slowest],
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--people", type=int, default=500_000)
    parser.add_argument("--places", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--database", default="csphub_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded data when it matches the sizes")
    parser.add_argument("--keep", action="store_true", help="leave the database in place afterwards")
    parser.add_argument("--prepare", action="store_true", help="generate and load the data, then stop")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of load before measuring")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean think time in seconds between a client's requests (exponential)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--retries", type=int, default=1, help="connection-level retries of a client request")
    parser.add_argument("--queries", action="store_true", help="print each endpoint's SQL profile first")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    from bench._scale_data import ScaleSpec

    spec = ScaleSpec(args.people, 200_000 if args.places is None else args.places, args.cases, args.entries, args.seed)
    var_dir = ROOT / "var" / "bench" / "cases_scale"
    var_dir.mkdir(parents=True, exist_ok=True)
    db_url = f"{args.pg.rstrip('/')}/{args.database}"
    admin_url = f"{args.pg.rstrip('/')}/postgres"

    reused = False
    if args.reuse:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.database,)).fetchone()
        if exists:
            setup_django(db_url, var_dir)
            from bench import _scale_load

            reused = _scale_load.present(spec)
    if not reused:
        recreate_database(admin_url, args.database)
        setup_django(db_url, var_dir)
    from django.core.management import call_command
    from django.db import connection

    from bench import _scale_load

    call_command("migrate", verbosity=0, interactive=False)
    if not reused:
        loaded = _scale_load.load(spec, PASSWORD)
        print(
            f"data generated and loaded in {loaded.seconds:.0f} s: "
            + ", ".join(f"{n:,} {k}" for k, n in loaded.counts.items())
        )
    if args.prepare:
        connection.close()
        return 0
    call_command("collectstatic", verbosity=0, interactive=False)

    counts = _scale_load.table_counts()
    target_list = targets(args.seed)
    if args.queries:
        for row in query_profile(target_list, random.Random(args.seed)):
            print(
                f"{row['endpoint']:<14} {row['user']:<14} HTTP {row['status']}  {row['queries']:>3} queries  "
                f"SQL {row['sql_ms']:>7.1f} ms  wall {row['wall_ms']:>7.1f} ms  {row['path']}"
            )
            for ms, sql in row["slowest"]:
                print(f"    {ms:>7.1f} ms  {sql}")
    connection.close()
    if args.duration <= 0:
        return 0

    port = free_port()
    server = start_server(port, args.workers, args.threads, var_dir / "gunicorn.log")
    try:
        clients = []
        for i in range(args.clients):
            target = target_list[i % len(target_list)]
            client = HttpClient(port, args.retries)
            client.login(target.username, PASSWORD)
            clients.append((client, target))
        # Every endpoint answers each client with the page asked for before anything is timed.
        rng = random.Random(args.seed)
        for client, target in clients:
            for endpoint in ENDPOINTS:
                path, expect = path_for(endpoint, target, rng)
                status, _, body = client.request("GET", path)
                problem = check(endpoint, status, body, expect)
                if problem:
                    raise RuntimeError(f"{target.username} {path}: {problem}")
        states = [ClientState() for _ in clients]
        start_at = time.perf_counter() + 0.5
        measure_from = start_at + args.warmup
        stop_at = measure_from + args.duration
        threads = [
            threading.Thread(
                target=run_client,
                args=(c, t, args.seed + n, start_at, measure_from, stop_at, states[n], args.think),
                daemon=True,
            )
            for n, (c, t) in enumerate(clients)
        ]
        for t in threads:
            t.start()
        while time.perf_counter() < measure_from:
            time.sleep(0.01)
        cpu0 = cpu_times()
        for t in threads:
            t.join()
        cpu1 = cpu_times()
    finally:
        stop_server(server)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(admin_url, args.database)

    samples = [s for st in states for s in st.samples]
    busy = (cpu1[0] - cpu0[0]) / max(1.0, cpu1[1] - cpu0[1])
    report = summarise(samples, args, counts, busy)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    errors = sum(e["errors"] for e in report["endpoints"].values())
    return 1 if errors else 0


def summarise(samples: list[Sample], args: argparse.Namespace, counts: dict[str, int], busy: float) -> dict[str, Any]:
    endpoints: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        mine = [s for s in samples if s.endpoint == endpoint]
        ok = [s.seconds * 1000 for s in mine if s.ok]
        errs = [s.error for s in mine if not s.ok]
        endpoints[endpoint] = {
            "requests": len(mine),
            "errors": len(errs),
            "first_errors": errs[:3],
            "per_second": len(mine) / args.duration,
            "p50_ms": pct(ok, 50),
            "p95_ms": pct(ok, 95),
            "p99_ms": pct(ok, 99),
            "max_ms": max(ok) if ok else float("nan"),
            "mean_ms": statistics.fmean(ok) if ok else float("nan"),
        }
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "data": counts,
        "method": {
            "clients": args.clients,
            "think_s": args.think,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
            "cpu_busy_during_run": round(busy, 3),
        },
        "endpoints": endpoints,
        "total_per_second": len(samples) / args.duration,
        # every process on the machine (gunicorn, PostgreSQL, the load generator): busy cores over requests served
        "cpu_ms_per_request": (
            busy * (os.cpu_count() or 1) * args.duration * 1000 / len(samples) if samples else float("nan")
        ),
    }


def print_report(report: dict[str, Any]) -> None:
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}"  # noqa: E731
    m, d = report["method"], report["data"]
    print()
    print(
        f"machine: {report['machine']['cpus']} cores ({report['machine']['processor']}), "
        f"Python {report['machine']['python']}"
    )
    print("data:    " + ", ".join(f"{fmt(v)} {k}" for k, v in d.items()))
    print(
        f"method:  {m['clients']} concurrent keep-alive clients (signed-in users of 16 agencies/roles), "
        + (
            f"exponential think time of mean {m['think_s']:g} s between a client's requests (seeded), "
            if m["think_s"] > 0
            else "no think time (closed loop), "
        )
        + f"{m['warmup_s']:.0f} s warm-up then {m['duration_s']:.0f} s measured; gunicorn {m['gunicorn']}; "
        f"PostgreSQL and the load generator on the same machine; CPU busy {m['cpu_busy_during_run']:.0%}"
    )
    print()
    print(
        f"{'endpoint':<14} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} errors"
    )
    for name, e in report["endpoints"].items():
        print(
            f"{name:<14} {e['requests']:>8} {e['per_second']:>7.1f} {e['p50_ms']:>8.1f} {e['p95_ms']:>8.1f} "
            f"{e['p99_ms']:>8.1f} {e['max_ms']:>8.1f} {e['errors']}"
        )
        for err in e["first_errors"]:
            print(f"    error: {err}")
    print(
        f"all: {report['total_per_second']:.1f} requests/s; "
        f"{report['cpu_ms_per_request']:.0f} ms of CPU per request (all processes, {report['machine']['cpus']} cores)"
    )


if __name__ == "__main__":
    sys.exit(main())
