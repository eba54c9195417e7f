"""Tests for k8smodel.sim: the clock, scheduling, the seeded random source, the event log and durations.

Duration cases are Go's own tables from ``src/time/time_test.go`` (``parseDurationTests``,
``parseDurationErrorTests``, ``durationTests``, ``TestParseDurationRoundTrip``); age cases are
``TestHumanDuration`` and ``TestHumanDurationBoundaries`` from
``staging/src/k8s.io/apimachinery/pkg/util/duration/duration_test.go``.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime

import pandas as pd
import pytest

from k8smodel.sim import (
    EPOCH,
    HOUR,
    MICROSECOND,
    MILLISECOND,
    MINUTE,
    NANOSECOND,
    SECOND,
    DurationError,
    Simulation,
    format_age,
    format_duration,
    format_duration_ns,
    jitter,
    parse_duration,
    parse_duration_ns,
)

# ---- time.ParseDuration (time_test.go parseDurationTests) ------------------------------------------------------

PARSE_DURATION_TESTS = [
    # simple
    ("0", 0),
    ("5s", 5 * SECOND),
    ("30s", 30 * SECOND),
    ("1478s", 1478 * SECOND),
    # sign
    ("-5s", -5 * SECOND),
    ("+5s", 5 * SECOND),
    ("-0", 0),
    ("+0", 0),
    # decimal
    ("5.0s", 5 * SECOND),
    ("5.6s", 5 * SECOND + 600 * MILLISECOND),
    ("5.s", 5 * SECOND),
    (".5s", 500 * MILLISECOND),
    ("1.0s", 1 * SECOND),
    ("1.00s", 1 * SECOND),
    ("1.004s", 1 * SECOND + 4 * MILLISECOND),
    ("1.0040s", 1 * SECOND + 4 * MILLISECOND),
    ("100.00100s", 100 * SECOND + 1 * MILLISECOND),
    # different units
    ("10ns", 10 * NANOSECOND),
    ("11us", 11 * MICROSECOND),
    ("12\u00b5s", 12 * MICROSECOND),  # U+00B5
    ("12\u03bcs", 12 * MICROSECOND),  # U+03BC
    ("13ms", 13 * MILLISECOND),
    ("14s", 14 * SECOND),
    ("15m", 15 * MINUTE),
    ("16h", 16 * HOUR),
    # composite durations
    ("3h30m", 3 * HOUR + 30 * MINUTE),
    ("10.5s4m", 4 * MINUTE + 10 * SECOND + 500 * MILLISECOND),
    ("-2m3.4s", -(2 * MINUTE + 3 * SECOND + 400 * MILLISECOND)),
    ("1h2m3s4ms5us6ns", 1 * HOUR + 2 * MINUTE + 3 * SECOND + 4 * MILLISECOND + 5 * MICROSECOND + 6 * NANOSECOND),
    ("39h9m14.425s", 39 * HOUR + 9 * MINUTE + 14 * SECOND + 425 * MILLISECOND),
    # large value
    ("52763797000ns", 52763797000 * NANOSECOND),
    # more than 9 digits after decimal point, see https://golang.org/issue/6617
    ("0.3333333333333333333h", 20 * MINUTE),
    # 9007199254740993 = 1<<53+1 cannot be stored precisely in a float64
    ("9007199254740993ns", (1 << 53) + 1),
    # largest duration that can be represented by int64 in nanoseconds
    ("9223372036854775807ns", (1 << 63) - 1),
    ("9223372036854775.807us", (1 << 63) - 1),
    ("9223372036s854ms775us807ns", (1 << 63) - 1),
    ("-9223372036854775808ns", -(1 << 63)),
    ("-9223372036854775.808us", -(1 << 63)),
    ("-9223372036s854ms775us808ns", -(1 << 63)),
    # largest negative round trip value, see https://golang.org/issue/48629
    ("-2562047h47m16.854775808s", -(1 << 63)),
    # huge string; issue 15011.
    ("0.100000000000000000000h", 6 * MINUTE),
    # This value tests the first overflow check in leadingFraction.
    ("0.830103483285477580700h", 49 * MINUTE + 48 * SECOND + 372539827 * NANOSECOND),
]


@pytest.mark.parametrize(("text", "want"), PARSE_DURATION_TESTS)
def test_parse_duration_go_table(text: str, want: int) -> None:
    # time_test.go TestParseDuration
    assert parse_duration_ns(text) == want


PARSE_DURATION_ERROR_TESTS = [
    # invalid
    ("", '""'),
    ("3", '"3"'),
    ("-", '"-"'),
    ("s", '"s"'),
    (".", '"."'),
    ("-.", '"-."'),
    (".s", '".s"'),
    ("+.s", '"+.s"'),
    ("1d", '"1d"'),
    ("\ufffd", '"\\xef\\xbf\\xbd"'),  # utf8.RuneError
    ("\ufffd hello \ufffd world", '"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'),
    # overflow
    ("9223372036854775810ns", '"9223372036854775810ns"'),
    ("9223372036854775808ns", '"9223372036854775808ns"'),
    ("-9223372036854775809ns", '"-9223372036854775809ns"'),
    ("9223372036854776us", '"9223372036854776us"'),
    ("3000000h", '"3000000h"'),
    ("9223372036854775.808us", '"9223372036854775.808us"'),
    ("9223372036854ms775us808ns", '"9223372036854ms775us808ns"'),
]


@pytest.mark.parametrize(("text", "quoted"), PARSE_DURATION_ERROR_TESTS)
def test_parse_duration_errors_quote_the_input(text: str, quoted: str) -> None:
    # time_test.go TestParseDurationErrors: the error message contains the quoted input
    with pytest.raises(DurationError) as info:
        parse_duration_ns(text)
    assert quoted in str(info.value)


def test_parse_duration_error_messages_are_gos() -> None:
    # The three messages of ParseDuration in format.go
    with pytest.raises(DurationError, match=r'^time: invalid duration ""$'):
        parse_duration("")
    with pytest.raises(DurationError, match=r'^time: missing unit in duration "3"$'):
        parse_duration("3")
    with pytest.raises(DurationError, match=r'^time: unknown unit "x" in duration "5x"$'):
        parse_duration("5x")
    with pytest.raises(DurationError, match=r'^time: unknown unit "d" in duration "1d"$'):
        parse_duration("1d")
    assert isinstance(DurationError("x"), ValueError)


def test_parse_duration_in_seconds() -> None:
    assert parse_duration("1h30m") == 5400.0
    assert parse_duration("1.5h") == 5400.0
    assert parse_duration("250ms") == 0.25
    assert parse_duration(42) == 42.0
    assert parse_duration(0.5) == 0.5
    with pytest.raises(TypeError):
        parse_duration(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_duration(True)


# ---- time.Duration.String (time_test.go durationTests) ---------------------------------------------------------

DURATION_TESTS = [
    ("0s", 0),
    ("1ns", 1 * NANOSECOND),
    ("1.1\u00b5s", 1100 * NANOSECOND),
    ("2.2ms", 2200 * MICROSECOND),
    ("3.3s", 3300 * MILLISECOND),
    ("4m5s", 4 * MINUTE + 5 * SECOND),
    ("4m5.001s", 4 * MINUTE + 5001 * MILLISECOND),
    ("5h6m7.001s", 5 * HOUR + 6 * MINUTE + 7001 * MILLISECOND),
    ("8m0.000000001s", 8 * MINUTE + 1 * NANOSECOND),
    ("2562047h47m16.854775807s", (1 << 63) - 1),
    ("-2562047h47m16.854775808s", -(1 << 63)),
]


@pytest.mark.parametrize(("text", "ns"), DURATION_TESTS)
def test_duration_string_go_table(text: str, ns: int) -> None:
    # time_test.go TestDurationString, including the negated cases
    assert format_duration_ns(ns) == text
    if ns > 0:
        assert format_duration_ns(-ns) == "-" + text


def test_parse_duration_round_trip() -> None:
    # time_test.go TestParseDurationRoundTrip, with a seeded generator instead of math/rand
    rng = random.Random(7)
    for _ in range(100):
        d0 = rng.randrange(1 << 31) * MILLISECOND
        assert parse_duration_ns(format_duration_ns(d0)) == d0


def test_format_duration_from_seconds() -> None:
    assert format_duration(90.0) == "1m30s"
    assert format_duration(90) == "1m30s"
    assert format_duration(0.1) == "100ms"
    assert format_duration(3600 * 72 + 180 + 0.5) == "72h3m0.5s"
    assert format_duration(0) == "0s"
    assert format_duration(-1.5) == "-1.5s"


# ---- kubectl AGE (duration_test.go) ----------------------------------------------------------------------------

HUMAN_DURATION = [
    # TestHumanDuration
    (SECOND, "1s"),
    (70 * SECOND, "70s"),
    (190 * SECOND, "3m10s"),
    (70 * MINUTE, "70m"),
    (47 * HOUR, "47h"),
    (49 * HOUR, "2d1h"),
    ((8 * 24 + 2) * HOUR, "8d"),
    ((367 * 24) * HOUR, "367d"),
    ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
    ((365 * 8 * 24 + 2) * HOUR, "8y"),
    # TestHumanDurationBoundaries
    (-2 * SECOND, "<invalid>"),
    (-2 * SECOND + 1, "0s"),
    (0, "0s"),
    (SECOND - MILLISECOND, "0s"),
    (2 * MINUTE - MILLISECOND, "119s"),
    (2 * MINUTE, "2m"),
    (2 * MINUTE + SECOND, "2m1s"),
    (10 * MINUTE - MILLISECOND, "9m59s"),
    (10 * MINUTE, "10m"),
    (10 * MINUTE + SECOND, "10m"),
    (3 * HOUR - MILLISECOND, "179m"),
    (3 * HOUR, "3h"),
    (3 * HOUR + MINUTE, "3h1m"),
    (8 * HOUR - MILLISECOND, "7h59m"),
    (8 * HOUR, "8h"),
    (8 * HOUR + 59 * MINUTE, "8h"),
    (2 * 24 * HOUR - MILLISECOND, "47h"),
    (2 * 24 * HOUR, "2d"),
    (2 * 24 * HOUR + HOUR, "2d1h"),
    (8 * 24 * HOUR - MILLISECOND, "7d23h"),
    (8 * 24 * HOUR, "8d"),
    (8 * 24 * HOUR + 23 * HOUR, "8d"),
    (2 * 365 * 24 * HOUR - MILLISECOND, "729d"),
    (2 * 365 * 24 * HOUR, "2y"),
    (2 * 365 * 24 * HOUR + 23 * HOUR, "2y"),
    (2 * 365 * 24 * HOUR + 23 * HOUR + 59 * MINUTE, "2y"),
    (2 * 365 * 24 * HOUR + 24 * HOUR - MILLISECOND, "2y"),
    (2 * 365 * 24 * HOUR + 24 * HOUR, "2y1d"),
    (3 * 365 * 24 * HOUR, "3y"),
    (4 * 365 * 24 * HOUR, "4y"),
    (5 * 365 * 24 * HOUR, "5y"),
    (6 * 365 * 24 * HOUR, "6y"),
    (7 * 365 * 24 * HOUR, "7y"),
    (8 * 365 * 24 * HOUR - MILLISECOND, "7y364d"),
    (8 * 365 * 24 * HOUR, "8y"),
    (8 * 365 * 24 * HOUR + 364 * 24 * HOUR, "8y"),
    (9 * 365 * 24 * HOUR, "9y"),
]


@pytest.mark.parametrize(("ns", "want"), HUMAN_DURATION)
def test_format_age_is_kubectl_human_duration(ns: int, want: str) -> None:
    assert format_age(ns / SECOND) == want


def test_format_age_of_integer_seconds() -> None:
    assert format_age(59) == "59s"
    assert format_age(125) == "2m5s"
    assert format_age(86400 * 3) == "3d"


def test_jitter_stays_within_factor() -> None:
    # wait.Jitter: duration + rand.Float64()*maxFactor*duration; a factor <= 0 means 1.0
    rng = random.Random(1)
    for _ in range(200):
        assert 10.0 <= jitter(10.0, 0.5, rng) <= 15.0
        assert 10.0 <= jitter(10.0, 0.0, rng) <= 20.0


# ---- the clock ---------------------------------------------------------------------------------------------------


def test_clock_starts_at_epoch() -> None:
    sim = Simulation()
    assert sim.now == 0.0
    assert datetime(2026, 1, 1, tzinfo=UTC) == EPOCH
    assert sim.timestamp() == EPOCH
    assert sim.rfc3339() == "2026-01-01T00:00:00Z"
    assert sim.rfc3339(5.0) == "2026-01-01T00:00:05Z"
    assert sim.rfc3339(5.999) == "2026-01-01T00:00:05Z"  # second precision, truncated like Go's RFC3339 layout
    assert sim.rfc3339(86400 + 3661) == "2026-01-02T01:01:01Z"
    assert sim.rfc3339_micro(5.25) == "2026-01-01T00:00:05.250000Z"
    assert sim.timestamp(90).isoformat() == "2026-01-01T00:01:30+00:00"


def test_custom_start_must_be_aware() -> None:
    sim = Simulation(start=datetime(2030, 6, 1, 12, tzinfo=UTC))
    assert sim.rfc3339(1) == "2030-06-01T12:00:01Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        Simulation(start=datetime(2030, 6, 1))


# ---- randomness --------------------------------------------------------------------------------------------------


def test_rng_streams_are_stable_and_independent() -> None:
    a, b = Simulation(seed=0), Simulation(seed=0)
    assert a.rng("kubelet") is a.rng("kubelet")
    # The seed comes from SHA-256 of (seed, name): pinned, so it cannot depend on the process's hash salt.
    assert a.rng("kubelet").random() == 0.3594340603064119
    assert Simulation(seed=42).rng("scheduler").random() == 0.5241517418598112
    assert a.random.random() == 0.8444218515250481  # sim.random is random.Random(seed)
    # Creating or using another stream first does not shift a stream.
    b.rng("scheduler").random()
    b.random.random()
    fresh = Simulation(seed=0)
    assert [b.rng("kubelet").random() for _ in range(3)] == [fresh.rng("kubelet").random() for _ in range(3)]
    assert a.rng("x").random() != a.rng("y").random()
    assert Simulation(seed=1).rng("x").random() != Simulation(seed=2).rng("x").random()


# ---- scheduling --------------------------------------------------------------------------------------------------


def test_call_at_and_call_later_run_in_time_then_fifo_order() -> None:
    sim = Simulation()
    out: list[tuple[float, str]] = []

    def note(label: str) -> None:
        out.append((sim.now, label))

    sim.call_later(2, note, "b")
    sim.call_at(1, note, "a")
    sim.call_later("2s", note, "c")  # same time as "b", scheduled after it
    sim.call_at(2.0, note, "d")
    sim.call_at("2s", note, "e")
    sim.run()
    assert out == [(1.0, "a"), (2.0, "b"), (2.0, "c"), (2.0, "d"), (2.0, "e")]


def test_call_at_lands_on_the_exact_time() -> None:
    # Scheduling at an absolute time, not now + (t - now), keeps float times exact.
    sim = Simulation()
    times: list[float] = []
    sim.call_at(0.1, lambda: sim.call_at(0.3, lambda: times.append(sim.now)))
    sim.call_at(0.3, lambda: times.append(sim.now))
    sim.run()
    assert times == [0.3, 0.3]


def test_ties_keep_scheduling_order_across_helpers_and_processes() -> None:
    sim = Simulation()
    out: list[str] = []

    def proc():
        yield sim.env.timeout(1)
        out.append("process")

    sim.call_at(1, out.append, "first")
    sim.process(proc())  # its timeout is scheduled when the process starts, at time 0, after "first"
    sim.call_at(1, out.append, "last")
    sim.run()
    assert out == ["first", "last", "process"]


def test_cancelled_timers_do_not_run_or_advance_the_clock() -> None:
    sim = Simulation()
    out: list[str] = []
    sim.call_later(1, out.append, "kept")
    late = sim.call_later(100, out.append, "cancelled")
    assert late.active and late.when == 100
    late.cancel()
    assert not late.active and late.when is None
    sim.run()
    assert out == ["kept"]
    assert sim.now == 1.0  # the cancelled call at t=100 was dropped without moving time


def test_scheduling_in_the_past_is_an_error() -> None:
    sim = Simulation()
    sim.run(10)
    with pytest.raises(ValueError, match="already"):
        sim.call_at(5, print)
    with pytest.raises(ValueError, match="negative"):
        sim.call_later(-1, print)
    with pytest.raises(ValueError, match="before the current"):
        sim.run(5)


def test_every_runs_at_once_then_each_period() -> None:
    sim = Simulation()
    ticks: list[float] = []
    timer = sim.every("10s", lambda: ticks.append(sim.now))
    sim.run(30)  # events at exactly `until` run
    assert ticks == [0.0, 10.0, 20.0, 30.0]
    assert timer.period == 10.0 and timer.when == 40.0
    timer.cancel()
    sim.run_for("1m")
    assert ticks == [0.0, 10.0, 20.0, 30.0]
    assert sim.now == 90.0


def test_every_with_start_and_jitter() -> None:
    # wait.JitterUntil with sliding=true: each gap is period + Jitter, within [period, period * (1 + factor)]
    sim = Simulation(seed=3)
    ticks: list[float] = []
    sim.every(10, lambda: ticks.append(sim.now), jitter=0.5, start=5, rng=sim.rng("probe"))
    sim.run(200)
    assert ticks[0] == 5.0
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert gaps and all(10.0 <= g <= 15.0 for g in gaps)
    assert len(set(gaps)) == len(gaps)  # jittered


def test_every_can_cancel_itself() -> None:
    sim = Simulation()
    ticks: list[float] = []
    holder: dict[str, object] = {}

    def tick() -> None:
        ticks.append(sim.now)
        if len(ticks) == 3:
            holder["t"].cancel()  # type: ignore[attr-defined]

    holder["t"] = sim.every(1, tick)
    sim.run()
    assert ticks == [0.0, 1.0, 2.0]


def test_every_rejects_non_positive_periods() -> None:
    sim = Simulation()
    with pytest.raises(ValueError, match="positive"):
        sim.every(0, print)


def test_run_until_duration_string_and_run_for() -> None:
    sim = Simulation()
    sim.run("5m")
    assert sim.now == 300.0
    sim.run_for("1h30m")
    assert sim.now == 300.0 + 5400.0
    sim.run_for(0.5)
    assert sim.now == 5700.5
    assert sim.rfc3339() == "2026-01-01T01:35:00Z"


def test_step_processes_one_event() -> None:
    sim = Simulation()
    out: list[int] = []
    sim.call_at(1, out.append, 1)
    sim.call_at(2, out.append, 2)
    assert sim.step() is True
    assert out == [1] and sim.now == 1.0
    assert sim.step() is True
    assert sim.step() is False
    assert out == [1, 2]


def test_run_stop_ends_the_run_after_the_event_that_satisfies_it() -> None:
    """``run(stop=)`` is ``step()`` until ``stop()`` holds: the clock stays at that event's time, later events (even
    at the same instant) wait, and a timer, a plain call and a SimPy process each count as one event."""
    sim = Simulation()
    out: list[str] = []
    sim.every(10, out.append, "tick", start=5)
    sim.call_at(12, out.append, "call")
    sim.call_at(12, out.append, "same instant")

    def proc():
        yield sim.env.timeout(20)
        out.append("process")

    sim.process(proc())
    assert sim.run(stop=lambda: "call" in out) is True
    assert out == ["tick", "call"] and sim.now == 12.0
    assert sim.run(stop=lambda: "process" in out) is True
    assert out[-1] == "process" and sim.now == 20.0
    # a stop that never holds: run() to ``until`` as always, and False
    assert sim.run(40, stop=lambda: False) is False
    assert sim.now == 40.0 and out.count("tick") == 4
    assert out == ["tick", "call", "same instant", "tick", "process", "tick", "tick"]


def test_process_passthrough() -> None:
    sim = Simulation()
    seen: list[float] = []

    def heartbeat():
        while True:
            seen.append(sim.now)
            yield sim.env.timeout(40)

    sim.process(heartbeat())
    sim.run(100)
    assert seen == [0.0, 40.0, 80.0]


def test_callback_errors_propagate_out_of_run() -> None:
    sim = Simulation()

    def boom() -> None:
        raise RuntimeError("boom")

    sim.call_at(1, boom)
    with pytest.raises(RuntimeError, match="boom"):
        sim.run()


# ---- the event log -----------------------------------------------------------------------------------------------


def test_event_log_columns_and_order() -> None:
    sim = Simulation()
    sim.log("write", verb="create", key="/registry/pods/default/a", revision=2)
    sim.run(1.5)
    sim.log("schedule", pod="default/a", node="n1")
    sim.log("write", verb="update", key="/registry/pods/default/a", revision=3)
    df = sim.events()
    assert list(df.columns) == ["seq", "time", "kind", "verb", "key", "revision", "pod", "node"]
    assert df["seq"].tolist() == [0, 1, 2]
    assert df["time"].tolist() == [0.0, 1.5, 1.5]
    assert df["kind"].tolist() == ["write", "schedule", "write"]
    assert df["revision"].tolist() == [2, None, 3]  # ints stay ints, gaps are None
    assert df["node"].tolist() == [None, "n1", None]
    writes = sim.events("write")
    assert writes["seq"].tolist() == [0, 2]
    assert list(writes.columns) == ["seq", "time", "kind", "verb", "key", "revision"]
    assert sim.events(["schedule"])["pod"].tolist() == ["default/a"]
    assert sim.event_count == 3


def test_event_log_can_be_disabled_and_is_empty_at_first() -> None:
    sim = Simulation()
    empty = sim.events()
    assert list(empty.columns) == ["seq", "time", "kind"] and len(empty) == 0
    sim.log_enabled = False
    sim.log("write", verb="create")
    assert sim.event_count == 0
    sim.log_enabled = True
    sim.log("write", verb="create")
    assert sim.event_count == 1


def test_event_log_rejects_fields_named_like_columns() -> None:
    sim = Simulation()
    sim.log("x", time=3)
    with pytest.raises(ValueError, match="clashes"):
        sim.events()


# ---- determinism -------------------------------------------------------------------------------------------------


def _scenario(seed: int) -> pd.DataFrame:
    """Three components on jittered periods (like kubelet heartbeats and controller resyncs), each logging its
    runs and drawing from its own random stream, plus one-shot timers they schedule."""
    sim = Simulation(seed=seed)
    for name, period, factor in (("kubelet-1", 10.0, 0.2), ("kubelet-2", 10.0, 0.2), ("gc", 30.0, 1.0)):
        rng = sim.rng(name)

        def run(name: str = name, rng: random.Random = rng) -> None:
            sim.log("tick", component=name, draw=rng.randrange(1000))
            if rng.random() < 0.3:
                sim.call_later(rng.uniform(0, 5), lambda: sim.log("followup", component=name))

        sim.every(period, run, jitter=factor, rng=rng)
    sim.run("1h")
    return sim.events()


def test_same_seed_gives_identical_event_logs() -> None:
    first, second = _scenario(11), _scenario(11)
    pd.testing.assert_frame_equal(first, second)
    assert first.to_csv(index=False) == second.to_csv(index=False)  # byte for byte
    assert len(first) > 300


def test_another_seed_gives_another_event_log() -> None:
    assert _scenario(11).to_csv(index=False) != _scenario(12).to_csv(index=False)
