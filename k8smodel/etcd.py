"""etcd: the multi-version key-value store that holds every object of the cluster.

Kubernetes keeps all of its state in etcd and nowhere else. The API server turns each object into bytes and
stores it under a key such as ``/registry/pods/default/web-0``; every other component reads objects back
through the API server, and learns about changes by *watching*. This module models the part of etcd that
Kubernetes depends on, the MVCC store of ``server/storage/mvcc`` (upstream: github.com/etcd-io/etcd).

Revisions
    The store has one global counter, the *revision*. A fresh store is at revision 1 (``NewStore`` in
    ``kvstore.go`` sets ``currentRev: 1``), so the first write gets revision 2. Every write transaction raises
    the revision by exactly one, however many keys it touches; all of its changes share that revision
    (``storeTxnWrite.End`` in ``kvstore_txn.go``). A transaction that changes nothing, such as deleting a key
    that does not exist, leaves the revision alone.

Per-key metadata (``api/mvccpb/kv.proto``)
    ``create_revision`` is the revision that created the key, ``mod_revision`` the revision of its last change
    and ``version`` the number of changes since it was created. Deleting a key ends its *generation*: a later
    put starts a new one, with a new ``create_revision`` and ``version`` back to 1 (``keyIndex`` in
    ``key_index.go``). Kubernetes shows ``mod_revision`` to users as an object's ``resourceVersion``.

History and compaction
    Nothing is overwritten: each change adds a new version, so the store can answer "what was this key at
    revision 7?". Compaction at revision *r* forgets versions that no read at *r* or later can see: for each
    key it keeps the last version at or before *r* (unless that version is a deletion older than *r*) and
    everything after it (``keyIndex.compact``). Reads and watches that start before *r* then fail with etcd's
    ``mvcc: required revision has been compacted``.

Watch
    A watcher names a key or a key prefix and a start revision. Changes already in history from that revision
    on are replayed first (what etcd's *unsynced* watcher group does in ``syncWatchers``,
    ``watchable_store.go``), then each new change is delivered as it commits (``notify``). This is how the
    API server's watch cache, and through it every informer, learns about changes.

Transactions
    ``txn`` evaluates comparisons on keys and then runs either the ``success`` or the ``failure`` operations,
    atomically (``server/etcdserver/txn/txn.go``). The API server builds optimistic concurrency on it
    (``staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go``): ``Create`` succeeds only if
    ``mod_revision == 0`` (the key is absent), and ``GuaranteedUpdate`` writes only if the key's
    ``mod_revision`` still equals the one it read, retrying otherwise.

How the model runs
    The store is synchronous and single-threaded: a discrete-event kernel drives the components on a
    simulated clock. Versions are kept as plain tuples (which Python's garbage collector stops tracking), and
    the ``KeyValue`` and ``Event`` records are made from them when a read or a watch hands them out; the change log
    keeps each change's new version only, the replaced one being the version before it in the key's history. The
    API server's compare-and-put (``Store._put_if``, ``_delete_if``) is ``txn`` without the request and response
    records, and a callback watcher may say which keys it would ignore, so that their changes skip it. A watcher
    collects its events in its own buffer at commit time (``Watcher.drain``) or
    has a callback invoked right after the commit with that revision's events. There is no wall clock and no
    randomness here, so the same calls always give the same revisions, events and snapshot bytes.

What the model leaves out
    * Raft and clustering: this is one member, always the leader; writes commit at once (no consensus
      latency, no leader election, no ``etcdserver: request timed out``).
    * Leases and TTLs (``KeyValue.lease``), authentication and RBAC, gRPC, and the limits of a real server
      (``--max-request-bytes`` 1.5 MiB, ``--max-txn-ops`` 128, ``--quota-backend-bytes``).
    * The bbolt backend, defragmentation and hashing. Compaction runs at once, not in background batches.
    * Ranges are by prefix only (no arbitrary ``[key, range_end)``); no sorting options, ``keys_only``,
      ``count_only`` or min/max revision filters; no nested transactions; no ``lease`` compare target.
    * Watch events always carry ``prev_kv`` (the API server always asks for it); no watch filters,
      progress notifications or fragmentation. A watcher never falls behind, so etcd's *victim* handling of
      slow watchers does not arise.
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from operator import itemgetter
from typing import Any, Literal, NamedTuple, overload

from mypy_extensions import mypyc_attr

# --------------------------------------------------------------------------------------------------------------
# Errors


class EtcdError(Exception):
    """Base class for the errors the store raises, with etcd's own messages."""


class CompactedError(EtcdError):
    """The requested revision is older than the compaction point (``ErrCompacted`` in ``kvstore.go``).

    ``compact_revision`` is the store's compaction revision, as etcd puts it in a ``WatchResponse``.
    """

    def __init__(self, compact_revision: int) -> None:
        super().__init__("mvcc: required revision has been compacted")
        self.compact_revision = compact_revision


class FutureRevisionError(EtcdError):
    """The requested revision has not happened yet (``ErrFutureRev`` in ``kvstore.go``).

    ``current_revision`` is the store's revision when the request was made.
    """

    def __init__(self, current_revision: int) -> None:
        super().__init__("mvcc: required revision is a future revision")
        self.current_revision = current_revision


# --------------------------------------------------------------------------------------------------------------
# Records the store returns


class KeyValue(NamedTuple):
    """One version of a key: etcd's ``mvccpb.KeyValue`` (``api/mvccpb/kv.proto``), without the lease.

    A deletion is recorded as a *tombstone*: ``value=b""``, ``create_revision=0``, ``version=0`` and
    ``mod_revision`` set to the revision of the deletion, which is what a ``DELETE`` event carries in etcd.
    """

    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int


