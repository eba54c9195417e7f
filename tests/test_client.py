"""Tests for k8smodel.client: rate limiters, the work queue, the indexer and the informer.

Upstream files (``staging/src/k8s.io/client-go/``): ``util/workqueue/default_rate_limiters_test.go``,
``queue_test.go``, ``delaying_queue_test.go``, ``rate_limiting_queue_test.go``; ``tools/cache/store_test.go``,
``index_test.go``, ``thread_safe_store_test.go``. Each test names the upstream test it follows. Goroutines and the
fake clock become SimPy processes and the simulated clock. The informer tests run against a lister-watcher built on
``k8smodel.etcd.Store`` (objects as JSON under ``/registry/<resource>/<ns>/<name>``, resourceVersion = mod
revision), which lets compaction produce a real ``410 Gone`` and the informer relist.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api.labels import parse_selector
from k8smodel.client import (
    BucketRateLimiter,
    DeletedFinalStateUnknown,
    Expired,
    Indexer,
    Informer,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    WithMaxWaitRateLimiter,
    WorkQueue,
    default_item_based_rate_limiter,
    deletion_handling_meta_namespace_key,
    enqueue_on_change,
    is_expired,
    meta_namespace_index_func,
    meta_namespace_key,
    split_meta_namespace_key,
)
from k8smodel.etcd import CompactedError, EventType, Store
from k8smodel.sim import Simulation

MS = 0.001

# ---- rate limiters (default_rate_limiters_test.go) ----------------------------------------------------------------


def test_item_exponential_failure_rate_limiter() -> None:
    # TestItemExponentialFailureRateLimiter
    limiter = ItemExponentialFailureRateLimiter(1 * MS, 1.0)
    assert [limiter.when("one") for _ in range(5)] == [1 * MS, 2 * MS, 4 * MS, 8 * MS, 16 * MS]
    assert limiter.num_requeues("one") == 5
    assert [limiter.when("two") for _ in range(2)] == [1 * MS, 2 * MS]
    assert limiter.num_requeues("two") == 2
    limiter.forget("one")
    assert limiter.num_requeues("one") == 0
    assert limiter.when("one") == 1 * MS


def test_item_exponential_failure_rate_limiter_overflow() -> None:
    # TestItemExponentialFailureRateLimiterOverFlow
    limiter = ItemExponentialFailureRateLimiter(1 * MS, 1000.0)
    for _ in range(5):
        limiter.when("one")
    assert limiter.when("one") == 32 * MS
    for _ in range(1000):
        limiter.when("overflow1")
    assert limiter.when("overflow1") == 1000.0

    limiter = ItemExponentialFailureRateLimiter(60.0, 1000 * 3600.0)
    for _ in range(2):
        limiter.when("two")
    assert limiter.when("two") == 4 * 60.0
    for _ in range(1000):
        limiter.when("overflow2")
    assert limiter.when("overflow2") == 1000 * 3600.0
    for _ in range(2000):  # past the range of a float's exponent: still the cap
        limiter.when("overflow3")
    assert limiter.when("overflow3") == 1000 * 3600.0


def test_item_fast_slow_rate_limiter() -> None:
    # TestItemFastSlowRateLimiter
    limiter = ItemFastSlowRateLimiter(5 * MS, 10.0, 3)
    assert [limiter.when("one") for _ in range(5)] == [5 * MS, 5 * MS, 5 * MS, 10.0, 10.0]
    assert limiter.num_requeues("one") == 5
    assert [limiter.when("two") for _ in range(2)] == [5 * MS, 5 * MS]
    assert limiter.num_requeues("two") == 2
    limiter.forget("one")
    assert limiter.num_requeues("one") == 0
    assert limiter.when("one") == 5 * MS


def test_max_of_rate_limiter() -> None:
    # TestMaxOfRateLimiter
    limiter = MaxOfRateLimiter(
        ItemFastSlowRateLimiter(5 * MS, 3.0, 3),
        ItemExponentialFailureRateLimiter(1 * MS, 1.0),
    )
    assert [limiter.when("one") for _ in range(5)] == [5 * MS, 5 * MS, 5 * MS, 3.0, 3.0]
    assert limiter.num_requeues("one") == 5
    assert [limiter.when("two") for _ in range(2)] == [5 * MS, 5 * MS]
    assert limiter.num_requeues("two") == 2
    limiter.forget("one")
    assert limiter.num_requeues("one") == 0
    assert limiter.when("one") == 5 * MS


class StepRateLimiter:
    """The StepRateLimiter of default_rate_limiters_test.go."""

    def __init__(self, base_delay: float, max_delay: float, threshold: int) -> None:
        self.count = 0
        self.base_delay, self.max_delay, self.threshold = base_delay, max_delay, threshold

    def when(self, item: object) -> float:
        self.count += 1
        return self.base_delay if self.count <= self.threshold else self.max_delay

    def num_requeues(self, item: object) -> int:
        return 0

    def forget(self, item: object) -> None:
        pass


def test_with_max_wait_rate_limiter() -> None:
    # TestWithMaxWaitRateLimiter
    limiter = WithMaxWaitRateLimiter(StepRateLimiter(5 * MS, 1000.0, 100), 500.0)
    assert all(limiter.when(i) == 5 * MS for i in range(100))
    assert all(limiter.when(i) == 500.0 for i in range(100, 200))


def test_bucket_rate_limiter_is_a_token_bucket_on_the_simulated_clock() -> None:
    # golang.org/x/time/rate Limiter.Reserve().Delay(): starts full (burst), refills at qps, goes into debt
    sim = Simulation()
    limiter = BucketRateLimiter(qps=10, burst=100, sim=sim)
    assert [limiter.when(i) for i in range(100)] == [0.0] * 100
    assert limiter.when("101st") == pytest.approx(0.1)
    assert limiter.when("102nd") == pytest.approx(0.2)
    assert limiter.num_requeues("x") == 0
    sim.run(1.0)  # 10 tokens refill: the debt of 2 is paid and 8 are left
    assert [limiter.when(i) for i in range(8)] == [0.0] * 8
    assert limiter.when("next") == pytest.approx(0.1)
    sim.run(1000.0)  # a long idle time refills the bucket to burst, not beyond
    assert [limiter.when(i) for i in range(100)] == [0.0] * 100
    assert limiter.when("over") == pytest.approx(0.1)


def test_bucket_rate_limiter_needs_a_clock() -> None:
    with pytest.raises(RuntimeError, match="clock"):
        BucketRateLimiter().when("x")
    assert BucketRateLimiter(qps=float("inf"), sim=Simulation()).when("x") == 0.0
    assert BucketRateLimiter(qps=1, burst=0, sim=Simulation()).when("x") == float("inf")


def test_default_controller_rate_limiter() -> None:
    # DefaultControllerRateLimiter: MaxOf(exponential 5ms..1000s, bucket 10 qps burst 100)
    sim = Simulation()
    queue = WorkQueue(sim, "test")  # binds the bucket to the simulation's clock
    limiter = queue.rate_limiter
    assert isinstance(limiter, MaxOfRateLimiter)
    assert [limiter.when("a") for _ in range(4)] == [0.005, 0.01, 0.02, 0.04]
    for i in range(96):
        limiter.when(f"item-{i}")  # the bucket is now empty (4 + 96 = 100 tokens)
    assert limiter.when("fresh") == pytest.approx(0.1)  # the bucket dominates the 5 ms of a first failure
    for _ in range(20):
        limiter.when("b")
    assert limiter.when("b") == 1000.0  # 5 ms * 2**20 > 1000 s: capped
    assert default_item_based_rate_limiter().when("x") == 0.001


# ---- the work queue (queue_test.go) -------------------------------------------------------------------------------


@pytest.mark.parametrize("drain", [False, True], ids=["ShutDown", "ShutDownWithDrain"])
def test_basic_producers_and_consumers(drain: bool) -> None:
    # TestBasic: 50 producers add 50 times each with 1 ms sleeps, 10 consumers take 3 ms per item; after
    # shutdown nothing is left and nothing added after shutdown comes out.
    sim = Simulation()
    q = WorkQueue(sim, "basic")
    processed: list[object] = []
    busy: set[object] = set()

    def producer(i: int):
        for _ in range(50):
            q.add(i)
            yield sim.env.timeout(0.001)

    def consumer():
        while True:
            item = yield q.get_event()
            if item is None:
                return
            assert item != "added after shutdown!"
            assert item not in busy  # never processed by two workers at once
            busy.add(item)
            yield sim.env.timeout(0.003)
            busy.discard(item)
            processed.append(item)
            q.done(item)

    producers = [sim.process(producer(i)) for i in range(50)]
    consumers = [sim.process(consumer()) for _ in range(10)]

    def shut():
        yield sim.env.all_of(producers)
        if drain:
            yield q.shutdown_with_drain()
        else:
            q.shutdown()
        q.add("added after shutdown!")

    sim.process(shut())
    sim.run()
    assert all(c.triggered for c in consumers)
    assert len(q) == 0
    assert set(processed) <= set(range(50))


def test_add_while_processing() -> None:
    # TestAddWhileProcessing: every worker re-adds every item it sees up to two times.
    sim = Simulation()
    q = WorkQueue(sim, "re-add")
    for i in range(50):
        q.add(i)
    seen: dict[int, int] = {}

    def consumer():
        counters: dict[object, int] = {}
        while True:
            item = yield q.get_event()
            if item is None:
                return
            counters[item] = counters.get(item, 0) + 1
            seen[item] = seen.get(item, 0) + 1
            if counters[item] < 2:
                q.add(item)  # dirty while processing: comes back after done()
            yield sim.env.timeout(0.001)
            q.done(item)

    for _ in range(10):
        sim.process(consumer())
    sim.run(10)
    q.shutdown()
    sim.run()
    assert len(q) == 0
    assert all(count >= 2 for count in seen.values()) and len(seen) == 50


def test_len() -> None:
    # TestLen
    q = WorkQueue(Simulation())
    q.add("foo")
    assert len(q) == 1
    q.add("bar")
    assert len(q) == 2
    q.add("foo")  # should not increase the queue length
    assert len(q) == 2
    assert q.adds == 2


def test_reinsert() -> None:
    # TestReinsert
    q = WorkQueue(Simulation())
    q.add("foo")
    item = q.get()
    assert item == "foo"
    q.add(item)  # add it back while processing
    assert len(q) == 0 and q.processing == {"foo"} and q.dirty == {"foo"}
    q.done(item)  # it should be back on the queue
    assert q.get() == "foo"
    q.done("foo")
    assert len(q) == 0
    assert q.get() is None


def test_queue_drainage_using_shutdown_with_drain() -> None:
    # TestQueueDrainageUsingShutDownWithDrain
    sim = Simulation()
    q = WorkQueue(sim)
    q.add("foo")
    q.add("bar")
    first, second = q.get(), q.get()
    drained = q.shutdown_with_drain()
    assert q.shutting_down
    assert q.get() is None  # shutting down and empty
    sim.run()
    assert not drained.triggered  # still processing two items
    q.done(first)
    assert not drained.triggered
    q.done(second)
    assert drained.triggered


def test_no_queue_drainage_using_shutdown() -> None:
    # TestNoQueueDrainageUsingShutDown: ShutDown returns at once even with items in processing
    q = WorkQueue(Simulation())
    q.add("foo")
    q.add("bar")
    q.get()
    q.get()
    q.shutdown()
    assert q.shutting_down and len(q.processing) == 2


def test_force_queue_shutdown_using_shutdown() -> None:
    # TestForceQueueShutdownUsingShutDown: ShutDown ends a ShutDownWithDrain that waits on busy items
    sim = Simulation()
    q = WorkQueue(sim)
    q.add("foo")
    q.add("bar")
    q.get()
    q.get()
    drained = q.shutdown_with_drain()
    assert not drained.triggered
    q.shutdown()
    assert drained.triggered


def test_queue_drainage_using_shutdown_with_drain_with_dirty_item() -> None:
    # TestQueueDrainageUsingShutDownWithDrainWithDirtyItem
    sim = Simulation()
    q = WorkQueue(sim)
    q.add("foo")
    gotten = q.get()
    q.add("foo")
    drained = q.shutdown_with_drain()
    assert q.get() is None  # shutting down, and foo is not queued while being processed
    q.done(gotten)  # foo goes back into the queue
    again = q.get()
    assert again == "foo"
    q.done(again)
    assert q.get() is None  # now we are really done
    assert drained.triggered


def test_add_after_shutdown_is_ignored_and_blocked_workers_wake() -> None:
    sim = Simulation()
    q = WorkQueue(sim)
    results: list[object] = []

    def worker():
        results.append((yield q.get_event()))

    sim.process(worker())
    sim.process(worker())
    sim.run()
    q.add("x")  # handed to the first blocked worker
    q.shutdown()  # the second gets None
    q.add("y")
    sim.run()
    assert results == ["x", None]
    assert len(q) == 0


def test_none_is_not_an_item() -> None:
    with pytest.raises(ValueError):
        WorkQueue(Simulation()).add(None)


# ---- the delaying queue (delaying_queue_test.go) ----------------------------------------------------------------


def test_simple_delaying_queue() -> None:
    # TestSimpleQueue
    sim = Simulation()
    q = WorkQueue(sim, "test-simple")
    q.add_after("foo", 50 * MS)
    assert q.waiting == {"foo": 0.05}
    assert len(q) == 0  # should not have added
    sim.run(60 * MS)
    assert len(q) == 1 and q.waiting == {}
    q.done(q.get())
    sim.run_for(10)  # step past the next heartbeat: nothing more
    assert len(q) == 0


def test_deduping() -> None:
    # TestDeduping
    sim = Simulation()
    q = WorkQueue(sim, "test-dedupe")
    q.add_after("foo", 50 * MS)
    q.add_after("foo", 70 * MS)  # later: the earlier time stays
    assert q.waiting == {"foo": 0.05}
    assert len(q) == 0
    sim.run_for(60 * MS)  # step past the first block, we should receive now
    assert len(q) == 1 and q.waiting == {}
    q.done(q.get())
    sim.run_for(20 * MS)  # step past the second add
    assert len(q) == 0

    # test again, but this time the earlier should override
    q.add_after("foo", 50 * MS)
    q.add_after("foo", 30 * MS)
    assert len(q.waiting) == 1
    assert len(q) == 0
    sim.run_for(40 * MS)
    assert len(q) == 1 and q.waiting == {}
    q.done(q.get())
    sim.run_for(20 * MS)  # step past the second add
    assert len(q) == 0


def test_add_two_fire_early() -> None:
    # TestAddTwoFireEarly
    sim = Simulation()
    q = WorkQueue(sim, "test-addtwofireearly")
    q.add_after("foo", 1.0)
    q.add_after("bar", 50 * MS)
    assert len(q.waiting) == 2 and len(q) == 0
    sim.run_for(60 * MS)
    assert len(q) == 1 and len(q.waiting) == 1
    assert q.get() == "bar"
    q.add_after("baz", 2.0)
    sim.run_for(1.0)
    assert len(q) == 1 and len(q.waiting) == 1
    assert q.get() == "foo"
    sim.run_for(2.0)
    assert len(q) == 1 and len(q.waiting) == 0
    assert q.get() == "baz"


def test_copy_shifting() -> None:
    # TestCopyShifting: items come out in ready-time order, not add order
    sim = Simulation()
    q = WorkQueue(sim, "test-copyshift")
    q.add_after("foo", 1.0)
    q.add_after("bar", 500 * MS)
    q.add_after("baz", 250 * MS)
    assert len(q.waiting) == 3 and len(q) == 0
    sim.run_for(2.0)
    assert len(q) == 3 and not q.waiting
    assert [q.get(), q.get(), q.get()] == ["baz", "bar", "foo"]


def test_add_after_non_positive_delay_adds_at_once_and_shutdown_drops_waiting() -> None:
    sim = Simulation()
    q = WorkQueue(sim)
    q.add_after("now", 0)
    assert len(q) == 1
    q.add_after("later", 5)
    q.shutdown()
    sim.run()
    assert q.waiting == {} and len(q) == 1 and sim.now == 0.0
    assert q.retries == 2


# ---- the rate-limiting queue (rate_limiting_queue_test.go) -------------------------------------------------------


def test_rate_limiting_queue() -> None:
    # TestRateLimitingQueue
    sim = Simulation()
    q = WorkQueue(sim, rate_limiter=ItemExponentialFailureRateLimiter(1 * MS, 1.0))
    q.add_rate_limited("one")
    assert q.waiting["one"] == 1 * MS
    sim.run_for(1 * MS)
    q.add_rate_limited("one")
    assert q.waiting["one"] == pytest.approx(sim.now + 2 * MS)
    assert q.num_requeues("one") == 2
    q.add_rate_limited("two")
    assert q.waiting["two"] == pytest.approx(sim.now + 1 * MS)
    q.add_rate_limited("two")  # 2 ms later than now: the waiting entry keeps its earlier time
    assert q.waiting["two"] == pytest.approx(sim.now + 1 * MS)
    q.forget("one")
    assert q.num_requeues("one") == 0
    sim.run_for(10 * MS)
    q.done(q.get())
    q.add_rate_limited("one")
    assert q.waiting["one"] == pytest.approx(sim.now + 1 * MS)


# ---- property: the work queue's guarantees -----------------------------------------------------------------------

_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 5)),
        st.tuples(st.just("get")),
        st.tuples(st.just("done"), st.integers(0, 10)),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None, derandomize=True)  # the same cases on every CI run
@given(_OPS)
def test_work_queue_interleavings(ops: list[tuple[Any, ...]]) -> None:
    """Random interleavings of add/get/done: an item is never handed out while it is being processed, nothing is
    lost, and after draining every added item was handed out at least once after its last add."""
    q = WorkQueue(Simulation())
    held: list[int] = []  # items handed out and not done, in hand-out order
    last_add: dict[int, int] = {}
    last_get: dict[int, int] = {}
    step = 0

    def take() -> int | None:
        nonlocal step
        item = q.get()
        if item is not None:
            assert item not in held, f"{item} handed out twice while processing"
            held.append(item)
            last_get[item] = step
        return item

    for op in ops:
        step += 1
        if op[0] == "add":
            q.add(op[1])
            last_add[op[1]] = step
        elif op[0] == "get":
            take()
        elif held:
            q.done(held.pop(op[1] % len(held)))
        # The queue holds exactly the dirty items that are not being processed, each once.
        assert len(q) == len(q.dirty - q.processing)
        assert q.processing == set(held)

    while held or len(q):  # drain: finish everything, then take and finish whatever comes back
        while held:
            step += 1
            q.done(held.pop(0))
        step += 1
        while take() is not None:
            pass
    assert len(q) == 0 and not q.dirty and not q.processing
    for item, added in last_add.items():
        assert last_get.get(item, -1) > added, f"{item} was not processed after its last add"


# ---- keys, the store and the indexer (store_test.go, index_test.go, thread_safe_store_test.go) --------------------


def pod(name: str, namespace: str | None = "default", **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta.update(extra)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta}


def test_meta_namespace_keys() -> None:
    assert meta_namespace_key(pod("web-0", "prod")) == "prod/web-0"
    assert meta_namespace_key(pod("node-1", None)) == "node-1"
    assert meta_namespace_key("explicit/key") == "explicit/key"  # ExplicitKey
    assert split_meta_namespace_key("prod/web-0") == ("prod", "web-0")
    assert split_meta_namespace_key("node-1") == ("", "node-1")
    with pytest.raises(ValueError, match='unexpected key format: "a/b/c"'):
        split_meta_namespace_key("a/b/c")
    with pytest.raises(ValueError, match="no meta"):
        meta_namespace_key({"kind": "Pod"})
    tomb = DeletedFinalStateUnknown("prod/web-0", pod("web-0", "prod"))
    assert deletion_handling_meta_namespace_key(tomb) == "prod/web-0"
    assert meta_namespace_index_func(pod("a", "ns1")) == ["ns1"]
    assert meta_namespace_index_func(pod("n", None)) == [""]


def _obj(id_: str, val: str) -> dict[str, str]:
    return {"id": id_, "val": val}


def test_store() -> None:
    # store_test.go doTestStore / TestCache
    store = Indexer(lambda o: o["id"])
    store.add(_obj("foo", "bar"))
    assert store.get(_obj("foo", ""))["val"] == "bar"
    store.update(_obj("foo", "baz"))
    assert store.get(_obj("foo", ""))["val"] == "baz"
    store.delete(_obj("foo", ""))
    assert store.get(_obj("foo", "")) is None
    for id_, val in (("a", "b"), ("c", "d"), ("e", "e")):
        store.add(_obj(id_, val))
    assert sorted(o["val"] for o in store.list()) == ["b", "d", "e"]
    store.replace([_obj("foo", "foo"), _obj("bar", "bar")], "0")
    assert sorted(o["val"] for o in store.list()) == ["bar", "foo"]
    assert store.list_keys() == ["foo", "bar"]
    assert "foo" in store and len(store) == 2
    assert store.get("foo") == _obj("foo", "foo") and store.get_by_key("nope") is None


def test_index() -> None:
    # store_test.go doTestIndex / TestIndex
    indexer = Indexer(lambda o: o["id"], {"by_val": lambda o: [o["val"]]})
    for id_, val in (("a", "b"), ("c", "b"), ("e", "f"), ("g", "h")):
        indexer.add(_obj(id_, val))
    expected = {"b": {"a", "c"}, "f": {"e"}, "h": {"g"}}
    for value, ids in expected.items():
        assert {o["id"] for o in indexer.index("by_val", _obj("", value))} == ids
        assert set(indexer.index_keys("by_val", value)) == ids
    with pytest.raises(ValueError, match="Index with name nope does not exist"):
        indexer.by_index("nope", "x")


def test_get_index_func_values() -> None:
    # index_test.go TestGetIndexFuncValues
    index = Indexer(meta_namespace_key, {"testmodes": lambda o: [o["metadata"]["labels"]["foo"]]})
    index.add(pod("one", None, labels={"foo": "bar"}))
    index.add(pod("two", None, labels={"foo": "bar"}))
    index.add(pod("tre", None, labels={"foo": "biz"}))
    assert sorted(index.list_index_func_values("testmodes")) == ["bar", "biz"]


def test_multi_index_keys() -> None:
    # index_test.go TestMultiIndexKeys
    def users(o: dict[str, Any]) -> list[str]:
        return o["metadata"]["annotations"]["users"].split(",")

    index = Indexer(meta_namespace_key, {"byUser": users})
    pod1 = pod("one", None, annotations={"users": "ernie,bert"})
    pod2 = pod("two", None, annotations={"users": "bert,oscar"})
    pod3 = pod("tre", None, annotations={"users": "ernie,elmo"})
    for p in (pod1, pod2, pod3):
        index.add(p)
    assert len(index.by_index("byUser", "ernie")) == 2
    assert len(index.by_index("byUser", "bert")) == 2
    assert len(index.by_index("byUser", "oscar")) == 1
    assert len(index.index("byUser", pod1)) == 3  # ernie or bert, deduplicated
    index.delete(pod3)
    assert len(index.by_index("byUser", "ernie")) == 1
    assert len(index.by_index("byUser", "elmo")) == 0
    index.update(pod("two", None, annotations={"users": "oscar"}))
    assert len(index.by_index("byUser", "bert")) == 1


def test_delete_removes_empty_sets_from_index() -> None:
    # thread_safe_store_test.go TestThreadSafeStoreDeleteRemovesEmptySetsFromIndex and
    # TestThreadSafeStoreAddKeepsNonEmptySetPostDeleteFromIndex
    store = Indexer(lambda o: o, {"testIndexer": lambda o: [o]})
    store.add("testKey")
    assert store.index_keys("testIndexer", "testKey") == ["testKey"]
    store.delete("testKey")
    assert store.list_index_func_values("testIndexer") == []

    store = Indexer(lambda o: o, {"testIndexer": lambda o: ["testIndex"]})
    store.add("retain")
    store.add("delete")
    assert len(store.index_keys("testIndexer", "testIndex")) == 2
    store.delete("delete")
    assert store.index_keys("testIndexer", "testIndex") == ["retain"]


def test_indexing_functions_with_multiple_values() -> None:
    # thread_safe_store_test.go TestThreadSafeStoreIndexingFunctionsWithMultipleValues
    values: dict[str, str] = {}
    store = Indexer(lambda k: k, {"testIndexer": lambda k: values[k].split(",")})

    def put(key: str, value: str) -> None:
        old = store.get_by_key(key)
        if old is not None:  # re-index from the previous value, as the store would see the old object
            store._pop(key)
        values[key] = value
        store.update(key)

    def keys(value: str) -> list[str]:
        return sorted(store.index_keys("testIndexer", value))

    put("key1", "foo")
    put("key2", "bar")
    assert (keys("foo"), keys("bar")) == (["key1"], ["key2"])
    put("key2", "foo,bar")
    assert (keys("foo"), keys("bar")) == (["key1", "key2"], ["key2"])
    put("key1", "foo,bar")
    assert (keys("foo"), keys("bar")) == (["key1", "key2"], ["key1", "key2"])
    put("key3", "foo,bar,baz")
    assert (keys("foo"), keys("bar"), keys("baz")) == (["key1", "key2", "key3"], ["key1", "key2", "key3"], ["key3"])
    put("key1", "foo")
    assert (keys("foo"), keys("bar"), keys("baz")) == (["key1", "key2", "key3"], ["key2", "key3"], ["key3"])
    put("key2", "bar")
    assert (keys("foo"), keys("bar"), keys("baz")) == (["key1", "key3"], ["key2", "key3"], ["key3"])
    store.delete("key1")
    assert (keys("foo"), keys("bar"), keys("baz")) == (["key3"], ["key2", "key3"], ["key3"])
    store.delete("key3")
    assert (keys("foo"), keys("bar"), keys("baz")) == ([], ["key2"], [])


def test_add_indexers_indexes_existing_items_and_rejects_conflicts() -> None:
    store = Indexer(meta_namespace_key)
    store.add(pod("a", "ns1"))
    store.add(pod("b", "ns2"))
    store.add_indexers({"namespace": meta_namespace_index_func})
    assert [o["metadata"]["name"] for o in store.by_index("namespace", "ns2")] == ["b"]
    with pytest.raises(ValueError, match="indexer conflict"):
        store.add_indexers({"namespace": meta_namespace_index_func})
    assert set(store.get_indexers()) == {"namespace"}


# ---- a lister-watcher over the etcd model --------------------------------------------------------------------------


class EtcdListerWatcher:
    """What the API server will do for an informer, cut down: list and watch ``/registry/<resource>/`` in an etcd
    Store, with ``resourceVersion`` = the key's mod revision, ``410 Expired`` for a compacted watch start, and a
    switchable network partition (watches close, requests fail with ConnectionError)."""

    def __init__(self, store: Store, resource: str) -> None:
        self.store = store
        self.prefix = f"/registry/{resource}/"
        self.partitioned = False
        self.watches: list[tuple[Any, Callable[[str, Any], None]]] = []

    @staticmethod
    def decode(value: bytes, revision: int) -> dict[str, Any]:
        obj = json.loads(value)
        obj["metadata"]["resourceVersion"] = str(revision)
        return obj

    def list(self) -> tuple[list[dict[str, Any]], str]:
        if self.partitioned:
            raise ConnectionError("dial tcp: connect: connection refused")
        result = self.store.range(self.prefix)
        return [self.decode(kv.value, kv.mod_revision) for kv in result.kvs], str(result.revision)

    def watch(self, resource_version: str, callback: Callable[[str, Any], None]) -> Any:
        if self.partitioned:
            raise ConnectionError("dial tcp: connect: connection refused")

        def deliver(events: list[Any]) -> None:
            for e in events:
                if e.type == EventType.PUT:
                    callback("ADDED" if e.kv.version == 1 else "MODIFIED", self.decode(e.kv.value, e.kv.mod_revision))
                elif e.prev_kv is not None:  # the last state, with the deletion's revision
                    callback("DELETED", self.decode(e.prev_kv.value, e.kv.mod_revision))
                else:  # compacted away at the watch's start: the API server's etcd3 watcher sends an error
                    callback("ERROR", {"kind": "Status", "code": 500, "message": "etcd event received with PrevKv=nil"})
                    return

        try:
            watcher = self.store.watch(self.prefix, int(resource_version) + 1, callback=deliver)
        except CompactedError as err:
            raise Expired(f"too old resource version: {resource_version} ({err.compact_revision})") from None
        self.watches.append((watcher, callback))
        return _Handle(watcher)

    def partition(self) -> None:
        self.partitioned = True
        for watcher, callback in self.watches:
            if not watcher.cancelled:
                watcher.cancel()
                callback("CLOSED", None)

    def heal(self) -> None:
        self.partitioned = False


class _Handle:
    def __init__(self, watcher: Any) -> None:
        self.watcher = watcher

    def stop(self) -> None:
        self.watcher.cancel()


def put_pod(store: Store, name: str, namespace: str = "default", **labels: str) -> int:
    obj = pod(name, namespace, labels=labels) if labels else pod(name, namespace)
    return store.put(f"/registry/pods/{namespace}/{name}", json.dumps(obj).encode())


def delete_pod(store: Store, name: str, namespace: str = "default") -> None:
    store.delete(f"/registry/pods/{namespace}/{name}")


class Recorder:
    """Handlers that note what they were told, as (event, key, resourceVersion) tuples."""

    def __init__(self, informer: Informer) -> None:
        self.seen: list[tuple[Any, ...]] = []
        informer.add_event_handler(on_add=self.add, on_update=self.update, on_delete=self.delete)

    @staticmethod
    def _rv(obj: Any) -> str:
        return obj["metadata"]["resourceVersion"]

    def add(self, obj: Any) -> None:
        self.seen.append(("add", meta_namespace_key(obj), self._rv(obj)))

    def update(self, old: Any, new: Any) -> None:
        self.seen.append(("update", meta_namespace_key(new), self._rv(old), self._rv(new)))

    def delete(self, obj: Any) -> None:
        if isinstance(obj, DeletedFinalStateUnknown):
            self.seen.append(("delete-unknown", obj.key, self._rv(obj.obj)))
        else:
            self.seen.append(("delete", meta_namespace_key(obj), self._rv(obj)))

    def take(self) -> list[tuple[Any, ...]]:
        seen, self.seen = self.seen, []
        return seen


def make_informer(**kwargs: Any) -> tuple[Simulation, Store, EtcdListerWatcher, Informer, Recorder]:
    sim = Simulation(seed=kwargs.pop("seed", 0))
    store = Store()
    lw = EtcdListerWatcher(store, "pods")
    informer = Informer(sim, lw, name="pods", **kwargs)
    return sim, store, lw, informer, Recorder(informer)


# ---- the informer ------------------------------------------------------------------------------------------------


def test_informer_lists_then_watches() -> None:
    sim, store, _, informer, rec = make_informer()
    put_pod(store, "a")  # revision 2
    put_pod(store, "b", "kube-system")  # 3
    assert not informer.has_synced()
    informer.start()
    assert informer.has_synced() and informer.list_count == 1
    assert rec.take() == [("add", "default/a", "2"), ("add", "kube-system/b", "3")]
    assert informer.last_sync_resource_version == "3"

    put_pod(store, "c")  # 4
    put_pod(store, "a", app="web")  # 5
    delete_pod(store, "b", "kube-system")  # 6
    delete_pod(store, "nope")  # not there: no revision, no event
    assert rec.take() == [
        ("add", "default/c", "4"),
        ("update", "default/a", "2", "5"),
        ("delete", "kube-system/b", "6"),  # the last state, at the deletion's resourceVersion
    ]
    assert informer.last_sync_resource_version == "6"
    assert sorted(informer.indexer.list_keys()) == ["default/a", "default/c"]
    assert informer.get("default/a")["metadata"]["labels"] == {"app": "web"}
    assert [o["metadata"]["name"] for o in informer.list("app=web")] == ["a"]
    assert [o["metadata"]["name"] for o in informer.list({"app": "web"}, namespace="default")] == ["a"]
    assert informer.list(parse_selector("app=db")) == []
    assert len(informer.list(namespace="default")) == 2 and informer.list(namespace="kube-system") == []
    assert [e for e in sim.events()["kind"]] == ["informer.list"]


def test_late_handler_gets_the_cache_replayed_as_adds() -> None:
    # sharedIndexInformer.AddEventHandlerWithOptions: a handler added after start gets an add per cached object
    _, store, _, informer, _ = make_informer()
    put_pod(store, "a")
    put_pod(store, "b")
    informer.start()
    late: list[str] = []
    handler = informer.add_event_handler(on_add=lambda o: late.append(meta_namespace_key(o)))
    assert late == ["default/a", "default/b"]
    informer.remove_event_handler(handler)
    put_pod(store, "c")
    assert late == ["default/a", "default/b"]


def test_resync_redelivers_every_object_as_an_update() -> None:
    sim, store, _, informer, rec = make_informer(resync_period="30s")
    put_pod(store, "a")
    put_pod(store, "b")
    informer.start()
    rec.take()
    sim.run(29)
    assert rec.take() == []
    sim.run(30)
    assert rec.take() == [("update", "default/a", "2", "2"), ("update", "default/b", "3", "3")]
    sim.run(60)
    assert len(rec.take()) == 2
    informer.stop()
    sim.run(600)
    assert rec.take() == []


def test_relist_after_compaction_delivers_the_diff() -> None:
    # A watch that cannot resume (410 Gone: its resourceVersion was compacted) makes the reflector list again;
    # objects deleted meanwhile come as DeletedFinalStateUnknown (DeltaFIFO.Replace).
    sim, store, lw, informer, rec = make_informer()
    for name in ("a", "b", "c"):
        put_pod(store, name)  # revisions 2, 3, 4
    informer.start()
    rec.take()

    lw.partition()  # the watch closes; re-watching fails with ConnectionError and backs off
    sim.run(5)
    delete_pod(store, "b")  # 5
    put_pod(store, "a", app="web")  # 6
    put_pod(store, "d")  # 7
    store.compact(store.revision)  # history before revision 7 is gone
    assert rec.take() == []  # nothing reaches a disconnected informer
    lw.heal()
    sim.run(120)

    assert informer.list_count == 2
    assert rec.take() == [
        ("update", "default/a", "2", "6"),
        ("update", "default/c", "4", "4"),  # unchanged: a relist hands every surviving object to on_update
        ("add", "default/d", "7"),
        ("delete-unknown", "default/b", "3"),  # the last state the informer saw
    ]
    assert informer.last_sync_resource_version == "7"
    kinds = sim.events()["kind"].tolist()
    assert kinds[0] == "informer.list" and kinds[-1] == "informer.list"
    assert "informer.watch_failed" in kinds and "informer.watch_expired" in kinds
    # It watches again after the relist.
    put_pod(store, "e")
    assert rec.take() == [("add", "default/e", "8")]


def test_watch_error_event_makes_the_informer_relist_after_a_backoff() -> None:
    sim, store, lw, informer, rec = make_informer()
    put_pod(store, "a")
    informer.start()
    rec.take()
    (_, callback) = lw.watches[-1]
    callback("ERROR", Expired("too old resource version: 2 (5)").status())
    assert is_expired(Expired().status())
    delete_pod(store, "a")  # missed: the watch is over
    assert rec.take() == []
    sim.run(0.79)
    assert informer.list_count == 1  # the first backoff is 0.8 s to 1.6 s
    sim.run(1.6)
    assert informer.list_count == 2
    assert rec.take() == [("delete-unknown", "default/a", "2")]
    error = sim.events("informer.watch_expired")
    assert error["error"].tolist() == ["too old resource version: 2 (5)"]


def test_closed_watch_resumes_from_the_last_resource_version_without_a_list() -> None:
    sim, store, lw, informer, rec = make_informer()
    put_pod(store, "a")
    informer.start()
    watcher, callback = lw.watches[-1]
    watcher.cancel()
    callback("CLOSED", None)
    put_pod(store, "b")  # written before the informer reopens its watch: replayed from history
    sim.run()
    assert rec.take() == [("add", "default/a", "2"), ("add", "default/b", "3")]
    assert informer.list_count == 1 and len(lw.watches) == 2


def test_list_failures_back_off_exponentially() -> None:
    # NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0): 0.8 s, 1.6 s, 3.2 s, ... each with up to +100%
    sim, _, lw, informer, _ = make_informer(seed=5)
    lw.partitioned = True
    informer.start()
    assert not informer.has_synced()
    sim.run(300)
    attempts = sim.events("informer.list_failed")["time"].tolist()
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    bases = [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30.0, 30.0]
    for gap, base in zip(gaps, bases, strict=False):
        assert base <= gap <= 2 * base
    lw.heal()
    sim.run(400)
    assert informer.has_synced()


def test_stop_ends_the_watch() -> None:
    _, store, _, informer, rec = make_informer()
    informer.start()
    informer.stop()
    put_pod(store, "a")
    assert rec.take() == []


def test_custom_key_func_and_indexers() -> None:
    def by_node(obj: Any) -> list[str]:
        return [obj["metadata"].get("labels", {}).get("node", "")]

    sim = Simulation()
    store = Store()
    informer = Informer(
        sim, EtcdListerWatcher(store, "pods"), key_func=lambda o: o["metadata"]["name"], indexers={"by_node": by_node}
    )
    put_pod(store, "a", node="n1")
    put_pod(store, "b", node="n2")
    informer.start()
    assert informer.indexer.list_keys() == ["a", "b"]
    assert [o["metadata"]["name"] for o in informer.indexer.by_index("by_node", "n2")] == ["b"]
    deleted: list[Any] = []
    informer.add_event_handler(on_delete=deleted.append)
    delete_pod(store, "a")
    assert informer.indexer.by_index("by_node", "n1") == [] and len(deleted) == 1


def test_enqueue_on_change_feeds_a_controller_loop() -> None:
    # The controller pattern: informer handlers queue keys, workers reconcile, level-triggered.
    sim, store, lw, informer, _ = make_informer(resync_period="1m")
    queue = WorkQueue(sim, "pods")
    enqueue_on_change(informer, queue)
    reconciled: list[tuple[float, str, bool]] = []

    def worker():
        while True:
            key = yield queue.get_event()
            if key is None:
                return
            reconciled.append((sim.now, key, informer.get(key) is not None))
            yield sim.env.timeout(0.01)
            queue.forget(key)
            queue.done(key)

    sim.process(worker())
    put_pod(store, "a")
    informer.start()
    sim.run(1)
    put_pod(store, "b")
    sim.run(2)
    lw.partition()
    delete_pod(store, "b")
    put_pod(store, "c", "other")
    store.compact(store.revision)
    lw.heal()
    sim.run(59)
    assert [(key, exists) for _, key, exists in reconciled] == [
        ("default/a", True),
        ("default/b", True),
        ("default/a", True),  # the relist's update
        ("other/c", True),
        ("default/b", False),  # the relist's DeletedFinalStateUnknown queues its key
    ]
    sim.run(61)  # the resync at 60 s queues every cached object again
    assert [(t, key) for t, key, _ in reconciled[5:]] == [(60.0, "default/a"), (60.01, "other/c")]
    queue.shutdown()
    informer.stop()
    sim.run()


def test_informer_runs_are_deterministic() -> None:
    def scenario(seed: int) -> str:
        sim, store, lw, informer, rec = make_informer(seed=seed, resync_period=10)
        informer.start()
        for i in range(5):
            sim.call_at(i, put_pod, store, f"p{i}")
        sim.call_at(6, lw.partition)
        sim.call_at(7, delete_pod, store, "p1")
        sim.call_at(8, lambda: store.compact(store.revision))
        sim.call_at(9, lw.heal)
        sim.run(100)
        log = sim.events().to_csv(index=False)
        return log + repr(rec.take())

    assert scenario(1) == scenario(1)
    assert scenario(1) != scenario(2)  # the backoff jitter comes from the seed
