"""The clock's and the kubelet's speed paths (issue 4's budgets) give what the plain ways give.

* A :class:`~k8smodel.sim.Timer` sits on SimPy's heap itself instead of behind a SimPy event: the order of every
  call, process step and cancellation must be what it was with a SimPy event per call (the reference below is the
  previous implementation, on ``Simulation._schedule``).
* ``Simulation.rfc3339`` remembers recent seconds; ``NodeConfig.capacity``/``allocatable`` and ``hash_container``
  remember their answers; etcd inserts a few new keys one by one instead of sorting; the kubelet's node status loop
  keeps the Node it read and asks the API server whether it changed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.apiserver import APIServer
from k8smodel.apiserver.server import _same_object, merge_patch
from k8smodel.etcd import Store
from k8smodel.kubelet import ImageRegistry, Kubelet, NodeConfig
from k8smodel.kubelet.backoff import fnv32a, hash_container
from k8smodel.sim import Simulation, jitter


class _ReferenceTimer:
    """The previous Timer: one SimPy event (``Simulation._schedule``) per call."""

    def __init__(self, sim: Simulation, fn: Any, args: tuple, period: float | None = None, factor: float = 0.0,
                 rng: random.Random | None = None) -> None:  # fmt: skip
        self.sim, self.fn, self.args, self.period, self.factor, self.rng = sim, fn, args, period, factor, rng
        self.call: Any = None

    def arm(self, t: float) -> None:
        self.call = self.sim._schedule(t, self.fire)

    def fire(self, _event: Any) -> None:
        if self.period is None:
            self.call = None
            self.fn(*self.args)
            return
        self.fn(*self.args)
        if self.call is not None and not self.call.cancelled:
            delay = self.period
            if self.factor > 0.0:
                delay = jitter(delay, self.factor, self.rng or self.sim.random)
            self.arm(self.sim.env._now + delay)

    def cancel(self) -> None:
        if self.call is not None:
            self.call.cancelled = True
            self.call = None


def _scenario(seed: int, reference: bool) -> list[tuple[float, str]]:
    """Seeded timers (one-shot and periodic with jitter), cancellations from inside callbacks, SimPy processes with
    timeouts at the same instants, run with run() in chunks and step()."""
    sim = Simulation(seed)
    rng = random.Random(seed)
    trace: list[tuple[float, str]] = []
    timers: list[Any] = []

    def make(fn: Any, args: tuple, when: float, period: float | None = None, factor: float = 0.0) -> Any:
        if reference:
            timer = _ReferenceTimer(sim, fn, args, period, factor, sim.rng("t"))
            timer.arm(when)
            return timer
        if period is None:
            return sim.call_at(when, fn, *args)
        return sim.every(period, fn, *args, jitter=factor, start=when, rng=sim.rng("t"))

    def note(label: str) -> None:
        trace.append((sim.now, label))
        roll = rng.random()
        if roll < 0.15 and timers:
            timers[rng.randrange(len(timers))].cancel()
        elif roll < 0.35:
            timers.append(make(note, (f"{label}>",), sim.now + rng.choice([0.0, 0.5, 1.0, 2.0])))

    def proc(name: str) -> Any:
        for _ in range(6):
            trace.append((sim.now, name))
            yield sim.env.timeout(rng.choice([0.5, 1.0, 1.5]))

    for i in range(12):
        when = float(rng.randrange(0, 6))
        if rng.random() < 0.5:
            timers.append(make(note, (f"t{i}",), when))
        else:
            timers.append(make(note, (f"p{i}",), when, period=rng.choice([1.0, 2.5]), factor=rng.choice([0.0, 0.3])))
    for i in range(3):
        sim.process(proc(f"proc{i}"))
    sim.run(4)
    for _ in range(10):
        sim.step()
    sim.run(20)
    trace.append((sim.now, f"end {sim.rng('t').random():.12f}"))
    return trace


@pytest.mark.parametrize("seed", range(12))
def test_timers_on_the_heap_run_as_simpy_events_did(seed: int) -> None:
    assert _scenario(seed, reference=False) == _scenario(seed, reference=True)


def test_a_cancelled_timer_does_not_move_the_clock_or_run() -> None:
    sim = Simulation()
    out: list[float] = []
    sim.call_at(1, out.append, 1.0)
    late = sim.call_at(5, out.append, 5.0)
    late.cancel()
    sim.run()
    assert out == [1.0] and sim.now == 1.0 and not late.active
    periodic = sim.every(1, out.append, 2.0)
    assert periodic.active
    sim.step()
    periodic.cancel()
    assert sim.step() is False and out == [1.0, 2.0]


@pytest.mark.parametrize("start", [datetime(2026, 1, 1, tzinfo=UTC), datetime(2025, 6, 30, 23, 59, 58, tzinfo=UTC)])
def test_remembered_seconds_are_strftimes(start: datetime) -> None:
    sim = Simulation(start=start)
    rng = random.Random(1)
    for _ in range(3000):
        t = rng.choice([rng.uniform(0, 10), rng.uniform(0, 10_000), float(rng.randrange(5000))])
        assert sim.rfc3339(t) == (start + timedelta(seconds=int(t // 1))).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"cpu": "8", "memory": "32Gi", "pods": 250},
        {"kube_reserved": {"cpu": "100m", "memory": "1Gi"}, "system_reserved": {"memory": "500Mi"}},
        {"ephemeral_storage": "20Gi", "system_reserved": {"ephemeral-storage": "1Gi", "cpu": "1"}},
    ],
)
def test_remembered_capacity_and_allocatable_are_computed_ones(fields: dict) -> None:
    config = NodeConfig("node-1", **fields)
    for _ in range(2):  # the second answer comes from memory
        assert config.capacity() == config._capacity()
        assert config.allocatable() == config._allocatable()
    mine = config.allocatable()
    mine["cpu"] = "changed"
    assert config.allocatable() == config._allocatable()  # a caller's change does not reach the memory


def test_remembered_container_hashes_are_computed_ones() -> None:
    for image, name in [("nginx:1.27", "web"), ("redis", "db"), ("", ""), ("busybox:1.36", "init-db")]:
        container = {"name": name, "image": image}
        raw = fnv32a(f'{{"image":"{image}","name":"{name}"}}'.encode())
        assert hash_container(container) == hash_container(dict(container)) == raw


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc/", min_size=1, max_size=6), max_size=40), st.integers(0, 40))
def test_keys_inserted_one_by_one_are_the_sorted_keys(keys: list[str], split: int) -> None:
    # etcd.Store._keys_with_prefix: up to 16 new keys are insort-ed, more are sorted in; a range is the same
    store = Store()
    for i, key in enumerate(keys):
        store.put(key, b"v")
        if i == split:
            store.range("")
    for prefix in ["", "a", "ab", "b/", "c"]:
        expected = sorted(k for k in set(keys) if k.startswith(prefix))
        assert [kv.key for kv in store.range(prefix).kvs] == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "b"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["x", "status"]), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["spec", "status", "metadata"]), json_values, max_size=3), st.data())
def test_same_object_is_equality(a: dict, data: Any) -> None:
    # server._same_object compares the status first; it answers as ==
    b = data.draw(st.one_of(st.just(dict(a)), st.dictionaries(st.sampled_from(["spec", "status"]), json_values)))
    assert _same_object(a, b) == (a == b)


@settings(max_examples=300, deadline=None)
@given(json_values, json_values)
def test_merge_patch_type_shortcuts_keep_rfc7386(target: Any, patch: Any) -> None:
    # server.merge_patch tests a value's type before isinstance(Mapping); the reference is RFC 7386 as written
    def reference(t: Any, p: Any) -> Any:
        if not isinstance(p, dict):
            return p
        result = dict(t) if isinstance(t, dict) else {}
        for key, value in p.items():
            if value is None:
                result.pop(key, None)
            else:
                result[key] = reference(result.get(key), value)
        return result

    assert merge_patch(target, patch) == reference(target, patch)


def test_the_node_status_loop_answers_alike_with_a_remembered_node() -> None:
    # node_status.NodeStatusManager._get_node keeps the Node it read and asks APIServer._get_if_changed; with plain
    # GETs (an API whose get the kubelet must use) the run is the same: same log, same objects
    def run(plain_get: bool) -> Any:
        sim = Simulation(5)
        api = APIServer(sim)
        if plain_get:
            api.get = api.get  # an instance attribute: the kubelet then makes plain GETs
        kubelets = [Kubelet(sim, api, NodeConfig(f"node-{i}"), ImageRegistry()) for i in range(3)]
        for k in kubelets:
            k.start()
        sim.run(400)
        api.patch("nodes", "node-1", None, {"spec": {"podCIDR": "10.244.1.0/24"}})  # a change the loop must see
        api.patch("nodes", "node-2", None, {"metadata": {"labels": {"tier": "gold"}}})
        kubelets[0].crash()
        sim.run(700)
        kubelets[0].recover()
        sim.run(1000)
        return sim.events().to_dict("list"), {k: list(v) for k, v in api.store._versions.items()}

    assert run(False) == run(True)


@pytest.mark.parametrize(
    "start", [datetime(2026, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, 23, 59, 59, 999_500, tzinfo=UTC)]
)
def test_remembered_micro_seconds_are_strftimes(start: datetime) -> None:
    """``rfc3339_micro`` remembers the text of recent seconds (Leases renew many times a second across nodes): the
    same text as formatting each stamp afresh, whatever the order of the times, and after the memory is cleared
    (more than 4,096 distinct seconds)."""
    sim = Simulation(start=start)
    base = start.replace(microsecond=0)
    rng = random.Random(2)
    times = [rng.uniform(0, 20) for _ in range(500)] + [float(s) + rng.random() for s in range(5000)]
    times += [rng.uniform(0, 6000) for _ in range(3000)]
    for t in times:
        micros = round(t * 1_000_000) + start.microsecond
        assert sim.rfc3339_micro(t) == (base + timedelta(microseconds=micros)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_remembered_image_names_are_parsed_ones() -> None:
    """``parse_image_name`` remembers its answers for plain strings: the same tuples as the uncached parser, and a
    bad name raises the same error every time (nothing remembered for it)."""
    from k8smodel.api.defaults import ImageReferenceError, _parse_image_name, parse_image_name

    names = ["nginx", "nginx:1.27", "localhost:5000/x", "docker.io/library/redis@sha256:" + "a" * 64, "a/b/c:v1"]
    for name in names * 3:
        assert parse_image_name(name) == _parse_image_name(name)
    for bad in ["", "Nginx", "a" * 64, "x@sha256:zz"] * 2:
        with pytest.raises(ImageReferenceError) as cached:
            parse_image_name(bad)
        with pytest.raises(ImageReferenceError) as plain:
            _parse_image_name(bad)
        assert str(cached.value) == str(plain.value)
    with pytest.raises(ImageReferenceError, match="not a string"):
        parse_image_name(["nginx"])  # type: ignore[arg-type]
