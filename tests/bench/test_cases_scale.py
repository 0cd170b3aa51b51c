"""The case-scale benchmark's load generator: optional exponential think time between a client's requests."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bench import cases_scale
from bench.cases_scale import ClientState, Target, run_client


class _FakeClient:
    """Answers every request at once with a page that passes the benchmark's checks; records when it was asked."""

    def __init__(self) -> None:
        self.at: list[float] = []

    def request(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        self.at.append(time.perf_counter())
        body = b'<h1 class="govuk-heading-l">Cases</h1> CSP-1 govuk-heading-xl <h2>3 people found</h2>'
        return 200, {}, body


def _run(think: float, seconds: float, seed: int = 7) -> tuple[_FakeClient, Any]:
    client, state = _FakeClient(), ClientState()
    target = Target("someone", ["district=E1"], ["CSP-1"], ["Ann Smith"])
    now = time.perf_counter()
    run_client(client, target, seed, now, now, now + seconds, state, think)  # type: ignore[arg-type]
    return client, state


def test_it_runs_a_closed_loop_without_think_time() -> None:
    client, state = _run(0.0, 0.2)
    assert len(client.at) > 100 and all(s.ok for s in state.samples)


def test_it_pauses_between_requests_for_an_exponential_think_time_of_the_mean_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        real_sleep(min(seconds, 0.0005))

    monkeypatch.setattr(cases_scale.time, "sleep", sleep)
    _run(0.05, 0.3)
    pauses = slept[:-1]  # the last one is cut short at the end of the run
    assert len(pauses) > 20
    mean = sum(pauses) / len(pauses)
    assert 0.02 < mean < 0.1  # exponential with mean 0.05 s (clipped at the end of the run)
    assert len({round(p, 6) for p in pauses}) > len(pauses) // 2  # varied, not a fixed pause


def test_its_think_times_are_seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for _ in range(2):
        slept: list[float] = []
        monkeypatch.setattr(cases_scale.time, "sleep", lambda s, slept=slept: slept.append(s))
        _run(0.0001, 0.05)
        runs.append(slept[:5])
    assert runs[0] == runs[1] and runs[0][0] > 0
