"""sim: the simulated clock, the event loop, the seeded random source and the event log.

Every component of the model runs on one discrete-event kernel, a :class:`simpy.Environment`, wrapped here in a
:class:`Simulation`. Time is a float of *simulated seconds* since the simulation's start; nothing reads the wall
clock, and every random draw comes from a generator seeded from the simulation's seed, so one seed gives the same
run, and the same event log, byte for byte, every time (this is what lets nbval compare a chapter's outputs).

The clock
    ``sim.now`` is the simulated time in seconds. ``sim.timestamp(t)`` turns it into a UTC ``datetime`` counted
    from ``sim.start`` (by default :data:`EPOCH`, 2026-01-01T00:00:00Z); ``sim.rfc3339(t)`` prints it the way
    Kubernetes serializes a ``metav1.Time`` (RFC 3339 at second precision, fractions truncated, as Go's
    ``Time.Format(time.RFC3339)`` does in ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/time.go``
    ``MarshalJSON``); ``sim.rfc3339_micro(t)`` prints a ``metav1.MicroTime`` (``micro_time.go``, six digits).

Scheduling
    ``call_at``, ``call_later`` and ``every`` run plain functions at simulated times and return a cancellable
    :class:`Timer`; ``process`` starts a SimPy generator process. Callbacks due at the same simulated time run in
    the order they were scheduled (first in, first out): SimPy orders its event heap by (time, priority, event
    id) and the id grows with every scheduling, and the helpers here schedule at an exact absolute time so that
    ``call_at(t)`` from two different moments lands on the very same float ``t``. ``every`` is
    ``wait.JitterUntil`` from ``staging/src/k8s.io/apimachinery/pkg/util/wait/backoff.go`` with ``sliding=true``:
    the function runs, then the next run is one period later, stretched by ``jitter(period, factor)``
    (``wait.Jitter`` in ``wait.go``: ``period + rand.Float64() * factor * period``).

Randomness
    ``sim.random`` is ``random.Random(seed)``. ``sim.rng(name)`` gives each component its own stream, seeded
    from SHA-256 of ``(seed, name)`` (never Python's ``hash()``, which is salted per process), so adding a
    component does not shift the draws of the others.

Durations
    :func:`parse_duration` and :func:`format_duration` are Go's ``time.ParseDuration`` and
    ``time.Duration.String`` (``src/time/format.go`` and ``src/time/time.go`` in the Go repository), ported on
    integer nanoseconds so their results and error messages match Go's exactly (``time: unknown unit "x" in
    duration "5x"``); the float-second forms convert at the edges. :func:`format_age` is kubectl's AGE column,
    ``HumanDuration`` in ``staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go``.

Garbage collection
    While a :class:`Simulation` exists, Python's cyclic garbage collector's first-generation threshold is raised to
    :data:`RUN_GC_THRESHOLD` (and restored once the last one is gone); :meth:`Simulation.run` raises it again for
    its own duration if something lowered it in between. See :data:`RUN_GC_THRESHOLD` for the measurements.

The event log
    ``sim.log(kind, **fields)`` appends one record (sequence number, simulated time, kind, fields); it costs
    about half a microsecond, so the API server can log every write. ``sim.events()`` builds a pandas
    ``DataFrame`` only when asked, with columns ``seq, time, kind`` and then the fields in the order they were
    first seen. ``sim.log_enabled = False`` turns logging off (for benchmarks); ``sim.trace_informers = True``
    adds one ``informer.event`` record per watch event an informer receives (``k8smodel.views.trace``).

What the model leaves out
    * Real concurrency: Go runs each controller, informer and timer on its own goroutine, so two things due at
      the same instant race and a callback takes real time. Here a callback takes no simulated time and
      callbacks due at the same instant run one after another in scheduling order.
    * ``wait.JitterUntil`` draws its jitter from Go's global ``math/rand``; here it comes from a seeded stream
      (``rng=``, default ``sim.random``), which is what makes runs repeatable.
    * Cancelling a timer leaves its entry in SimPy's heap until its time comes (SimPy has no removal); the
      cancelled entry is then dropped without advancing the clock, so ``run()`` still stops at the last live
      event. This reaches into SimPy's ``Environment._queue`` and ``_eid`` (SimPy 4.1), in one place:
      :meth:`Timer._arm`, :meth:`Simulation._schedule`, :meth:`Simulation.step` and :meth:`Simulation.run`.

SimPy in the hot path (measured)
    SimPy stays the kernel: processes, their events and the heap are SimPy's. A :class:`Timer`, though, is not a
    SimPy event: it puts itself on SimPy's heap (with an id from SimPy's own counter, so the order of everything
    is what it would be with an event) and :meth:`Simulation.run` calls it directly. Building a SimPy event for
    each call (its ``callbacks`` list, ``_ok``, ``_value``) and going through its callback list cost about a third
    of a timer's price: 600,000 calls of 5,000 periodic and 5,000 self-rescheduling one-shot timers took 2.5 s of
    CPU with an event per call and 1.8 s this way (the least of several runs each, on a shared two-core machine);
    ``benchmarks/bench_kubelet.py``'s heartbeat run fires 600,000 of them in ten simulated minutes.
    ``tests/test_speed_sim.py`` checks the order of calls, process steps and cancellations against the
    event-per-call way.
"""