class EventType(StrEnum):
    """``mvccpb.Event.EventType``: a key was put (created or updated) or deleted."""

    PUT = "PUT"
    DELETE = "DELETE"


class Event(NamedTuple):
    """A change delivered to watchers (``mvccpb.Event``).

    For ``PUT``, ``kv`` is the new version (``kv.version == 1`` means the key was created). For ``DELETE``,
    ``kv`` is the tombstone. ``prev_kv`` is the version the change replaced, or ``None`` if there was none
    (or it has been compacted away).
    """

    type: EventType
    kv: KeyValue
    prev_kv: KeyValue | None

    @property
    def revision(self) -> int:
        """The revision of the change (``kv.mod_revision``)."""
        return self.kv.mod_revision


class RangeResult(NamedTuple):
    """The answer to a range (``RangeResponse``).

    ``kvs`` are sorted by key and cut at the limit; ``count`` is the number of keys that matched before the
    cut; ``revision`` is the store's revision when the read ran (etcd's response header revision), which is
    not the revision read at when a past ``revision`` was asked for.
    """

    kvs: list[KeyValue]
    count: int  # type: ignore[assignment]  # (etcd's name; shadows tuple.count)
    revision: int

    @property
    def more(self) -> bool:
        """True when the limit cut off some matching keys (``RangeResponse.more``)."""
        return self.count > len(self.kvs)


class PutResponse(NamedTuple):
    """The answer to a put inside a transaction (``PutResponse``)."""

    revision: int
    prev_kv: KeyValue | None


class DeleteResponse(NamedTuple):
    """The answer to a delete inside a transaction (``DeleteRangeResponse``)."""

    revision: int
    deleted: int
    prev_kvs: list[KeyValue]


class TxnResult(NamedTuple):
    """The answer to ``Store.txn`` (``TxnResponse``): which branch ran, the revision after it, and one
    response per operation of that branch."""

    succeeded: bool
    revision: int
    responses: list[RangeResult | PutResponse | DeleteResponse]


# --------------------------------------------------------------------------------------------------------------
# Transaction requests: comparisons and operations


_object_new = object.__new__

CompareOperator = Literal["=", "!=", "<", ">"]
_OPERATORS = ("=", "!=", "<", ">")
_COMPARE_FIELDS = {"value": 1, "create_revision": 2, "mod_revision": 3, "version": 4}  # KeyValue's field order


@mypyc_attr(
    native_class=False
)  # a Python class also when compiled (k8smodel/_native.py): its builders fill the frozen fields through __dict__
@dataclass(frozen=True)
class Compare:
    """A condition of a transaction on one key (``etcdserverpb.Compare``).

    Build it with ``Compare.mod_revision(key, "=", 5)``, ``Compare.create_revision(...)``,
    ``Compare.version(...)`` or ``Compare.value(key, "=", b"...")``. On a key that does not exist, the
    revision and version targets compare as 0 and a value comparison is always false (``applyCompare`` in
    ``server/etcdserver/txn/txn.go``).
    """

    target: Literal["mod_revision", "create_revision", "version", "value"]
    key: str
    operator: CompareOperator
    operand: int | bytes

    def __post_init__(self) -> None:
        if type(self.key) is not str or not self.key:
            _check_key(self.key)
        if self.operator not in _OPERATORS:
            raise ValueError(f"compare operator must be one of {_OPERATORS}, got {self.operator!r}")
        operand = self.operand
        if self.target == "value":
            if not isinstance(operand, bytes):
                raise ValueError(f"a value comparison needs bytes, got {type(operand).__name__}")
        elif type(operand) is not int and (not isinstance(operand, int) or isinstance(operand, bool)):
            raise ValueError(f"a {self.target} comparison needs an int, got {type(operand).__name__}")

    @classmethod
    def mod_revision(cls, key: str, operator: CompareOperator, revision: int) -> Compare:
        """Compare the key's ``mod_revision`` (0 if absent): ``("=", 0)`` means "the key does not exist"."""
        if type(key) is str and key and type(revision) is int and operator in _OPERATORS:  # every check passes
            self = _object_new(cls)  # the frozen dataclass's __init__ sets each field through object.__setattr__
            fields = self.__dict__
            fields["target"] = "mod_revision"
            fields["key"] = key
            fields["operator"] = operator
            fields["operand"] = revision
            return self
        return cls("mod_revision", key, operator, revision)

    @classmethod
    def create_revision(cls, key: str, operator: CompareOperator, revision: int) -> Compare:
        """Compare the key's ``create_revision`` (0 if absent)."""
        return cls("create_revision", key, operator, revision)

    @classmethod
    def version(cls, key: str, operator: CompareOperator, version: int) -> Compare:
        """Compare the key's ``version`` (0 if absent)."""
        return cls("version", key, operator, version)

    @classmethod
    def value(cls, key: str, operator: CompareOperator, value: bytes) -> Compare:
        """Compare the key's value, byte by byte; false whatever the operator if the key is absent."""
        return cls("value", key, operator, value)

    def holds(self, kv: KeyValue | None) -> bool:
        """Evaluate the comparison against ``kv``, the key's current version (``None`` if absent)."""
        return self._holds(kv)

    def _holds(self, kv: tuple | None) -> bool:
        """``holds`` for a version as a tuple in ``KeyValue``'s field order (a ``KeyValue`` is one)."""
        if kv is None:
            if self.target == "value":
                return False
            actual: int | bytes = 0
        else:
            actual = kv[_COMPARE_FIELDS[self.target]]
        operand = self.operand
        if self.operator == "=":
            return actual == operand
        if self.operator == "!=":
            return actual != operand
        if self.operator == "<":
            return actual < operand  # type: ignore[operator]
        return actual > operand  # type: ignore[operator]


