"""Tests for k8smodel.etcd, ported from etcd's own unit tests where one exists.

Upstream files (github.com/etcd-io/etcd, server/storage/mvcc/): kv_test.go, kvstore_test.go, key_index_test.go,
watchable_store_test.go. Revisions differ from a table only where the upstream test sets up state differently;
each test names the upstream test it follows. The final property test checks the store against a plain
dict-of-states oracle.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.etcd import (
    CompactedError,
    Compare,
    DeleteResponse,
    EtcdError,
    Event,
    EventType,
    FutureRevisionError,
    KeyValue,
    Op,
    PutResponse,
    RangeResult,
    Store,
)


def kv(key: str, value: bytes, create: int, mod: int, version: int) -> KeyValue:
    return KeyValue(key, value, create, mod, version)


def put3(store: Store) -> list[KeyValue]:
    """kv_test.go put3TestKVs."""
    store.put("foo", b"bar")
    store.put("foo1", b"bar1")
    store.put("foo2", b"bar2")
    return [kv("foo", b"bar", 2, 2, 1), kv("foo1", b"bar1", 3, 3, 1), kv("foo2", b"bar2", 4, 4, 1)]


# ---- revisions and versions ----------------------------------------------------------------------------------


def test_fresh_store_is_at_revision_one_and_first_put_gets_two() -> None:
    # kvstore.go NewStore: currentRev 1; kvstore_test.go TestStoreRev
    store = Store()
    assert store.revision == 1
    assert store.compact_revision == -1
    for i in range(1, 4):
        store.put("foo", b"bar")
        assert store.revision == i + 1


def test_put_multiple_times_keeps_create_revision_and_counts_versions() -> None:
    # kv_test.go TestKVPutMultipleTimes
    store = Store()
    for i in range(10):
        base = i + 1
        assert store.put("foo", b"bar") == base + 1
        assert store.range("foo").kvs == [kv("foo", b"bar", 2, base + 1, base)]


def test_put_and_delete_in_sequence_start_new_generations() -> None:
    # kv_test.go TestKVOperationInSequence
    store = Store()
    for i in range(10):
        base = i * 2 + 1
        assert store.put("foo", b"bar") == base + 1
        result = store.range("foo", revision=base + 1)
        assert result.kvs == [kv("foo", b"bar", base + 1, base + 1, 1)]
        assert result.revision == base + 1
        assert store.delete("foo") == (base + 2, 1)
        result = store.range("foo", revision=base + 2)
        assert result.kvs == []
        assert result.revision == base + 2


def test_delete_of_missing_key_does_not_bump_revision() -> None:
    # kv_test.go TestKVDeleteMultipleTimes
    store = Store()
    store.put("foo", b"bar")
    assert store.delete("foo") == (3, 1)
    for _ in range(10):
        assert store.delete("foo") == (3, 0)
    assert store.delete_prefix("nothing/") == (3, 0)


def test_put_returns_previous_version_when_asked() -> None:
    store = Store()
    assert store.put("k", b"1", prev_kv=True) == (2, None)
    assert store.put("k", b"2", prev_kv=True) == (3, kv("k", b"1", 2, 2, 1))
    store.delete("k")
    assert store.put("k", b"3", prev_kv=True) == (5, None)  # a tombstone is not a previous value


@pytest.mark.parametrize(
    ("prefix", "wrev", "wdeleted"),
    [("foo", 5, 3), ("foo1", 5, 1), ("foo2", 5, 1), ("foo3", 4, 0), ("", 5, 3)],
)
def test_delete_prefix(prefix: str, wrev: int, wdeleted: int) -> None:
    # kv_test.go TestKVDeleteRange, with prefixes in place of [key, end) ranges
    store = Store()
    put3(store)
    assert store.delete_prefix(prefix) == (wrev, wdeleted)


# ---- reads at a revision -------------------------------------------------------------------------------------


def test_range_by_prefix() -> None:
    # kv_test.go TestKVRange
    store = Store()
    kvs = put3(store)
    assert store.range("doo").kvs == []
    assert store.range("foo").kvs == kvs
    assert store.range("foo1").kvs == kvs[1:2]
    assert store.range("").kvs == kvs
    assert store.range("foo").revision == 4
    assert store.get("foo") == kvs[0]
    assert store.get("doo") is None


def test_range_at_past_revisions() -> None:
    # kv_test.go TestKVRangeRev: revision <= 0 means the latest, as in etcd
    store = Store()
    kvs = put3(store)
    for rev, want in [(-1, kvs), (0, kvs), (2, kvs[:1]), (3, kvs[:2]), (4, kvs)]:
        result = store.range("foo", revision=rev)
        assert result.kvs == want
        assert result.revision == 4  # the header revision, not the revision read at


def test_range_at_compacted_or_future_revision() -> None:
    # kv_test.go TestKVRangeBadRev
    store = Store()
    put3(store)
    store.compact(4)
    for rev, error in [
        (-1, None),
        (0, None),
        (1, CompactedError),
        (2, CompactedError),
        (4, None),
        (5, FutureRevisionError),
        (100, FutureRevisionError),
    ]:
        if error is None:
            store.range("foo", revision=rev)
            store.get("foo", revision=rev)
        else:
            with pytest.raises(error):
                store.range("foo", revision=rev)
            with pytest.raises(error):
                store.get("foo", revision=rev)
    with pytest.raises(CompactedError) as info:
        store.get("foo", 1)
    assert str(info.value) == "mvcc: required revision has been compacted"
    assert info.value.compact_revision == 4
    with pytest.raises(FutureRevisionError) as future:
        store.get("foo", 5)
    assert str(future.value) == "mvcc: required revision is a future revision"
    assert future.value.current_revision == 4
    assert isinstance(info.value, EtcdError)


def test_range_limit_counts_all_matches() -> None:
    # kv_test.go TestKVRangeLimit: limit <= 0 means no limit
    store = Store()
    kvs = put3(store)
    for limit, want in [(-1, kvs), (0, kvs), (1, kvs[:1]), (2, kvs[:2]), (3, kvs), (100, kvs)]:
        result = store.range("foo", limit=limit)
        assert result.kvs == want
        assert result.count == 3
        assert result.more == (len(want) < 3)
        assert result.revision == 4


def _generations_store() -> Store:
    """The history of key_index_test.go newTestKeyIndex, built through the store.

    foo: put 2, put 4, delete 6 | put 8, put 10, delete 12 | put 14, put 15 (sub-revision 1), delete 16.
    Other revisions write "x", so foo's revisions match the upstream table exactly; revision 17 exists so
    that compact(17) is not a future revision.
    """
    store = Store()
    for rev in range(2, 18):
        if rev in (2, 4, 8, 10, 14):
            store.put("foo", b"v%d" % rev)
        elif rev in (6, 12, 16):
            store.delete("foo")
        elif rev == 15:
            store.txn(success=[Op.put("x", b"x"), Op.put("foo", b"v15")])  # foo is change 15.1
        else:
            store.put("x", b"x")
        assert store.revision == rev
    return store


def test_get_across_generations() -> None:
    # key_index_test.go TestKeyIndexGet (after compact(4)): (mod_revision, create_revision, version) or None
    store = _generations_store()
    store.compact(4)
    table = {
        17: None,
        16: None,
        15: (15, 14, 2),
        14: (14, 14, 1),
        13: None,
        12: None,
        11: (10, 8, 2),
        10: (10, 8, 2),
        9: (8, 8, 1),
        8: (8, 8, 1),
        7: None,
        6: None,
        5: (4, 2, 2),
        4: (4, 2, 2),
    }
    for rev, want in table.items():
        got = store.get("foo", rev)
        assert (None if got is None else (got.mod_revision, got.create_revision, got.version)) == want, rev
    for rev in (3, 2, 1):
        with pytest.raises(CompactedError):
            store.get("foo", rev)


def test_compaction_keeps_last_version_of_each_generation() -> None:
    # key_index_test.go TestKeyIndexCompactAndKeep (continuous compaction): foo's surviving revisions
    table = {
        1: [2, 4, 6, 8, 10, 12, 14, 15, 16],
        2: [2, 4, 6, 8, 10, 12, 14, 15, 16],
        3: [2, 4, 6, 8, 10, 12, 14, 15, 16],
        4: [4, 6, 8, 10, 12, 14, 15, 16],
        5: [4, 6, 8, 10, 12, 14, 15, 16],
        6: [6, 8, 10, 12, 14, 15, 16],
        7: [8, 10, 12, 14, 15, 16],
        8: [8, 10, 12, 14, 15, 16],
        9: [8, 10, 12, 14, 15, 16],
        10: [10, 12, 14, 15, 16],
        11: [10, 12, 14, 15, 16],
        12: [12, 14, 15, 16],
        13: [14, 15, 16],
        14: [14, 15, 16],
        15: [15, 16],
        16: [16],
        17: [],
    }
    store = _generations_store()
    full = _generations_store()  # never compacted: the answers every allowed read must still give
    for compact_at, revisions in table.items():
        store.compact(compact_at)
        kept = [v.mod_revision for v in store._history.get("foo", [])]
        assert kept == revisions, compact_at
        for rev in range(compact_at, 18):  # every read the compaction still allows is unchanged
            assert store.get("foo", rev) == full.get("foo", rev), (compact_at, rev)


def test_compact_reserves_last_value() -> None:
    # kv_test.go TestKVCompactReserveLastValue
    store = Store()
    store.put("foo", b"bar0")
    store.put("foo", b"bar1")
    store.delete("foo")
    store.put("foo", b"bar2")
    table = [
        (1, [kv("foo", b"bar0", 2, 2, 1)]),
        (2, [kv("foo", b"bar1", 2, 3, 2)]),
        (3, []),
        (4, [kv("foo", b"bar2", 5, 5, 1)]),
    ]
    for rev, want in table:
        store.compact(rev)
        assert store.range("foo", revision=rev + 1).kvs == want


def test_compact_bad_revisions() -> None:
    # kv_test.go TestKVCompactBad
    store = Store()
    for value in (b"bar0", b"bar1", b"bar2"):
        store.put("foo", value)
    for rev, error in [
        (0, None),
        (1, None),
        (1, CompactedError),
        (4, None),
        (5, FutureRevisionError),
        (100, FutureRevisionError),
    ]:
        if error is None:
            store.compact(rev)
            assert store.compact_revision == rev
        else:
            with pytest.raises(error):
                store.compact(rev)


# ---- transactions --------------------------------------------------------------------------------------------


def test_txn_compare_targets_and_operators() -> None:
    store = Store()
    store.put("k", b"b")  # rev 2
    store.put("k", b"c")  # rev 3: create 2, mod 3, version 2
    cases = [
        (Compare.mod_revision("k", "=", 3), True),
        (Compare.mod_revision("k", "!=", 3), False),
        (Compare.mod_revision("k", "<", 4), True),
        (Compare.mod_revision("k", ">", 3), False),
        (Compare.create_revision("k", "=", 2), True),
        (Compare.version("k", "=", 2), True),
        (Compare.version("k", ">", 1), True),
        (Compare.value("k", "=", b"c"), True),
        (Compare.value("k", "<", b"d"), True),
        (Compare.value("k", ">", b"ca"), False),
        # server/etcdserver/txn/txn.go applyCompare: an absent key compares as zero, except its value
        (Compare.mod_revision("absent", "=", 0), True),
        (Compare.create_revision("absent", "=", 0), True),
        (Compare.version("absent", "<", 1), True),
        (Compare.value("absent", "=", b""), False),
        (Compare.value("absent", "!=", b"x"), False),
    ]
    for compare, want in cases:
        assert store.txn([compare]).succeeded is want, compare
    assert store.txn([c for c, want in cases if want]).succeeded
    assert not store.txn([c for c, _ in cases]).succeeded
    assert store.revision == 3  # read-only transactions do not bump the revision


def test_txn_then_else_share_one_revision() -> None:
    store = Store()
    store.put("a", b"1")
    result = store.txn(
        [Compare.value("a", "=", b"1")],
        [Op.put("a", b"2", prev_kv=True), Op.put("b", b"1"), Op.get("a"), Op.range("", limit=1)],
        [Op.put("c", b"never")],
    )
    assert result.succeeded
    assert result.revision == 3 == store.revision
    assert result.responses == [
        PutResponse(3, kv("a", b"1", 2, 2, 1)),
        PutResponse(3, None),
        RangeResult([kv("a", b"2", 2, 3, 2)], 1, 3),  # reads in the txn see its earlier writes
        RangeResult([kv("a", b"2", 2, 3, 2)], 2, 3),
    ]
    assert store.get("c") is None

    result = store.txn([Compare.value("a", "=", b"1")], [Op.put("c", b"never")], [Op.delete("b", prev_kv=True)])
    assert not result.succeeded
    assert result.responses == [DeleteResponse(4, 1, [kv("b", b"1", 3, 3, 1)])]
    assert store.get("b") is None

    result = store.txn([Compare.version("a", "=", 99)], [], [])
    assert (result.succeeded, result.revision, result.responses) == (False, 4, [])


def test_txn_operation_in_sequence() -> None:
    # kv_test.go TestKVTxnOperationInSequence puts, reads, deletes and reads one key in a single mvcc write
    # transaction. etcd's gRPC layer (checkIntervals) refuses a put and a delete of one key in one request,
    # so here the put and the delete go in two transactions, each followed by a read in the same txn.
    store = Store()
    for i in range(10):
        base = i * 2 + 1
        put, got = store.txn(success=[Op.put("foo", b"bar"), Op.get("foo")]).responses
        assert put == PutResponse(base + 1, None)
        assert got == RangeResult([kv("foo", b"bar", base + 1, base + 1, 1)], 1, base + 1)
        deleted, gone = store.txn(success=[Op.delete("foo"), Op.get("foo")]).responses
        assert deleted == DeleteResponse(base + 2, 1, [])
        assert gone == RangeResult([], 0, base + 2)
        assert store.revision == base + 2


def test_txn_read_revisions_are_checked_before_any_write() -> None:
    store = Store()
    put3(store)
    store.compact(3)
    with pytest.raises(CompactedError):
        store.txn(success=[Op.put("new", b"x"), Op.get("foo", revision=2)])
    with pytest.raises(FutureRevisionError):
        store.txn(success=[Op.put("new", b"x"), Op.range("foo", revision=5)])
    assert store.get("new") is None
    assert store.revision == 4
    assert store.txn(success=[Op.get("foo", revision=3)]).responses[0].kvs == [kv("foo", b"bar", 2, 2, 1)]


def test_txn_rejects_duplicate_keys() -> None:
    # server/etcdserver/api/v3rpc/key.go checkIntervals
    store = Store()
    store.put("a/1", b"x")
    bad = [
        [Op.put("a/1", b"1"), Op.put("a/1", b"2")],
        [Op.put("a/1", b"1"), Op.delete("a/1")],
        [Op.delete_prefix("a/"), Op.put("a/2", b"2")],
    ]
    for ops in bad:
        for result in ({"success": ops}, {"failure": ops}):  # both branches are checked
            with pytest.raises(ValueError, match="duplicate key given in txn request"):
                store.txn(**result)
    assert store.revision == 2
    # overlapping deletes are allowed; the second finds nothing left to delete
    result = store.txn(success=[Op.delete_prefix("a/"), Op.delete("a/1")])
    assert [r.deleted for r in result.responses] == [1, 0]  # type: ignore[union-attr]
    assert store.revision == 3


def test_apiserver_create_is_a_txn_on_an_absent_key() -> None:
    # apiserver/pkg/storage/etcd3/store.go Create: If(notFound(key)) Then(OpPut), notFound = ModRevision == 0
    store = Store()
    key = "/registry/pods/default/web-0"

    def create(value: bytes) -> bool:
        return store.txn([Compare.mod_revision(key, "=", 0)], [Op.put(key, value)]).succeeded

    assert create(b"pod v1")
    assert store.get(key) == kv(key, b"pod v1", 2, 2, 1)  # resourceVersion "2"
    assert not create(b"another pod")  # AlreadyExists
    assert store.revision == 2
    # create_revision == 0 is the same test for an absent key
    assert store.txn([Compare.create_revision(key, "=", 0)]).succeeded is False
    store.delete(key)
    assert create(b"pod v2")
    assert store.get(key) == kv(key, b"pod v2", 4, 4, 1)


def test_apiserver_guaranteed_update_retries_on_conflict() -> None:
    # store.go GuaranteedUpdate: If(ModRevision == origState.rev) Then(OpPut) Else(OpGet), retry on failure
    store = Store()
    key = "/registry/deployments/default/web"
    store.put(key, b"replicas: 1")
    seen = store.get(key)
    assert seen is not None

    store.put(key, b"replicas: 2")  # another writer gets there first

    def update(orig: KeyValue, value: bytes):
        return store.txn([Compare.mod_revision(key, "=", orig.mod_revision)], [Op.put(key, value)], [Op.get(key)])

    result = update(seen, b"replicas: 5")
    assert not result.succeeded
    current = result.responses[0].kvs[0]  # type: ignore[union-attr]
    assert current == kv(key, b"replicas: 2", 2, 3, 2)
    result = update(current, b"replicas: 5")
    assert result.succeeded
    assert result.revision == 4
    assert store.get(key) == kv(key, b"replicas: 5", 2, 4, 3)

    # conditionalDelete: If(ModRevision == rev) Then(OpDelete) Else(OpGet)
    result = store.txn([Compare.mod_revision(key, "=", 4)], [Op.delete(key)], [Op.get(key)])
    assert result.succeeded
    assert store.get(key) is None


# ---- watch ---------------------------------------------------------------------------------------------------


def test_watchable_kv_watch() -> None:
    # kv_test.go TestWatchableKVWatch (the [foo, fop) range is the prefix "foo")
    store = Store()
    w = store.watch("foo")
    store.put("foo", b"bar")
    assert w.drain() == [Event(EventType.PUT, kv("foo", b"bar", 2, 2, 1), None)]
    store.put("foo1", b"bar1")
    assert [e.kv for e in w.drain()] == [kv("foo1", b"bar1", 3, 3, 1)]

    w2 = store.watch("foo1", start_revision=3)  # replays history from revision 3
    assert [e.kv for e in w2.drain()] == [kv("foo1", b"bar1", 3, 3, 1)]
    store.put("foo1", b"bar11")
    got = w2.drain()
    assert [e.kv for e in got] == [kv("foo1", b"bar11", 3, 4, 2)]
    assert got[0].prev_kv == kv("foo1", b"bar1", 3, 3, 1)
    assert got[0].revision == 4


def test_watch_replays_history_then_follows_live_changes() -> None:
    store = Store()
    store.put("/registry/pods/a", b"1")  # 2
    store.put("/registry/services/s", b"1")  # 3
    store.put("/registry/pods/b", b"1")  # 4
    store.delete("/registry/pods/a")  # 5
    w = store.watch("/registry/pods/", start_revision=3)
    store.put("/registry/pods/c", b"1")  # 6
    events = w.drain()
    assert [(e.type, e.kv.key, e.revision) for e in events] == [
        ("PUT", "/registry/pods/b", 4),
        ("DELETE", "/registry/pods/a", 5),
        ("PUT", "/registry/pods/c", 6),
    ]
    deleted = events[1]
    assert deleted.kv == kv("/registry/pods/a", b"", 0, 5, 0)  # a tombstone, as etcd sends it
    assert deleted.prev_kv == kv("/registry/pods/a", b"1", 2, 2, 1)
    assert w.drain() == []


def test_watch_compacted_revision() -> None:
    # watchable_store_test.go TestWatchCompacted
    store = Store()
    for _ in range(10):
        store.put("foo", b"bar")
    store.compact(5)
    with pytest.raises(CompactedError) as info:
        store.watch("foo", start_revision=4, prefix=False)
    assert info.value.compact_revision == 5
    # starting exactly at the compaction point still works; that revision's prev_kv is gone
    events = store.watch("foo", start_revision=5, prefix=False).drain()
    assert [e.revision for e in events] == list(range(5, 12))
    assert events[0].prev_kv is None
    assert events[1].prev_kv == kv("foo", b"bar", 2, 5, 4)


def test_watch_future_revision() -> None:
    # watchable_store_test.go TestWatchFutureRev
    store = Store()
    w = store.watch("foo", start_revision=10, prefix=False)
    for _ in range(10):
        if store.put("foo", b"bar") >= 10:
            break
    events = w.drain()
    assert len(events) == 1
    assert events[0].kv.mod_revision == 10


def test_watch_key_versus_prefix() -> None:
    store = Store()
    exact = store.watch("/registry/pods/default/web", prefix=False)
    pods = store.watch("/registry/pods/")
    no_slash = store.watch("/registry/pods")
    everything = store.watch("")
    store.put("/registry/pods/default/web", b"1")
    store.put("/registry/pods/default/web-1", b"1")
    store.put("/registry/podsecuritypolicy/p", b"1")  # why the API server lists "/registry/pods/"
    store.put("/registry/services/default/web", b"1")
    assert [e.kv.key for e in exact.drain()] == ["/registry/pods/default/web"]
    assert [e.kv.key for e in pods.drain()] == ["/registry/pods/default/web", "/registry/pods/default/web-1"]
    assert len(no_slash.drain()) == 3
    assert len(everything.drain()) == 4


def test_multiple_watchers_get_only_their_events() -> None:
    # watchable_store_test.go TestNewMapwatcherToEventMap
    store = Store()
    w0, w1, w2, w1b = (store.watch(k, prefix=False) for k in ("foo0", "foo1", "foo2", "foo1"))
    store.txn(success=[Op.put("foo0", b"bar0"), Op.put("foo1", b"bar1")])
    assert [e.kv.value for e in w0.drain()] == [b"bar0"]
    assert [e.kv.value for e in w1.drain()] == [b"bar1"]
    assert [e.kv.value for e in w1b.drain()] == [b"bar1"]
    assert w2.drain() == []


def test_cancel_stops_delivery() -> None:
    # watchable_store_test.go TestNewWatcherCancel
    store = Store()
    w = store.watch("foo", prefix=False)
    store.put("foo", b"1")
    w.cancel()
    w.cancel()  # cancelling twice is harmless
    store.put("foo", b"2")
    assert w.cancelled
    assert [e.kv.value for e in w.drain()] == [b"1"]  # what arrived before cancel can still be drained
    assert store._watcher_count == 0
    assert store._key_watchers == {}


def test_callbacks_get_one_batch_per_revision_in_order() -> None:
    store = Store()
    store.put("/a/1", b"x")  # 2
    store.txn(success=[Op.put("/a/2", b"x"), Op.put("/a/3", b"x")])  # 3
    batches: list[list[Event]] = []
    store.watch("/a/", start_revision=2, callback=batches.append)
    assert [[e.kv.key for e in batch] for batch in batches] == [["/a/1"], ["/a/2", "/a/3"]]
    store.delete_prefix("/a/")  # 4: three deletes, one revision
    assert [e.type for e in batches[-1]] == ["DELETE"] * 3
    assert {e.revision for e in batches[-1]} == {4}


def test_callback_that_writes_keeps_every_watcher_in_revision_order() -> None:
    store = Store()
    seen: dict[str, list[int]] = {"first": [], "second": []}

    def first(events: list[Event]) -> None:
        seen["first"].append(events[0].revision)
        if events[0].kv.key == "/in":
            store.put("/out", b"reaction")  # a controller reacting to a change

    store.watch("/", callback=first)
    store.watch("/", callback=lambda events: seen["second"].append(events[0].revision))
    store.put("/in", b"x")
    assert seen == {"first": [2, 3], "second": [2, 3]}


def test_callback_error_reaches_writer_after_commit() -> None:
    store = Store()
    got: list[int] = []

    def broken(events: list[Event]) -> None:
        raise RuntimeError("controller bug")

    store.watch("k", prefix=False, callback=broken)
    store.watch("k", prefix=False, callback=lambda events: got.append(events[0].revision))
    with pytest.raises(RuntimeError, match="controller bug"):
        store.put("k", b"v")
    assert store.get("k") is not None  # the write committed
    assert got == [2]  # and the other watcher still heard of it


# ---- snapshot and restore ------------------------------------------------------------------------------------


def _read_all(store: Store) -> list[object]:
    """kv_test.go TestKVRestore: range every key at revisions 0..9, errors included."""
    out: list[object] = []
    for rev in range(10):
        try:
            out.append(store.range("", revision=rev).kvs)
        except EtcdError as err:
            out.append(type(err).__name__)
    return out


def _restore_case_0(store: Store) -> None:
    for value in (b"bar0", b"bar1", b"bar2"):
        store.put("foo", value)
    store.put("foo2", b"bar0")


def _restore_case_1(store: Store) -> None:
    store.put("foo", b"bar0")
    store.delete("foo")
    store.put("foo", b"bar1")


def _restore_case_2(store: Store) -> None:
    store.put("foo", b"bar0")
    store.put("foo", b"bar1")
    store.compact(1)


def _restore_case_3(store: Store) -> None:
    # after compaction and restore, foo1 only has its tombstone revision
    for i in range(1, 6):
        store.put(f"foo{i}", b"bar%d" % i)
    rev, _ = store.delete("foo1")
    assert rev == 7
    store.compact(rev)


@pytest.mark.parametrize("scenario", [_restore_case_0, _restore_case_1, _restore_case_2, _restore_case_3])
def test_snapshot_restore_gives_the_same_history(scenario, tmp_path: Path) -> None:
    # kv_test.go TestKVRestore
    store = Store()
    scenario(store)
    path = tmp_path / "snap.jsonl"
    assert store.snapshot(path) == store.revision
    restored = Store.restore(path)
    assert _read_all(restored) == _read_all(store)
    assert (restored.revision, restored.compact_revision) == (store.revision, store.compact_revision)
    assert restored._history == store._history  # the same surviving versions, metadata included
    assert restored._log == store._log


def test_snapshot_restore_then_watch_replays(tmp_path: Path) -> None:
    # kv_test.go TestKVSnapshot, plus a watch from after the compaction point on the restored store
    store = Store()
    kvs = put3(store)
    store.put("foo", b"bar-2")  # 5
    store.delete("foo1")  # 6
    store.compact(5)
    store.snapshot(tmp_path / "snap")
    restored = Store.restore(tmp_path / "snap")
    assert restored.range("").kvs == [kv("foo", b"bar-2", 2, 5, 2), kvs[2]]
    assert restored.range("").revision == 6
    assert restored.compact_revision == 5
    with pytest.raises(CompactedError):
        restored.get("foo", 4)
    events = restored.watch("", start_revision=5).drain()
    assert [(e.type, e.kv.key, e.revision) for e in events] == [("PUT", "foo", 5), ("DELETE", "foo1", 6)]
    assert events == store.watch("", start_revision=5).drain()
    assert restored.put("foo3", b"new") == 7  # and the restored store carries on


def test_snapshot_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    def build() -> Store:
        store = Store()
        store.put("/registry/pods/ns/ü", bytes(range(256)))
        store.put("/registry/pods/ns/b", b"\n\x00")
        store.txn(success=[Op.put("/registry/a", b""), Op.delete("/registry/pods/ns/b")])
        store.compact(3)
        return store

    build().snapshot(tmp_path / "one")
    build().snapshot(tmp_path / "two")
    assert (tmp_path / "one").read_bytes() == (tmp_path / "two").read_bytes()
    Store.restore(tmp_path / "one").snapshot(tmp_path / "three")
    assert (tmp_path / "three").read_bytes() == (tmp_path / "one").read_bytes()
    assert Store.restore(tmp_path / "one").get("/registry/pods/ns/ü") == kv(
        "/registry/pods/ns/ü", bytes(range(256)), 2, 2, 1
    )


def test_restore_rejects_damaged_or_foreign_files(tmp_path: Path) -> None:
    store = Store()
    put3(store)
    path = tmp_path / "snap"
    store.snapshot(path)
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("foo", "fox")
    (tmp_path / "damaged").write_text("".join(lines))
    with pytest.raises(ValueError, match="integrity check failed"):
        Store.restore(tmp_path / "damaged")
    (tmp_path / "foreign").write_text("hello\n")
    with pytest.raises(ValueError, match="not a k8smodel-etcd-snapshot file"):
        Store.restore(tmp_path / "foreign")


def test_restore_rejects_truncated_file(tmp_path: Path) -> None:
    store = Store()
    store.put("k", b"a value that gets cut")
    path = tmp_path / "snap"
    store.snapshot(path)
    data = path.read_bytes()
    (tmp_path / "cut").write_bytes(data[: data.index(b"gets")])
    with pytest.raises(ValueError, match="truncated"):
        Store.restore(tmp_path / "cut")


def test_prefix_bounds() -> None:
    store = Store()
    last = chr(0x10FFFF)
    for key in ("a", "ab", "ab/1", "abc", "ac", "b", f"a{last}", f"a{last}x", "b"):
        store.put(key, b"")
    assert [kv.key for kv in store.range("ab").kvs] == ["ab", "ab/1", "abc"]
    assert [kv.key for kv in store.range("a").kvs] == ["a", "ab", "ab/1", "abc", "ac", f"a{last}", f"a{last}x"]
    assert [kv.key for kv in store.range(f"a{last}").kvs] == [f"a{last}", f"a{last}x"]
    assert store.range("abd").kvs == []
    assert store.delete_prefix(f"a{last}") == (store.revision, 2)


# ---- bad arguments -------------------------------------------------------------------------------------------


def test_bad_arguments_raise_value_error() -> None:
    store = Store()
    with pytest.raises(ValueError, match="key is not provided"):
        store.put("", b"x")
    with pytest.raises(ValueError, match="must be bytes, got str"):
        store.put("k", "a string")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="must be a str"):
        store.get(b"k")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="key is not provided"):
        store.watch("", prefix=False)
    with pytest.raises(ValueError):
        store.watch("k", start_revision=-1)
    with pytest.raises(ValueError, match="operator"):
        Compare.version("k", "==", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs bytes"):
        Compare.value("k", "=", "v")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs an int"):
        Compare.mod_revision("k", "=", b"1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be bytes"):
        Op.put("k", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Op objects"):
        store.txn(success=[("put", "k", b"v")])  # type: ignore[list-item]
    assert store.revision == 1


# ---- property test against an oracle -------------------------------------------------------------------------

KEYS = ["a", "a/b", "a/c", "b", "b/a"]
PREFIXES = ["", "a", "a/", "b", "c"]


class Oracle:
    """The store's meaning, spelled out: the whole key -> KeyValue map after every revision, plus the
    list of events. Compaction only forbids reads before the compaction point; it changes no answer."""

    def __init__(self) -> None:
        self.rev = 1
        self.compact = -1
        self.states: dict[int, dict[str, KeyValue]] = {1: {}}
        self.events: list[Event] = []

    def apply(self, ops: list[tuple], rev: int, state: dict[str, KeyValue], out: list[Event]) -> list:
        responses: list = []
        for op in ops:
            if op[0] == "put":
                _, key, value = op
                prev = state.get(key)
                new = KeyValue(key, value, prev.create_revision if prev else rev, rev, prev.version + 1 if prev else 1)
                state[key] = new
                out.append(Event(EventType.PUT, new, prev))
            elif op[0] in ("delete", "delete_prefix"):
                hit = [op[1]] if op[0] == "delete" else [k for k in sorted(state) if k.startswith(op[1])]
                for key in hit:
                    if key in state:
                        out.append(Event(EventType.DELETE, KeyValue(key, b"", 0, rev, 0), state.pop(key)))
            else:
                responses.append(state.get(op[1]))
        return responses

    def commit(self, events: list[Event], state: dict[str, KeyValue]) -> None:
        if events:
            self.rev += 1
            self.states[self.rev] = state
            self.events.extend(events)


def _duplicate(ops: list[tuple]) -> bool:
    puts = [op[1] for op in ops if op[0] == "put"]
    dels = {op[1] for op in ops if op[0] == "delete"}
    prefixes = [op[1] for op in ops if op[0] == "delete_prefix"]
    return len(puts) != len(set(puts)) or any(k in dels or any(k.startswith(p) for p in prefixes) for k in puts)


def _to_op(op: tuple) -> Op:
    if op[0] == "put":
        return Op.put(op[1], op[2])
    if op[0] == "delete":
        return Op.delete(op[1])
    if op[0] == "delete_prefix":
        return Op.delete_prefix(op[1])
    return Op.get(op[1])


keys_st = st.sampled_from(KEYS)
values_st = st.binary(max_size=2)
branch_op_st = st.one_of(
    st.tuples(st.just("put"), keys_st, values_st),
    st.tuples(st.just("delete"), keys_st),
    st.tuples(st.just("delete_prefix"), st.sampled_from(["", "a", "a/", "b"])),
    st.tuples(st.just("get"), keys_st),
)
compare_st = st.tuples(
    st.sampled_from(["mod_revision", "create_revision", "version", "value"]),
    keys_st,
    st.sampled_from(["=", "!=", "<", ">"]),
    st.one_of(st.integers(0, 8), st.just("current")),
)
op_st = st.one_of(
    st.tuples(st.just("put"), keys_st, values_st),
    st.tuples(st.just("delete"), keys_st),
    st.tuples(st.just("delete_prefix"), st.sampled_from(["", "a", "a/", "b"])),
    st.tuples(
        st.just("txn"),
        st.lists(compare_st, max_size=2),
        st.lists(branch_op_st, max_size=3),
        st.lists(branch_op_st, max_size=3),
    ),
    st.tuples(st.just("compact"), st.integers(0, 100)),
)


def _compare(spec: tuple, state: dict[str, KeyValue]) -> Compare:
    target, key, operator, operand = spec
    current = state.get(key)
    if target == "value":
        if operand == "current":
            return Compare.value(key, operator, current.value if current else b"")
        return Compare.value(key, operator, bytes([operand % 3]))
    if operand == "current":
        operand = getattr(current, target) if current else 0
    return Compare(target, key, operator, operand)


def _holds(compare: Compare, state: dict[str, KeyValue]) -> bool:
    current = state.get(compare.key)
    if current is None and compare.target == "value":
        return False
    actual = getattr(current, compare.target) if current else 0
    return {
        "=": actual == compare.operand,
        "!=": actual != compare.operand,
        "<": actual < compare.operand,
        ">": actual > compare.operand,
    }[compare.operator]


def _check(store: Store, oracle: Oracle, live: list[Event] | None) -> None:
    assert (store.revision, store.compact_revision) == (oracle.rev, oracle.compact)
    for rev in range(1, oracle.rev + 1):
        if rev < oracle.compact:
            with pytest.raises(CompactedError):
                store.get("a", rev)
            with pytest.raises(CompactedError):
                store.range("", rev)
            continue
        state = oracle.states[rev]
        for key in KEYS:
            assert store.get(key, rev) == state.get(key)
        for prefix in PREFIXES:
            result = store.range(prefix, rev)
            assert result.kvs == [state[k] for k in sorted(state) if k.startswith(prefix)]
            assert result.revision == oracle.rev
    with pytest.raises(FutureRevisionError):
        store.get("a", oracle.rev + 1)
    # a watcher from revision r sees exactly the oracle's changes from r on
    for start in range(max(oracle.compact, 1), oracle.rev + 2):
        watcher = store.watch("", start)
        got = watcher.drain()
        watcher.cancel()
        want = [e for e in oracle.events if e.revision >= start]
        assert [(e.type, e.kv) for e in got] == [(e.type, e.kv) for e in want]
        # prev_kv survives, except at exactly the compaction point (etcd reads it at revision - 1)
        assert [e.prev_kv for e in got] == [None if e.revision == oracle.compact else e.prev_kv for e in want]
    if oracle.compact > 1:
        with pytest.raises(CompactedError):
            store.watch("", oracle.compact - 1)
    if live is not None:
        assert live == oracle.events


@settings(max_examples=150, deadline=None)
@given(st.lists(op_st, max_size=25))
def test_store_agrees_with_oracle(ops: list[tuple]) -> None:
    store = Store()
    oracle = Oracle()
    everything = store.watch("")
    under_a: list[list[Event]] = []
    store.watch("a/", callback=under_a.append)
    key_b = store.watch("b", prefix=False)
    for op in ops:
        kind = op[0]
        if kind == "compact":
            low = oracle.compact + 1
            if low > oracle.rev:
                with pytest.raises(CompactedError):
                    store.compact(oracle.compact)
                continue
            target = low + op[1] * (oracle.rev - low) // 100
            store.compact(target)
            oracle.compact = target
            continue
        state = dict(oracle.states[oracle.rev])
        events: list[Event] = []
        if kind == "txn":
            _, compare_specs, then_ops, else_ops = op
            compares = [_compare(spec, state) for spec in compare_specs]
            if _duplicate(then_ops) or _duplicate(else_ops):
                with pytest.raises(ValueError, match="duplicate key"):
                    store.txn(compares, [_to_op(o) for o in then_ops], [_to_op(o) for o in else_ops])
                continue
            succeeded = all(_holds(c, state) for c in compares)
            result = store.txn(compares, [_to_op(o) for o in then_ops], [_to_op(o) for o in else_ops])
            assert result.succeeded == succeeded
            reads = oracle.apply(then_ops if succeeded else else_ops, oracle.rev + 1, state, events)
            got_reads = [r.kvs[0] if r.kvs else None for r in result.responses if isinstance(r, RangeResult)]
            assert got_reads == reads
        else:
            oracle.apply([op], oracle.rev + 1, state, events)
            if kind == "put":
                assert store.put(op[1], op[2]) == oracle.rev + 1
            elif kind == "delete":
                assert store.delete(op[1]) == (oracle.rev + (1 if events else 0), len(events))
            else:
                assert store.delete_prefix(op[1]) == (oracle.rev + (1 if events else 0), len(events))
        oracle.commit(events, state)

    _check(store, oracle, everything.drain())
    assert [e for batch in under_a for e in batch] == [e for e in oracle.events if e.kv.key.startswith("a/")]
    assert all(len({e.revision for e in batch}) == 1 for batch in under_a)
    assert key_b.drain() == [e for e in oracle.events if e.kv.key == "b"]

    with tempfile.TemporaryDirectory() as tmp:
        store.snapshot(Path(tmp) / "snap")
        _check(Store.restore(Path(tmp) / "snap"), oracle, None)