from __future__ import annotations

import gc
import hashlib
import math
import numbers
import random
import weakref
from collections.abc import Callable, Generator, Iterable
from datetime import UTC, datetime, timedelta
from heapq import heappop, heappush
from typing import Any

import pandas as pd
import simpy
from mypy_extensions import mypyc_attr
from simpy.events import NORMAL, Event

_MISSING = object()

RUN_GC_THRESHOLD = 50_000
"""Python's cyclic garbage collector's first-generation threshold while a :class:`Simulation` exists (the
interpreter's default, 700, or whatever was set, comes back when the last simulation is garbage; a threshold set
higher is left alone). A simulated cluster allocates millions of short-lived dicts and keeps many objects for seconds
of simulated time (informer caches, timers, Leases): with 700, the collector ran 1,160 young and 7 full collections
in the kubelet benchmark's busy hour (2.3 s of about 14 s) and 1,830 young and 13 full ones in its 5,000-node
heartbeat run (8.9 s of 50 s); with 50,000 far fewer objects outlive a young collection and the full ones, which walk
every live object, become rare (``benchmarks/bench_kubelet.py --split`` prints the time spent).

Raising it only while :meth:`Simulation.run` runs is not enough. Between two runs (a cell that applies
a manifest, fails a node, lists Events) the default came back, and the few thousand objects such a step allocates
set off young collections that promote what they find, then a full collection over the whole cluster: 0.35 s spent
between two runs of the busy hour and 0.2 s in the rollout benchmark (measured with ``gc.callbacks`` on a loaded
machine; less when it is quiet), a pause the reader feels after a cell that did almost nothing. Collection timing
changes no result: the model has no finalizers that act on the simulation (the one below only restores the
threshold)."""

_gc_state: dict[str, Any] = {"live": 0, "saved": None}  # live simulations; the threshold the first one replaced


def _raise_gc_threshold() -> None:
    """A simulation was made: the first one raises the collector's first threshold (if it is lower)."""
    if _gc_state["live"] == 0:
        threshold = gc.get_threshold()
        _gc_state["saved"] = threshold if threshold[0] < RUN_GC_THRESHOLD else None
        if threshold[0] < RUN_GC_THRESHOLD:
            gc.set_threshold(RUN_GC_THRESHOLD, *threshold[1:])
    _gc_state["live"] += 1


def _lower_gc_threshold() -> None:
    """A simulation is gone: after the last one, the threshold it replaced comes back (unless it was changed since)."""
    _gc_state["live"] -= 1
    saved = _gc_state["saved"]
    if _gc_state["live"] == 0 and saved is not None:
        _gc_state["saved"] = None
        if gc.get_threshold()[0] == RUN_GC_THRESHOLD:
            gc.set_threshold(*saved)


EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""The simulated time 0 of every simulation unless told otherwise: 2026-01-01T00:00:00Z."""

# --------------------------------------------------------------------------------------------------------------
# Go durations (src/time/time.go, src/time/format.go)

NANOSECOND = 1
MICROSECOND = 1000 * NANOSECOND
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE

_MAX_INT64 = (1 << 63) - 1

# time.unitMap in format.go. "µs" is U+00B5 (micro sign), "μs" U+03BC (Greek mu): Go accepts both.
_UNITS = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "\u00b5s": MICROSECOND,
    "\u03bcs": MICROSECOND,
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}


class DurationError(ValueError):
    """A string that Go's ``time.ParseDuration`` rejects; the message is Go's, word for word."""


def _go_quote(s: str) -> str:
    """Go's ``time.quote`` (format.go): double quotes, ``\\"`` and ``\\\\`` escaped, and every byte of a
    non-ASCII or control character written as ``\\xNN``."""
    out = ['"']
    for c in s:
        o = ord(c)
        if o >= 0x80 or o < 0x20:
            out.extend(f"\\x{b:02x}" for b in c.encode("utf-8", "surrogatepass"))
        elif c in '"\\':
            out.append("\\" + c)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _leading_int(s: str) -> tuple[int, str] | None:
    """``leadingInt``: consume leading ASCII digits; ``None`` on overflow past 1<<63."""
    x = 0
    i = 0
    while i < len(s) and "0" <= s[i] <= "9":
        if x > (1 << 63) // 10:
            return None
        x = x * 10 + ord(s[i]) - 48
        if x > 1 << 63:
            return None
        i += 1
    return x, s[i:]


def _leading_fraction(s: str) -> tuple[int, float, str]:
    """``leadingFraction``: like ``_leading_int`` but stops gaining precision instead of failing."""
    x = 0
    scale = 1.0
    overflow = False
    i = 0
    while i < len(s) and "0" <= s[i] <= "9":
        if not overflow:
            if x > ((1 << 63) - 1) // 10:
                overflow = True
            else:
                y = x * 10 + ord(s[i]) - 48
                if y > 1 << 63:
                    overflow = True
                else:
                    x = y
                    scale *= 10
        i += 1
    return x, scale, s[i:]


def parse_duration_ns(s: str) -> int:
    """Go's ``time.ParseDuration`` (``src/time/format.go``), returning integer nanoseconds.

    A duration is an optionally signed sequence of decimal numbers, each with an optional fraction and a unit:
    ``"300ms"``, ``"-1.5h"``, ``"2h45m"``. Units are ``ns``, ``us`` (or ``µs``), ``ms``, ``s``, ``m``, ``h``;
    ``"0"`` needs none. Raises :class:`DurationError` with Go's message.
    """
    orig = s
    d = 0
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise DurationError("time: invalid duration " + _go_quote(orig))
    while s:
        f, scale = 0, 1.0
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise DurationError("time: invalid duration " + _go_quote(orig))
        pl = len(s)
        parsed = _leading_int(s)
        if parsed is None:
            raise DurationError("time: invalid duration " + _go_quote(orig))
        v, s = parsed
        pre = pl != len(s)
        post = False
        if s and s[0] == ".":
            s = s[1:]
            pl = len(s)
            f, scale, s = _leading_fraction(s)
            post = pl != len(s)
        if not pre and not post:
            raise DurationError("time: invalid duration " + _go_quote(orig))
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise DurationError("time: missing unit in duration " + _go_quote(orig))
        u, s = s[:i], s[i:]
        unit = _UNITS.get(u)
        if unit is None:
            raise DurationError("time: unknown unit " + _go_quote(u) + " in duration " + _go_quote(orig))
        if v > (1 << 63) // unit:
            raise DurationError("time: invalid duration " + _go_quote(orig))
        v *= unit
        if f > 0:
            # float64 keeps fractions of hours nanosecond-accurate, as in Go.
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise DurationError("time: invalid duration " + _go_quote(orig))
        d += v
        if d > 1 << 63:
            raise DurationError("time: invalid duration " + _go_quote(orig))
    if neg:
        return -d
    if d > _MAX_INT64:
        raise DurationError("time: invalid duration " + _go_quote(orig))
    return d


def parse_duration(value: str | float) -> float:
    """A Go duration string (``"1h30m"``, see :func:`parse_duration_ns`) as float seconds; numbers pass through
    as seconds, so an API can take either ``"5m"`` or ``300``."""
    t = type(value)
    if t is float or t is int:  # the common case first: numbers.Real is an ABC, slow to check against
        return float(value)
    if isinstance(value, str):
        return parse_duration_ns(value) / SECOND
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a duration must be a Go duration string or seconds, got {type(value).__name__}")
    return float(value)


def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    """``fmtFrac``: the fraction of v/10**prec without trailing zeros (and without '.' if it is 0)."""
    digits = []
    printing = False
    for _ in range(prec):
        digit = v % 10
        printing = printing or digit != 0
        if printing:
            digits.append(chr(48 + digit))
        v //= 10
    if not printing:
        return "", v
    return "." + "".join(reversed(digits)), v


def format_duration_ns(ns: int) -> str:
    """Go's ``time.Duration.String`` (``src/time/time.go``): ``"72h3m0.5s"``, ``"1.5ms"``, ``"0s"``.

    Leading zero units are left out; durations under a second use ms, µs or ns so the first digit is not 0.
    """
    u = -ns if ns < 0 else ns
    if u < SECOND:
        if u == 0:
            return "0s"
        if u < MICROSECOND:
            prec, unit = 0, "ns"
        elif u < MILLISECOND:
            prec, unit = 3, "\u00b5s"
        else:
            prec, unit = 6, "ms"
        frac, u = _fmt_frac(u, prec)
        text = f"{u}{frac}{unit}"
    else:
        frac, u = _fmt_frac(u, 9)
        text = f"{u % 60}{frac}s"
        u //= 60
        if u > 0:
            text = f"{u % 60}m{text}"
            u //= 60
            if u > 0:  # stop at hours: days can have different lengths
                text = f"{u}h{text}"
    return "-" + text if ns < 0 else text


def _to_ns(seconds: float) -> int:
    if isinstance(seconds, int):
        return seconds * SECOND
    return round(seconds * SECOND)


def format_duration(seconds: float) -> str:
    """Float seconds printed as Go prints a ``time.Duration``: ``format_duration(90.0) == "1m30s"``."""
    return format_duration_ns(_to_ns(seconds))


def _trunc_div(a: int, b: int) -> int:
    """Go's integer division, which truncates toward zero."""
    q = abs(a) // b
    return q if a >= 0 else -q