@mypyc_attr(
    native_class=False
)  # a Python class also when compiled (k8smodel/_native.py): its builders fill the frozen fields through __dict__
@dataclass(frozen=True)
class Op:
    """One operation of a transaction (``etcdserverpb.RequestOp``).

    Build it with ``Op.put``, ``Op.get``, ``Op.range``, ``Op.delete`` or ``Op.delete_prefix``; each does
    what the ``Store`` method of the same name does.
    """

    kind: Literal["put", "get", "range", "delete", "delete_prefix"]
    key: str
    value: bytes | None = None
    revision: int | None = None
    limit: int | None = None
    prev_kv: bool = False

    @classmethod
    def put(cls, key: str, value: bytes, *, prev_kv: bool = False) -> Op:
        """Set ``key`` to ``value``."""
        if type(key) is not str or not key:
            _check_key(key)
        if type(value) is not bytes:
            _check_value(value)
        self = _object_new(cls)  # the frozen dataclass's __init__ sets each field through object.__setattr__
        fields = self.__dict__
        fields["kind"] = "put"
        fields["key"] = key
        fields["value"] = value
        fields["revision"] = None
        fields["limit"] = None
        fields["prev_kv"] = prev_kv
        return self

    @classmethod
    def get(cls, key: str, revision: int | None = None) -> Op:
        """Read one key; the response is a ``RangeResult`` with zero or one ``kvs``."""
        _check_key(key)
        return cls("get", key, revision=revision)

    @classmethod
    def range(cls, prefix: str, revision: int | None = None, limit: int | None = None) -> Op:
        """Read every key that starts with ``prefix``."""
        _check_prefix(prefix)
        return cls("range", prefix, revision=revision, limit=limit)

    @classmethod
    def delete(cls, key: str, *, prev_kv: bool = False) -> Op:
        """Delete one key."""
        _check_key(key)
        return cls("delete", key, prev_kv=prev_kv)

    @classmethod
    def delete_prefix(cls, prefix: str, *, prev_kv: bool = False) -> Op:
        """Delete every key that starts with ``prefix``."""
        _check_prefix(prefix)
        return cls("delete_prefix", prefix, prev_kv=prev_kv)


# --------------------------------------------------------------------------------------------------------------
# Watchers


class Watcher:
    """A watch on one key, or on every key under a prefix (etcd's ``watcher``, ``watcher.go``).

    Events arrive in revision order. Without a callback they wait in the watcher's buffer until
    ``drain()``; with a callback, the store calls it once per revision, right after the write commits, with
    that revision's matching events. ``cancel()`` stops delivery.
    """

    __slots__ = ("_buffer", "_callback", "_cancelled", "_ignores", "_min_rev", "_store", "id", "key", "prefix")

    def __init__(
        self,
        store: Store,
        watch_id: int,
        key: str,
        prefix: bool,
        min_rev: int,
        callback: Callable[[list[Event]], object] | None,
    ) -> None:
        self._store = store
        self.id = watch_id
        self.key = key
        self.prefix = prefix
        self._min_rev = min_rev  # the first revision this watcher accepts (watcher.minRev)
        self._callback = callback
        self._buffer: list[Event] = []
        self._cancelled = False
        # For a callback watcher, its owner may say which keys' changes its callback would do nothing with: those are
        # not handed to it at all (no event records built, no call). The model's own shortcut, not an etcd feature:
        # the API server's single watch on /registry/ (watch.py) ignores the kinds nobody watches.
        self._ignores: Callable[[str], bool] | None = None

    def matches(self, key: str) -> bool:
        """Whether a change to ``key`` concerns this watcher."""
        return key.startswith(self.key) if self.prefix else key == self.key

    def drain(self) -> list[Event]:
        """Take the buffered events, oldest first, leaving the buffer empty."""
        events, self._buffer = self._buffer, []
        return events

    def cancel(self) -> None:
        """Stop delivering events. Events already buffered can still be drained."""
        self._store._cancel(self)

    @property
    def cancelled(self) -> bool:
        """Whether ``cancel()`` has been called."""
        return self._cancelled

    def __repr__(self) -> str:
        what = "prefix" if self.prefix else "key"
        return f"Watcher(id={self.id}, {what}={self.key!r}, pending={len(self._buffer)})"


# --------------------------------------------------------------------------------------------------------------
# The store

SNAPSHOT_FORMAT = "k8smodel-etcd-snapshot"
SNAPSHOT_VERSION = 1

# A version of a key is kept as a plain tuple in KeyValue's field order, (key, value, create_revision,
# mod_revision, version), and a change as the plain tuple (version, replaced version or None). Plain tuples of
# strings, bytes and ints are untracked by Python's cyclic garbage collector after their first collection (a
# NamedTuple never is), so a store holding hundreds of thousands of revisions adds nothing to the collector's
# work; the public records (KeyValue, Event) are made from them on the way out. The change log keeps only the new
# version of each change: the version it replaced is the one before it in the key's history (Store._prev_of), so
# each write leaves one tuple behind, not two, for the collector's first look.
_KEY, _VALUE, _CREATE_REVISION, _MOD_REVISION, _VERSION = range(5)
_mod_revision = itemgetter(_MOD_REVISION)
_new = tuple.__new__
_PUT = EventType.PUT
_DELETE = EventType.DELETE
_MAX_CHAR = chr(0x10FFFF)


def _public_event(change: tuple) -> Event:
    kv, prev = change
    return _new(
        Event, (_PUT if kv[_VERSION] else _DELETE, _new(KeyValue, kv), None if prev is None else _new(KeyValue, prev))
    )


class Store:
    """An etcd MVCC store: revisions, history, transactions, watches, compaction and snapshots.

    Internally each key has a list of its versions in revision order (tombstones included), which plays
    the part of etcd's ``keyIndex`` generations plus the bbolt backend; a revision-ordered change log feeds
    the replay of watches; and watchers are indexed by exact key and by prefix, so a write reaches only the
    watchers that care about it.
    """

    def __init__(self) -> None:
        self._rev = 1  # kvstore.go NewStore: currentRev: 1
        self._compact_rev = -1  # kvstore.go NewStore: compactMainRev: -1 (never compacted)
        self._versions: dict[str, list[tuple]] = {}  # key -> its versions, oldest first (see _KEY ... _VERSION)
        self._sorted_keys: list[str] = []  # every key in _versions, sorted ...
        self._new_keys: list[str] = []  # ... except these, merged in before the next range
        self._dirty: set[str] = set()  # keys compaction may shorten: several versions, or a tombstone
        self._changes: list[tuple] = []  # the new version of every change at or after the compaction point, in order
        self._key_watchers: dict[str, dict[Watcher, None]] = {}
        self._prefix_watchers: dict[str, dict[Watcher, None]] = {}
        self._prefix_lengths: tuple[int, ...] = ()
        self._routes: dict[str, tuple[dict[Watcher, None], ...]] = {}  # key -> its watcher groups (cleared on change)
        self._watcher_count = 0
        self._next_watch_id = 0
        self._callbacks: deque[tuple[Watcher, list[Event]]] = deque()
        self._dispatching = False
        # what a component of the server keeps per store, by name (admission's PriorityClass lister): no weak
        # references to a Store, which is a compiled class when the model runs compiled (k8smodel/_native.py)
        self.memos: dict[str, Any] = {}

    # ---- state -------------------------------------------------------------------------------------------

    @property
    def revision(self) -> int:
        """The revision of the last committed write (1 for an empty store)."""
        return self._rev

    @property
    def compact_revision(self) -> int:
        """The revision of the last compaction, or -1 if the store was never compacted."""
        return self._compact_rev

    @property
    def _history(self) -> dict[str, list[KeyValue]]:
        """Every stored version of every key, oldest first, as ``KeyValue`` records (a copy, for inspection)."""
        return {key: [_new(KeyValue, kv) for kv in versions] for key, versions in self._versions.items()}

    @property
    def _log(self) -> list[Event]:
        """The change log (every change at or after the compaction point) as ``Event`` records (a copy)."""
        return [_public_event((kv, self._prev_of(kv))) for kv in self._changes]

    def __repr__(self) -> str:
        return f"Store(revision={self._rev}, compact_revision={self._compact_rev}, keys={len(self._versions)})"

    # ---- reads -------------------------------------------------------------------------------------------

    def get(self, key: str, revision: int | None = None) -> KeyValue | None:
        """The key's version at ``revision`` (default: now), or ``None`` if the key did not exist then.

        Raises ``CompactedError`` for a revision before the compaction point and ``FutureRevisionError``
        for one after the current revision; ``None`` or a revision <= 0 means "now", as in etcd.
        """
        if type(key) is not str or not key:
            _check_key(key)
        versions = self._versions.get(key)
        if revision is None:
            if versions:
                kv = versions[-1]
                return _new(KeyValue, kv) if kv[_VERSION] else None
            return None
        at = self._read_revision(revision)
        if not versions:
            return None
        found = _version_at(versions, at)
        return None if found is None else _new(KeyValue, found)

    def range(self, prefix: str, revision: int | None = None, limit: int | None = None) -> RangeResult:
        """Every key starting with ``prefix`` (``""`` for all keys), as of ``revision``, sorted by key.

        ``limit`` cuts the list (``None`` or <= 0: no limit, as in etcd); ``count`` still counts every match.
        """
        _check_prefix(prefix)
        return self._range(prefix, True, revision, limit, self._rev)

    def _range(self, key: str, prefix: bool, revision: int | None, limit: int | None, current: int) -> RangeResult:
        at = current if revision is None or revision <= 0 else self._read_revision(revision)
        keys = self._keys_with_prefix(key) if prefix else ([key] if key in self._versions else [])
        versions = self._versions
        if at == current:  # the latest version of each key; a tombstone means the key is deleted
            raw = [kv for kv in [versions[k][-1] for k in keys] if kv[_VERSION]]
        else:
            raw = [kv for kv in [_version_at(versions[k], at) for k in keys] if kv is not None]
        count = len(raw)
        if limit is not None and 0 < limit < count:
            del raw[limit:]
        return RangeResult([_new(KeyValue, kv) for kv in raw], count, current)

    def _prev_of(self, kv: tuple) -> tuple | None:
        """The version a change to ``kv`` replaced (etcd's ``prev_kv``): the version before it in the key's history,
        if that one is live. ``None`` for a creation, for a put after a deletion, and for a change at the compaction
        point or before it, whose previous version is compacted away."""
        rev = kv[_MOD_REVISION]
        if rev <= self._compact_rev:
            return None
        versions = self._versions[kv[_KEY]]
        i = bisect_left(versions, rev, key=_mod_revision)
        if i == 0:
            return None
        prev = versions[i - 1]
        return prev if prev[_VERSION] else None

    def _read_revision(self, revision: int) -> int:
        """Check a requested read revision the way ``rangeKeys`` does (``kvstore_txn.go``)."""
        if revision <= 0:
            return self._rev
        if revision > self._rev:
            raise FutureRevisionError(self._rev)
        if revision < self._compact_rev:
            raise CompactedError(self._compact_rev)
        return revision

    def _keys_with_prefix(self, prefix: str) -> list[str]:
        keys = self._sorted_keys
        new_keys = self._new_keys
        if new_keys:
            if len(new_keys) <= 16:  # a few: each goes in its place (a bisection and one move of the tail)
                for key in new_keys:
                    insort(keys, key)
            else:
                keys.extend(new_keys)
                keys.sort()  # timsort: one sorted run plus a short tail is nearly linear
            new_keys.clear()
        if not prefix:
            return keys[:]
        start = bisect_left(keys, prefix)
        if prefix[-1] == _MAX_CHAR:  # no string just above the prefix: walk to the end of the matches
            end = start
            while end < len(keys) and keys[end].startswith(prefix):
                end += 1
        else:  # the keys starting with "ab" are those in ["ab", "ac"), etcd's GetPrefixRangeEnd
            end = bisect_left(keys, prefix[:-1] + chr(ord(prefix[-1]) + 1), start)
        return keys[start:end]

    # ---- writes ------------------------------------------------------------------------------------------

    @overload
    def put(self, key: str, value: bytes, *, prev_kv: Literal[False] = ...) -> int: ...

    @overload
    def put(self, key: str, value: bytes, *, prev_kv: Literal[True]) -> tuple[int, KeyValue | None]: ...

    def put(self, key: str, value: bytes, *, prev_kv: bool = False) -> int | tuple[int, KeyValue | None]:
        """Set ``key`` to ``value``; return the new revision (and, with ``prev_kv=True``, the old version).

        A put on an existing key keeps its ``create_revision`` and adds one to its ``version``; a put on an
        absent (or deleted) key starts a new generation with ``version`` 1 (``storeTxnWrite.put``).
        """
        _check_key(key)
        _check_value(value)
        rev = self._rev + 1
        change = self._write_put(key, value, rev)
        self._rev = rev
        if self._watcher_count:
            self._notify(rev, (change,))
        if not prev_kv:
            return rev
        return rev, None if change[1] is None else _new(KeyValue, change[1])

    def delete(self, key: str) -> tuple[int, int]:
        """Delete ``key``; return ``(revision, deleted)``.

        Deleting an absent key changes nothing: ``deleted`` is 0 and the revision stays where it was.
        """
        _check_key(key)
        change = self._write_delete(key, self._rev + 1)
        if change is None:
            return self._rev, 0
        self._rev += 1
        if self._watcher_count:
            self._notify(self._rev, (change,))
        return self._rev, 1

    def delete_prefix(self, prefix: str) -> tuple[int, int]:
        """Delete every key starting with ``prefix`` in one revision; return ``(revision, deleted)``."""
        _check_prefix(prefix)
        changes = self._write_delete_prefix(prefix, self._rev + 1)
        if not changes:
            return self._rev, 0
        self._rev += 1
        if self._watcher_count:
            self._notify(self._rev, changes)
        return self._rev, len(changes)

    def _write_put(self, key: str, value: bytes, rev: int) -> tuple:
        versions = self._versions.get(key)
        if versions is None:
            self._versions[key] = versions = []
            self._new_keys.append(key)
            prev = None
        else:
            self._dirty.add(key)
            prev = versions[-1]
            if not prev[_VERSION]:  # a tombstone: this put starts a new generation
                prev = None
        if prev is None:
            kv = (key, value, rev, rev, 1)
        else:
            kv = (key, value, prev[_CREATE_REVISION], rev, prev[_VERSION] + 1)
        versions.append(kv)
        self._changes.append(kv)
        return kv, prev

    def _write_delete(self, key: str, rev: int) -> tuple | None:
        versions = self._versions.get(key)
        if not versions or not versions[-1][_VERSION]:
            return None
        prev = versions[-1]
        tombstone = (key, b"", 0, rev, 0)
        versions.append(tombstone)
        self._dirty.add(key)
        self._changes.append(tombstone)
        return tombstone, prev

    def _write_delete_prefix(self, prefix: str, rev: int) -> list[tuple]:
        changes = []
        for key in self._keys_with_prefix(prefix):
            change = self._write_delete(key, rev)
            if change is not None:
                changes.append(change)
        return changes

    # ---- transactions ------------------------------------------------------------------------------------

    def txn(
        self,
        compares: Iterable[Compare] = (),
        success: Iterable[Op] = (),
        failure: Iterable[Op] = (),
    ) -> TxnResult:
        """If every comparison holds, run ``success``, else ``failure``, as one atomic write.

        All writes of the chosen branch share one new revision; reads later in the branch see earlier
        writes. A branch that puts the same key twice, or puts a key it also deletes, is rejected before
        anything runs (``checkIntervals`` in ``server/etcdserver/api/v3rpc/key.go``).
        """
        # The API server sends a transaction with every write: lists are taken as they are, and a one-operation
        # branch skips checkIntervals (it cannot write a key twice).
        if type(compares) is not list:
            compares = list(compares)
        if type(success) is not list:
            success = list(success)
        if type(failure) is not list:
            failure = list(failure)
        for c in compares:
            if type(c) is not Compare and not isinstance(c, Compare):
                raise ValueError(f"txn compares must be Compare objects, got {type(c).__name__}")
        for ops in (success, failure) if failure else (success,):
            for op in ops:
                if type(op) is not Op and not isinstance(op, Op):
                    raise ValueError(f"txn operations must be Op objects, got {type(op).__name__}")
            if len(ops) > 1:
                _check_intervals(ops)

        succeeded = True
        versions = self._versions
        for c in compares:
            history = versions.get(c.key)
            current = history[-1] if history else None
            if not c._holds(current if current is not None and current[_VERSION] else None):
                succeeded = False
                break
        ops = success if succeeded else failure
        for op in ops:  # checkTxn: reject bad read revisions before any write
            if op.revision is not None and op.kind in ("get", "range"):
                self._read_revision(op.revision)

        begin = self._rev
        rev = begin + 1
        changes: list[tuple] = []
        responses: list[RangeResult | PutResponse | DeleteResponse] = []
        for op in ops:
            kind = op.kind
            if kind == "put":
                assert op.value is not None
                change = self._write_put(op.key, op.value, rev)
                changes.append(change)
                prev = change[1] if op.prev_kv else None
                responses.append(_new(PutResponse, (rev, None if prev is None else _new(KeyValue, prev))))
            elif kind in ("delete", "delete_prefix"):
                if kind == "delete":
                    one = self._write_delete(op.key, rev)
                    deleted = [] if one is None else [one]
                else:
                    deleted = self._write_delete_prefix(op.key, rev)
                changes.extend(deleted)
                prev_kvs = [_new(KeyValue, c[1]) for c in deleted if c[1] is not None] if op.prev_kv else []
                responses.append(DeleteResponse(rev if changes else begin, len(deleted), prev_kvs))
            else:
                at = rev if changes else begin
                responses.append(self._range(op.key, kind == "range", op.revision, op.limit, at))
        if changes:
            self._rev = rev
            if self._watcher_count:
                self._notify(rev, changes)
        return _new(TxnResult, (succeeded, self._rev, responses))

    def _put_if(self, key: str, mod_revision: int, value: bytes) -> int:
        """``txn([Compare.mod_revision(key, "=", mod_revision)], [Op.put(key, value)])`` without the request and
        response records: the new revision, or 0 if the comparison failed (and nothing was written). What the API
        server sends with every create and update; the same checks, writes and watch notifications as ``txn``."""
        if type(key) is not str or not key:
            _check_key(key)
        if type(value) is not bytes:
            _check_value(value)
        history = self._versions.get(key)
        current = history[-1] if history else None
        if (current[_MOD_REVISION] if current is not None and current[_VERSION] else 0) != mod_revision:
            return 0
        rev = self._rev + 1
        change = self._write_put(key, value, rev)
        self._rev = rev
        if self._watcher_count:
            self._notify(rev, (change,))
        return rev

    def _delete_if(self, key: str, mod_revision: int) -> int:
        """``txn([Compare.mod_revision(key, "=", mod_revision)], [Op.delete(key)])`` without the records: the
        revision after it (the deletion's, or the current one if there was nothing to delete), or 0 if the comparison
        failed."""
        if type(key) is not str or not key:
            _check_key(key)
        history = self._versions.get(key)
        current = history[-1] if history else None
        if (current[_MOD_REVISION] if current is not None and current[_VERSION] else 0) != mod_revision:
            return 0
        change = self._write_delete(key, self._rev + 1)
        if change is None:
            return self._rev
        self._rev += 1
        if self._watcher_count:
            self._notify(self._rev, (change,))
        return self._rev

    def _current(self, key: str) -> KeyValue | None:
        versions = self._versions.get(key)
        if versions:
            kv = versions[-1]
            if kv[_VERSION]:
                return _new(KeyValue, kv)
        return None

    # ---- compaction --------------------------------------------------------------------------------------

    def compact(self, revision: int) -> None:
        """Forget history that no read at ``revision`` or later needs (``store.Compact``, ``kvstore.go``).

        For each key the last version at or before ``revision`` survives (a deletion only if it happened
        at ``revision`` itself), and so does everything after it; keys left with nothing disappear
        (``keyIndex.compact``). Compacting at or below the current compaction point raises
        ``CompactedError``; beyond the current revision, ``FutureRevisionError``.
        """
        if revision <= self._compact_rev:
            raise CompactedError(self._compact_rev)
        if revision > self._rev:
            raise FutureRevisionError(self._rev)
        self._compact_rev = revision

        removed = False
        all_versions = self._versions
        for key in list(self._dirty):
            versions = all_versions[key]
            last = bisect_right(versions, revision, key=_mod_revision) - 1
            if last >= 0:
                kept = versions[last]
                if not kept[_VERSION] and kept[_MOD_REVISION] < revision:
                    del versions[: last + 1]  # the generation ended before `revision`: drop all of it
                else:
                    del versions[:last]
            if not versions:
                del all_versions[key]
                self._dirty.discard(key)
                removed = True
            elif len(versions) == 1 and versions[0][_VERSION]:
                self._dirty.discard(key)
        if removed:
            self._sorted_keys = [k for k in self._sorted_keys if k in all_versions]
            self._new_keys = [k for k in self._new_keys if k in all_versions]

        changes = self._changes
        del changes[: bisect_left(changes, revision, key=_mod_revision)]
        # A replayed event at exactly `revision` has no prev_kv any more: etcd's watch server reads prev_kv at
        # revision - 1, which is now compacted (sendLoop in server/etcdserver/api/v3rpc/watch.go); _prev_of says so.

    # ---- watch -------------------------------------------------------------------------------------------

    def watch(
        self,
        key: str,
        start_revision: int | None = None,
        *,
        prefix: bool = True,
        callback: Callable[[list[Event]], object] | None = None,
    ) -> Watcher:
        """Watch ``key`` (with ``prefix=True``, every key that starts with it; ``""`` watches all keys).

        With ``start_revision`` (> 0) the watcher first receives every matching change from that revision
        on, then new changes; without it, only changes after now. A start revision below the compaction
        point raises ``CompactedError`` (its ``compact_revision`` tells where history begins); one in the
        future waits until the store gets there. With ``callback``, events are passed to it, one call per
        revision, right after each write commits; otherwise collect them with ``Watcher.drain()``.
        """
        if prefix:
            _check_prefix(key)
        else:
            _check_key(key)
        if start_revision is None or start_revision == 0:
            min_rev = self._rev + 1
        elif start_revision < 0:
            raise ValueError(f"start_revision must be positive, got {start_revision}")
        elif start_revision < self._compact_rev:
            raise CompactedError(self._compact_rev)
        else:
            min_rev = start_revision
        self._next_watch_id += 1
        watcher = Watcher(self, self._next_watch_id, key, prefix, min_rev, callback)

        if min_rev <= self._rev:  # replay history first, as the unsynced watcher group does
            changes = self._changes
            replay = [
                _public_event((kv, self._prev_of(kv)))
                for kv in changes[bisect_left(changes, min_rev, key=_mod_revision) :]
                if watcher.matches(kv[_KEY])
            ]
            if callback is None:
                watcher._buffer.extend(replay)
            else:
                batch: list[Event] = []
                for event in replay:
                    if batch and batch[-1].kv.mod_revision != event.kv.mod_revision:
                        self._callbacks.append((watcher, batch))
                        batch = []
                    batch.append(event)
                if batch:
                    self._callbacks.append((watcher, batch))

        index = self._prefix_watchers if prefix else self._key_watchers
        index.setdefault(key, {})[watcher] = None
        self._routes.clear()
        self._watcher_count += 1
        if prefix:
            self._prefix_lengths = tuple(sorted({len(p) for p in self._prefix_watchers}))
        if self._callbacks:
            self._run_callbacks()
        return watcher

    def _cancel(self, watcher: Watcher) -> None:
        if watcher._cancelled:
            return
        watcher._cancelled = True
        index = self._prefix_watchers if watcher.prefix else self._key_watchers
        group = index[watcher.key]
        del group[watcher]
        self._routes.clear()
        if not group:
            del index[watcher.key]
            if watcher.prefix:
                self._prefix_lengths = tuple(sorted({len(p) for p in self._prefix_watchers}))
        self._watcher_count -= 1

    def _notify(self, rev: int, changes: Iterable[tuple]) -> None:
        """Hand one revision's events to the watchers they concern (``watchableStore.notify``)."""
        routes = self._routes
        batches: dict[Watcher, list[Event]] | None = None
        single = len(changes) == 1  # type: ignore[arg-type]
        callbacks = self._callbacks
        for change in changes:
            key = change[0][_KEY]
            event: Event | None = None
            groups = routes.get(key)
            if groups is None:
                groups = self._route(key)
            for group in groups:
                for watcher in group:
                    if rev < watcher._min_rev:
                        continue
                    ignores = watcher._ignores
                    if ignores is not None and ignores(key):
                        continue
                    if event is None:
                        event = _public_event(change)
                    if watcher._callback is None:
                        watcher._buffer.append(event)
                    elif single:  # one change: each watcher gets its own one-event batch, in this same order
                        callbacks.append((watcher, [event]))
                    else:
                        if batches is None:
                            batches = {}
                        batches.setdefault(watcher, []).append(event)
        if batches:
            callbacks.extend(batches.items())
        if callbacks:
            self._run_callbacks()

    def _route(self, key: str) -> tuple[dict[Watcher, None], ...]:
        """The watcher groups a change to ``key`` concerns: its exact-key watchers and those of every watched prefix
        of it; remembered until a watch starts or ends (bounded: the memory is dropped past 100,000 keys)."""
        groups = []
        group = self._key_watchers.get(key)
        if group:
            groups.append(group)
        prefix_watchers = self._prefix_watchers
        for n in self._prefix_lengths:
            if n > len(key):
                break
            group = prefix_watchers.get(key[:n])
            if group:
                groups.append(group)
        routes = self._routes
        if len(routes) >= 100_000:
            routes.clear()
        found = routes[key] = tuple(groups)
        return found

    def _run_callbacks(self) -> None:
        """Call queued callbacks in order. A callback that writes to the store queues its own events behind
        the ones already waiting, so every watcher still sees revisions in order. If callbacks raise, the
        others still run and the first error is re-raised to the writer (whose write has committed)."""
        if self._dispatching:
            return
        self._dispatching = True
        first_error: Exception | None = None
        try:
            while self._callbacks:
                watcher, events = self._callbacks.popleft()
                if watcher._cancelled or watcher._callback is None:
                    continue
                try:
                    watcher._callback(events)
                except Exception as err:
                    if first_error is None:
                        first_error = err
        finally:
            self._dispatching = False
        if first_error is not None:
            raise first_error

    # ---- snapshot and restore ----------------------------------------------------------------------------

    def snapshot(self, path: str | os.PathLike[str]) -> int:
        """Write the whole store to ``path``; return the snapshot's revision.

        The file starts with a JSON header line (format, version, revision, compact revision, number of
        records). Then comes one record per stored version, in revision order: a JSON line
        ``[key, create_revision, mod_revision, version, value length]``, the value's raw bytes and a newline.
        A JSON trailer line holds the SHA-256 of the records (``etcdutl snapshot restore`` checks a hash too).
        All history after the compaction point is kept, as etcd's backend keeps it, so watches can still
        replay from there after a restore. The same store always gives the same bytes.
        """
        compact = self._compact_rev
        older = sorted(
            (kv for versions in self._versions.values() for kv in versions if kv[_MOD_REVISION] < compact),
            key=lambda kv: (kv[_MOD_REVISION], kv[_KEY]),
        )
        records = [*older, *self._changes]
        header = {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            "revision": self._rev,
            "compact_revision": compact,
            "records": len(records),
        }
        digest = hashlib.sha256()
        tmp = f"{os.fspath(path)}.tmp"
        with open(tmp, "wb") as out:
            out.write(_json_line(header))
            for key, value, create_revision, mod_revision, version in records:
                meta = _json_line([key, create_revision, mod_revision, version, len(value)])
                for part in (meta, value, b"\n"):
                    digest.update(part)
                    out.write(part)
            out.write(_json_line({"sha256": digest.hexdigest()}))
        os.replace(tmp, path)
        return self._rev

    @classmethod
    def restore(cls, path: str | os.PathLike[str]) -> Store:
        """Build a store from a file written by ``snapshot``: same revision, compaction point, data,
        per-key metadata and history. Watchers are not part of a snapshot."""
        name = os.fspath(path)
        store = cls()
        all_versions = store._versions
        digest = hashlib.sha256()
        with open(path, "rb") as source:
            try:
                header = json.loads(source.readline())
            except ValueError:
                header = None
            if not isinstance(header, dict) or header.get("format") != SNAPSHOT_FORMAT:
                raise ValueError(f"{name}: not a {SNAPSHOT_FORMAT} file")
            if header.get("version") != SNAPSHOT_VERSION:
                raise ValueError(f"{name}: snapshot version {header.get('version')} is not supported")
            compact = header["compact_revision"]
            for number in range(header["records"]):
                meta = source.readline()
                try:
                    key, create_revision, mod_revision, version, size = json.loads(meta.decode("ascii"))
                    value = source.read(size)
                    end = source.read(1)
                except (ValueError, TypeError):
                    raise ValueError(f"{name}: snapshot record {number} is damaged") from None
                if len(value) != size or end != b"\n":
                    raise ValueError(f"{name}: snapshot is truncated at record {number}")
                for part in (meta, value, end):
                    digest.update(part)
                kv = (key, value, create_revision, mod_revision, version)
                versions = all_versions.setdefault(key, [])
                if mod_revision >= compact:
                    store._changes.append(kv)
                versions.append(kv)
            try:
                trailer = json.loads(source.readline())
            except ValueError:
                trailer = {}
        if not isinstance(trailer, dict) or trailer.get("sha256") != digest.hexdigest():
            raise ValueError(f"{name}: snapshot integrity check failed (sha256 mismatch)")
        store._rev = header["revision"]
        store._compact_rev = compact
        store._sorted_keys = sorted(all_versions)
        store._dirty = {k for k, v in all_versions.items() if len(v) > 1 or not v[0][_VERSION]}
        return store