def format_age(seconds: float) -> str:
    """An age as kubectl prints it in the AGE column: ``HumanDuration`` from
    ``staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go``.

    About two or three significant figures: ``"59s"``, ``"119s"``, ``"2m"``, ``"3m10s"``, ``"70m"``, ``"3h1m"``,
    ``"47h"``, ``"2d1h"``, ``"367d"``, ``"2y1d"``, ``"8y"``. Up to 2 s in the future counts as ``"0s"`` (clock
    skew); further is ``"<invalid>"``.
    """
    d = _to_ns(seconds)
    secs = _trunc_div(d, SECOND)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60 * 2:
        return f"{secs}s"
    minutes = d // MINUTE
    if minutes < 10:
        s = (d // SECOND) % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = d // HOUR
    if hours < 8:
        m = (d // MINUTE) % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def jitter(duration: float, max_factor: float, rng: random.Random) -> float:
    """``wait.Jitter`` (``staging/src/k8s.io/apimachinery/pkg/util/wait/wait.go``): ``duration`` plus a uniform
    random extra of up to ``max_factor * duration``; a factor <= 0 means 1.0, as upstream."""
    if max_factor <= 0.0:
        max_factor = 1.0
    return duration + rng.random() * max_factor * duration


# --------------------------------------------------------------------------------------------------------------
# Timers


class _Call(Event):
    """A SimPy event that runs one plain callback at its time, unless cancelled first (``Simulation._schedule``)."""

    __slots__ = ("cancelled",)

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env  # simpy.Event.__init__, inline
        self.callbacks = []
        self._ok = True
        self._value = None
        self.cancelled = False


class Timer:
    """A scheduled call, returned by ``call_at``, ``call_later`` and ``every``; ``cancel()`` stops it.

    ``when`` is the simulated time of the next call (``None`` once a one-shot timer has fired or any timer has
    been cancelled); ``period`` is set for a periodic timer.

    A timer sits on SimPy's event heap itself, as ``(time, NORMAL, id, timer)`` with an id from SimPy's own counter
    (so it is ordered among SimPy's events exactly as an event scheduled at that moment would be), and remembers the
    id of its live entry in ``_eid``: an entry whose id is not the timer's ``_eid`` (cancelled, or replaced) is
    dropped when it comes up, without moving the clock.
    """

    __slots__ = ("_args", "_eid", "_fn", "_jitter", "_rng", "_sim", "period", "when")

    def __init__(
        self,
        sim: Simulation,
        fn: Callable[..., object],
        args: tuple[Any, ...],
        period: float | None = None,
        jitter_factor: float = 0.0,
        rng: random.Random | None = None,
    ) -> None:
        self._sim = sim
        self._fn = fn
        self._args = args
        self.period = period
        self._jitter = jitter_factor
        self._rng = rng
        self._eid: int | None = None
        self.when: float | None = None

    def _arm(self, t: float) -> None:
        env = self._sim.env
        if t < env._now:
            raise ValueError(f"cannot schedule at {t}: simulated time is already {env._now}")
        self.when = t
        self._eid = eid = next(env._eid)  # type: ignore[attr-defined]
        heappush(env._queue, (t, NORMAL, eid, self))  # type: ignore[attr-defined,misc]

    def _fire(self) -> None:
        if self.period is None:
            self._eid = None
            self.when = None
            self._fn(*self._args)
            return
        self._fn(*self._args)
        if self._eid is not None:  # fn may have cancelled its own timer
            delay = self.period
            if self._jitter > 0.0:
                delay = jitter(delay, self._jitter, self._rng or self._sim.random)
            self._arm(self._sim.env._now + delay)

    def cancel(self) -> None:
        """Stop the timer: a pending call will not run, and a periodic timer will not run again."""
        self._eid = None
        self.when = None

    @property
    def active(self) -> bool:
        """True while a call is pending."""
        return self._eid is not None

    def __repr__(self) -> str:
        name = getattr(self._fn, "__qualname__", repr(self._fn))
        every = f", every={self.period}" if self.period is not None else ""
        return f"Timer({name}, when={self.when}{every})"


# --------------------------------------------------------------------------------------------------------------
# The simulation


@mypyc_attr(native_class=False)  # a Python class also when compiled (k8smodel/_native.py): weakref.finalize watches it
class Simulation:
    """The simulated world's clock, event loop, random source and event log (see the module docstring)."""

    def __init__(self, seed: int = 0, start: datetime = EPOCH) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be a timezone-aware datetime (Kubernetes timestamps are UTC)")
        self.seed = seed
        self.start = start.astimezone(UTC)
        _raise_gc_threshold()
        weakref.finalize(self, _lower_gc_threshold)
        self._start_second = self.start.replace(microsecond=0)
        self._start_micros = self.start.microsecond
        self._stamp: tuple[float, str] = (math.nan, "")  # (whole second, rfc3339 text) of the last stamp
        self._stamps: dict[int, str] = {}  # whole second -> rfc3339 text, for up to 4,096 seconds
        self._micro_stamp: tuple[float, str] = (math.nan, "")  # the same for rfc3339_micro, without the fraction
        self._micro_stamps: dict[int, str] = {}  # whole second -> its text without the fraction, for rfc3339_micro
        self.env = simpy.Environment(initial_time=0.0)
        self.random = random.Random(seed)
        self._rngs: dict[str, random.Random] = {}
        # The log as three parallel lists rather than a list of tuples: a tuple per record is a GC-tracked
        # container and would more than double the cost of an append; the fields dicts hold only atoms, so CPython
        # does not track them.
        self._times: list[float] = []
        self._kinds: list[str] = []
        self._fields: list[dict[str, Any]] = []
        self.log_enabled = True
        # Whether every informer logs each watch event it receives (``informer.event``): off by default, since a
        # busy cluster delivers several per write; ``k8smodel.views.trace`` turns it on while it traces.
        self.trace_informers = False

    # ---- the clock ---------------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulated seconds since ``start``."""
        return self.env._now

    def timestamp(self, t: float | None = None) -> datetime:
        """The UTC datetime of simulated time ``t`` (default: now)."""
        return self.start + timedelta(seconds=self.env._now if t is None else t)

    def rfc3339(self, t: float | None = None) -> str:
        """Simulated time ``t`` (default: now) as Kubernetes prints a ``metav1.Time``: ``2026-01-01T00:00:05Z``
        (whole seconds, the fraction truncated as Go's RFC 3339 layout does)."""
        seconds = math.floor(self.env._now if t is None else t)
        if seconds == self._stamp[0]:  # many stamps fall in one simulated second: format it once
            return self._stamp[1]
        text = self._stamps.get(seconds)  # and the seconds of recent events (a container's start) come back often
        if text is None:
            text = (self.start + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
            if len(self._stamps) >= 4096:
                self._stamps.clear()
            self._stamps[seconds] = text
        self._stamp = (seconds, text)
        return text

    def rfc3339_micro(self, t: float | None = None) -> str:
        """Simulated time ``t`` (default: now) as a ``metav1.MicroTime``: ``2026-01-01T00:00:05.250000Z``
        (the format of Lease ``renewTime`` and Event ``eventTime``)."""
        micros = round((self.env._now if t is None else t) * 1_000_000) + self._start_micros
        second, fraction = divmod(micros, 1_000_000)
        if second != self._micro_stamp[0]:
            # Leases renew at jittered instants, so consecutive stamps rarely share a second; but a hundred nodes
            # renewing every ~10 s put several in each second: remember recent seconds' texts (as rfc3339 does).
            text = self._micro_stamps.get(second)
            if text is None:
                text = (self._start_second + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%S")
                if len(self._micro_stamps) >= 4096:
                    self._micro_stamps.clear()
                self._micro_stamps[second] = text
            self._micro_stamp = (second, text)
        return f"{self._micro_stamp[1]}.{fraction:06d}Z"

    # ---- randomness --------------------------------------------------------------------------------------

    def rng(self, name: str) -> random.Random:
        """The random stream of component ``name``: the same object on every call, seeded from SHA-256 of
        ``(seed, name)``, so each component's draws depend only on the seed and its own history."""
        stream = self._rngs.get(name)
        if stream is None:
            digest = hashlib.sha256(f"{self.seed}\x00{name}".encode()).digest()
            stream = self._rngs[name] = random.Random(int.from_bytes(digest[:16], "big"))
        return stream

    # ---- scheduling --------------------------------------------------------------------------------------

    def _schedule(self, t: float, callback: Callable[[Event], None]) -> _Call:
        """Put a callback on SimPy's heap at the exact time ``t`` (``Environment.schedule`` would add a delay to
        ``now``, which in floating point need not give ``t`` back)."""
        env = self.env
        if t < env._now:
            raise ValueError(f"cannot schedule at {t}: simulated time is already {env._now}")
        call = _Call(env)
        call.callbacks.append(callback)  # type: ignore[union-attr]
        heappush(env._queue, (t, NORMAL, next(env._eid), call))  # type: ignore[attr-defined]
        return call

    def call_at(self, t: float | str, fn: Callable[..., object], *args: Any) -> Timer:
        """Run ``fn(*args)`` at simulated time ``t`` (seconds, or a Go duration from the start such as ``"5m"``;
        not before now)."""
        timer = Timer(self, fn, args)
        timer._arm(parse_duration(t))
        return timer

    def call_later(self, delay: float | str, fn: Callable[..., object], *args: Any) -> Timer:
        """Run ``fn(*args)`` after ``delay`` (seconds or a Go duration string such as ``"30s"``)."""
        seconds = parse_duration(delay)
        if seconds < 0:
            raise ValueError(f"delay must not be negative, got {delay!r}")
        timer = Timer(self, fn, args)
        timer._arm(self.env._now + seconds)
        return timer

    def every(
        self,
        period: float | str,
        fn: Callable[..., object],
        *args: Any,
        jitter: float = 0.0,
        start: float | str | None = None,
        rng: random.Random | None = None,
    ) -> Timer:
        """Run ``fn(*args)`` periodically, like ``wait.JitterUntil(f, period, jitter, sliding=true)``.

        The first call is at ``start`` (default: now, as ``JitterUntil`` runs ``f`` at once); each later call
        comes ``period`` after the previous one, plus a jitter of up to ``jitter * period`` drawn from ``rng``
        (pass ``sim.rng("component")``; the default is ``sim.random``). ``cancel()`` the returned timer to stop.
        """
        seconds = parse_duration(period)
        if seconds <= 0:
            raise ValueError(f"period must be positive, got {period!r}")
        timer = Timer(self, fn, args, period=seconds, jitter_factor=jitter, rng=rng)
        timer._arm(self.env._now if start is None else parse_duration(start))
        return timer

    def process(self, generator: Generator[Event, Any, Any]) -> simpy.Process:
        """Start a SimPy process (``env.process``): for components that are easier to write as a loop that
        ``yield``s timeouts and events."""
        return self.env.process(generator)

    # ---- running -----------------------------------------------------------------------------------------

    def _pop_cancelled(self) -> None:
        """Drop cancelled calls from the head of the heap without moving the clock."""
        queue = self.env._queue  # type: ignore[attr-defined]
        while queue:
            head = queue[0]
            event = head[3]
            if type(event) is Timer:
                if event._eid == head[2]:
                    return
                heappop(queue)
            elif type(event) is _Call and event.cancelled:
                heappop(queue)
            else:
                return

    def step(self) -> bool:
        """Process the next event; False if there is none."""
        self._pop_cancelled()
        queue = self.env._queue  # type: ignore[attr-defined]
        if not queue:
            return False
        head = queue[0]
        event = head[3]
        if type(event) is Timer:  # a timer's entry is not a SimPy event: what run() does for it
            heappop(queue)
            self.env._now = head[0]
            event._fire()
            return True
        self.env.step()
        return True

    def run(self, until: float | str | None = None, *, stop: Callable[[], object] | None = None) -> bool:
        """Run events in time order up to and including simulated time ``until``, then set the clock to it.

        ``until`` is an absolute simulated time: seconds, or a Go duration string counted from the start
        (``"5m"``). Events due exactly at ``until`` run, including ones they schedule for that same instant.
        Without ``until``, run until nothing is left to do (never returns while a periodic timer is active).

        ``stop``, if given, is asked after every event; when it returns true the run ends at once, with the clock at
        that event's time (as if :meth:`step` had been called until then, but with :meth:`run`'s fast loop and its
        garbage-collector setting). Returns whether ``stop`` ended the run.
        """
        env = self.env
        at = math.inf if until is None else parse_duration(until)
        if at < env._now:
            raise ValueError(f"until ({format_duration(at)}) is before the current simulated time")
        queue = env._queue  # type: ignore[attr-defined]
        step = env.step
        threshold = gc.get_threshold()
        if threshold[0] < RUN_GC_THRESHOLD:
            gc.set_threshold(RUN_GC_THRESHOLD, *threshold[1:])
        try:
            while queue:
                head = queue[0]
                if head[0] > at:
                    break
                event = head[3]
                if type(event) is Timer:  # a timer: run it, unless its entry is no longer live (cancelled)
                    heappop(queue)
                    if event._eid == head[2]:
                        env._now = head[0]
                        event._fire()
                        if stop is not None and stop():
                            return True
                    continue
                if type(event) is _Call:  # a plain call: what env.step() does for it, inline
                    heappop(queue)
                    if event.cancelled:  # _pop_cancelled: dropped without moving the clock
                        continue
                    env._now = head[0]
                    callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
                    for callback in callbacks:
                        callback(event)
                    if stop is not None and stop():
                        return True
                    continue
                step()
                if stop is not None and stop():
                    return True
        finally:
            if threshold[0] < RUN_GC_THRESHOLD:
                gc.set_threshold(*threshold)
        if until is not None:
            env._now = at
        return False

    def run_for(self, duration: float | str) -> None:
        """Run for ``duration`` (seconds or a Go duration string) from now."""
        seconds = parse_duration(duration)
        if seconds < 0:
            raise ValueError(f"duration must not be negative, got {duration!r}")
        self.run(self.env._now + seconds)

    # ---- the event log -----------------------------------------------------------------------------------

    def log(self, kind: str, **fields: Any) -> None:
        """Append a record of ``kind`` with ``fields`` at the current simulated time (a no-op when
        ``log_enabled`` is False)."""
        if self.log_enabled:
            self._times.append(self.env._now)
            self._kinds.append(kind)
            self._fields.append(fields)

    @property
    def event_count(self) -> int:
        """The number of records logged so far (the next record's ``seq``)."""
        return len(self._kinds)

    def events(self, kind: str | Iterable[str] | None = None) -> pd.DataFrame:
        """The event log as a DataFrame: ``seq, time, kind`` and then each field, in first-seen order.

        ``kind`` keeps only records of that kind (or kinds); ``seq`` still numbers records in the whole log.
        A record without some field has ``None`` there (and that column keeps its values as they were logged,
        with ``object`` dtype, rather than turning integers into floats).
        """
        times, kinds, all_fields = self._times, self._kinds, self._fields
        if kind is None:
            seqs: list[int] | range = range(len(kinds))
        else:
            wanted = {kind} if isinstance(kind, str) else set(kind)
            seqs = [i for i, k in enumerate(kinds) if k in wanted]
        rows = [all_fields[i] for i in seqs]
        names: dict[str, None] = {}
        for fields in rows:
            for name in fields:
                if name not in names:
                    if name in ("seq", "time", "kind"):
                        raise ValueError(f"event field {name!r} clashes with a column of the event log")
                    names[name] = None
        data: dict[str, list[Any]] = {
            "seq": list(seqs),
            "time": [float(times[i]) for i in seqs],
            "kind": [kinds[i] for i in seqs],
        }
        frame = pd.DataFrame(data, columns=["seq", "time", "kind"])
        for name in names:
            column = [fields.get(name, _MISSING) for fields in rows]
            if any(value is _MISSING for value in column):  # keep ints as ints and gaps as None: no NaN casts
                frame[name] = pd.Series([None if v is _MISSING else v for v in column], dtype=object)
            else:
                frame[name] = column
        return frame

    def __repr__(self) -> str:
        return f"Simulation(seed={self.seed}, now={self.env._now}, events={len(self._kinds)})"


__all__ = [
    "EPOCH",
    "HOUR",
    "MICROSECOND",
    "MILLISECOND",
    "MINUTE",
    "NANOSECOND",
    "SECOND",
    "DurationError",
    "Simulation",
    "Timer",
    "format_age",
    "format_duration",
    "format_duration_ns",
    "jitter",
    "parse_duration",
    "parse_duration_ns",
]