# --------------------------------------------------------------------------------------------------------------
# Helpers


def _version_at(versions: list[tuple], revision: int) -> tuple | None:
    """The live version of a key at ``revision`` from its version list (``keyIndex.get``), else ``None``."""
    i = bisect_right(versions, revision, key=_mod_revision)
    if i == 0:
        return None
    kv = versions[i - 1]
    return kv if kv[_VERSION] else None


def _json_line(data: object) -> bytes:
    """One line of compact, ASCII-only JSON: the same data always gives the same bytes."""
    return (json.dumps(data, separators=(",", ":")) + "\n").encode("ascii")


def _check_key(key: object) -> None:
    if not isinstance(key, str):
        raise ValueError(f"an etcd key must be a str, got {type(key).__name__}")
    if not key:
        raise ValueError("an etcd key must not be empty (etcdserver: key is not provided)")


def _check_prefix(prefix: object) -> None:
    if not isinstance(prefix, str):
        raise ValueError(f"an etcd key prefix must be a str, got {type(prefix).__name__}")


def _check_value(value: object) -> None:
    if not isinstance(value, bytes):
        raise ValueError(
            f"an etcd value must be bytes, got {type(value).__name__} "
            "(the API server serializes an object before storing it)"
        )


def _check_intervals(ops: list[Op]) -> None:
    """Reject a branch that writes one key twice (``checkIntervals``, ``server/etcdserver/api/v3rpc/key.go``).

    Deletes may overlap each other; a put may not repeat another put's key or fall inside a delete.
    """
    deleted_keys = {op.key for op in ops if op.kind == "delete"}
    deleted_prefixes = [op.key for op in ops if op.kind == "delete_prefix"]
    puts: set[str] = set()
    for op in ops:
        if op.kind != "put":
            continue
        if op.key in puts or op.key in deleted_keys or any(op.key.startswith(p) for p in deleted_prefixes):
            raise ValueError(f"etcdserver: duplicate key given in txn request (key {op.key!r})")
        puts.add(op.key)


__all__ = [
    "SNAPSHOT_FORMAT",
    "SNAPSHOT_VERSION",
    "CompactedError",
    "Compare",
    "DeleteResponse",
    "EtcdError",
    "Event",
    "EventType",
    "FutureRevisionError",
    "KeyValue",
    "Op",
    "PutResponse",
    "RangeResult",
    "Store",
    "TxnResult",
    "Watcher",
]
