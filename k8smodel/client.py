"""client: client-go's work queue and informer, the only way components read the cluster.

A controller never asks the API server "what is there?" on every decision. It keeps a local cache that an
*informer* fills by listing once and then watching, it is told about every change through *event handlers*, and
it turns those notifications into keys on a *work queue*, which its workers drain at their own pace. This module
models those pieces of ``k8s.io/client-go`` on the simulated clock of :mod:`k8smodel.sim`.

Work queue (``staging/src/k8s.io/client-go/util/workqueue/``)
    :class:`WorkQueue` is the three upstream layers in one class: the FIFO with its *dirty* and *processing* sets
    (``queue.go``), delayed adds (``delaying_queue.go``) and rate-limited requeues (``rate_limiting_queue.go``).
    An item waiting in the queue is added only once however often it is added (``dirty``); an item being
    processed is never handed to a second worker, and if it is added meanwhile it goes back on the queue when
    ``done`` is called (``processing``). ``add_after`` keeps one waiting entry per item, moved earlier but
    never later by a second call (``insert`` in ``delaying_queue.go``).

Rate limiters (``default_rate_limiters.go``)
    :class:`ItemExponentialFailureRateLimiter` (``base * 2**failures``, capped), :class:`ItemFastSlowRateLimiter`,
    :class:`BucketRateLimiter` (a token bucket, ``golang.org/x/time/rate``'s ``Limiter.Reserve().Delay()`` on the
    simulated clock), :class:`MaxOfRateLimiter`, :class:`WithMaxWaitRateLimiter` and
    :func:`default_controller_rate_limiter`: the worse of 5 ms doubling to 1000 s per item and 10 qps with a
    burst of 100 overall, exactly ``DefaultControllerRateLimiter``. Delays are float seconds.

Informer (``staging/src/k8s.io/client-go/tools/cache/``)
    :class:`Informer` is a shared index informer (``shared_informer.go``) with its reflector (``reflector.go``):
    it lists, replaces its cache with the result, then watches from the list's resourceVersion, applying each
    ``ADDED``, ``MODIFIED`` and ``DELETED`` to the cache and calling the handlers (``processDeltas`` in
    ``controller.go``, ``HandleDeltas`` in ``shared_informer.go``). If the watch ends with an error, such as
    ``410 Gone`` because the resourceVersion was compacted away (:class:`Expired`), it backs off and lists again;
    objects that vanished meanwhile reach ``on_delete`` as :class:`DeletedFinalStateUnknown` (``Replace`` in
    ``delta_fifo.go``). The backoff is the reflector's: 800 ms doubling to 30 s, jitter 1.0, reset after two quiet
    minutes (``NewExponentialBackoffManager`` in ``wait/backoff.go``), drawn from ``sim.rng("informer/<name>")``.
    A watch that merely closes is reopened at once from the last resourceVersion, without a list. Every
    ``resync_period`` seconds every cached object is handed to ``on_update(obj, obj)`` (``DeltaFIFO.Resync``), so
    a level-triggered controller heals an event it lost.

The cache (``store.go``, ``thread_safe_store.go``, ``index.go``, ``listers.go``)
    :class:`Indexer` maps keys (``meta_namespace_key``: ``"namespace/name"``, or ``"name"`` for cluster-scoped
    objects) to objects, and keeps named indices (``add_indexers``, ``by_index``); informers index by namespace
    (``MetaNamespaceIndexFunc``) by default. :meth:`Informer.list` is ``cache.ListAllByNamespace``.

The lister-watcher protocol
    An informer reads through an object with two methods, which the API server layer provides:
    ``list() -> (items, resource_version)`` (the latest state, as ``resourceVersion=""`` would give) and
    ``watch(resource_version, callback) -> handle`` (``handle.stop()`` ends it). The watch delivers every change
    after ``resource_version`` as ``callback(type, obj)`` with ``type`` one of ``"ADDED"``, ``"MODIFIED"``,
    ``"DELETED"``, ``"BOOKMARK"`` and ``"ERROR"`` (``obj`` is then a ``Status``, ``code`` 410 for an expired
    resourceVersion, as a real watch stream sends it), plus the model's ``"CLOSED"`` for the end of the stream
    (Go sees its result channel close). ``watch`` may raise :class:`Expired` (the resourceVersion is too old) or
    ``ConnectionError`` (the API server is unreachable: back off and retry the watch); ``list`` may raise
    ``ConnectionError`` (back off and retry the list). Objects are plain dicts in Kubernetes' JSON shape with
    ``metadata.resourceVersion`` set; the informer shares them with every handler and lister, so they must be
    treated as read-only, as upstream's cache requires.

What the model leaves out
    * Goroutines and the DeltaFIFO. Upstream, the reflector queues deltas in a ``DeltaFIFO``, one goroutine pops
      them into the cache and each handler runs on its own goroutine behind an unbounded buffer, so a slow
      handler sees events late (but in order). Here the watch callback updates the cache and calls every
      handler synchronously, in arrival order, at the simulated instant of the change: there is no delay to
      coalesce deltas into, and a handler sees the cache exactly as of its event.
    * One resync period per informer. Upstream each handler may ask for its own
      (``AddEventHandlerWithResyncPeriod``) and only the handlers due get a resync; and a handler is marked
      "syncing" from the start, so a relist's unchanged objects reach ``on_update`` too, which is what happens
      here (every surviving object of a relist reaches ``on_update(old, new)``).
    * Lists are always consistent reads of the latest state: no ``resourceVersion="0"`` list from the watch
      cache, no pagination, no watch-list streaming (``UseWatchList``), no "very short watch" check, and no
      server-side watch timeout (5 to 10 minutes upstream); ``list`` never raises :class:`Expired`.
    * Work queue metrics are two counters (``adds``, ``retries``); no latency histograms. The delaying queue's
      waiting items enter the queue exactly at their ready time (no 10 s heartbeat), and entries due at the same
      instant enter in the order they were scheduled (upstream's heap does not promise an order for ties).
    * The token bucket keeps time as float seconds, not Go's integer nanoseconds.
    * ``Indexer.list()`` returns objects in insertion order (Go's map order is random); no transformers, no
      mutation detector, no ``IndexKeys``-by-object helpers beyond those below.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import simpy

from k8smodel.api.labels import Selector, parse_selector, selector_from_set
from k8smodel.sim import Simulation, Timer, jitter, parse_duration

Obj = dict[str, Any]
"""A Kubernetes object as a JSON-shaped dict (``apiVersion``, ``kind``, ``metadata``, ``spec``, ...)."""

# --------------------------------------------------------------------------------------------------------------
# Rate limiters (staging/src/k8s.io/client-go/util/workqueue/default_rate_limiters.go)


class RateLimiter(Protocol):
    """``workqueue.RateLimiter``: how long an item should wait before its next retry."""

    def when(self, item: Hashable) -> float:
        """The delay, in seconds, before ``item`` may be retried (counts as one more failure)."""
        ...

    def forget(self, item: Hashable) -> None:
        """Stop tracking ``item`` (it succeeded, or was given up on)."""
        ...

    def num_requeues(self, item: Hashable) -> int:
        """How many failures ``item`` has had."""
        ...


class ItemExponentialFailureRateLimiter:
    """``ItemExponentialFailureRateLimiter``: ``base_delay * 2**failures`` per item, capped at ``max_delay``.

    ``NewItemExponentialFailureRateLimiter(baseDelay, maxDelay)``; ``When`` counts the failure and returns the
    delay computed from the count *before* it, so the first delay is ``base_delay``.
    """

    def __init__(self, base_delay: float = 0.005, max_delay: float = 1000.0) -> None:
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._failures: dict[Hashable, int] = {}

    def when(self, item: Hashable) -> float:
        exp = self._failures.get(item, 0)
        self._failures[item] = exp + 1
        if exp > 1000:  # 2.0**exp would overflow a float; upstream caps at MaxInt64 ns and returns maxDelay
            return self.max_delay
        backoff = self.base_delay * 2.0**exp
        if backoff * 1e9 > _MAX_INT64 or backoff > self.max_delay:
            return self.max_delay
        return backoff

    def num_requeues(self, item: Hashable) -> int:
        return self._failures.get(item, 0)

    def forget(self, item: Hashable) -> None:
        self._failures.pop(item, None)

    def __repr__(self) -> str:
        return f"ItemExponentialFailureRateLimiter(base_delay={self.base_delay}, max_delay={self.max_delay})"


class ItemFastSlowRateLimiter:
    """``ItemFastSlowRateLimiter``: ``fast_delay`` for the first ``max_fast_attempts`` failures of an item, then
    ``slow_delay``."""

    def __init__(self, fast_delay: float, slow_delay: float, max_fast_attempts: int) -> None:
        self.fast_delay = fast_delay
        self.slow_delay = slow_delay
        self.max_fast_attempts = max_fast_attempts
        self._failures: dict[Hashable, int] = {}

    def when(self, item: Hashable) -> float:
        failures = self._failures.get(item, 0) + 1
        self._failures[item] = failures
        return self.fast_delay if failures <= self.max_fast_attempts else self.slow_delay

    def num_requeues(self, item: Hashable) -> int:
        return self._failures.get(item, 0)

    def forget(self, item: Hashable) -> None:
        self._failures.pop(item, None)


class BucketRateLimiter:
    """``BucketRateLimiter``: one token bucket for all items, ``rate.NewLimiter(qps, burst)``.

    ``when`` is ``Limiter.Reserve().Delay()`` from ``golang.org/x/time/rate`` (``rate.go``: ``reserveN``,
    ``advance``): the bucket starts full, refills at ``qps`` tokens a second up to ``burst``, and each call takes
    one token, going into debt if none is left; the delay is the time until the debt is paid. Nothing is
    tracked per item. It reads the simulated clock of ``sim``; a :class:`WorkQueue` binds its own simulation to
    a limiter created without one.
    """

    def __init__(self, qps: float = 10.0, burst: int = 100, sim: Simulation | None = None) -> None:
        self.qps = float(qps)
        self.burst = burst
        self._sim = sim
        self._tokens = 0.0
        self._last: float | None = None  # None: Go's zero time, long enough ago for a full bucket

    def _bind_clock(self, sim: Simulation) -> None:
        if self._sim is None:
            self._sim = sim

    def _duration_from_tokens(self, tokens: float) -> float:
        return tokens / self.qps if self.qps > 0 else math.inf

    def _advance(self, now: float) -> tuple[float, float | None, float]:
        last = self._last
        if last is not None and now < last:
            return last, last, self._tokens
        max_elapsed = self._duration_from_tokens(self.burst - self._tokens)
        elapsed = max_elapsed if last is None else min(now - last, max_elapsed)
        tokens = self._tokens + (elapsed * self.qps if self.qps > 0 else 0.0)
        return now, last, min(tokens, float(self.burst))

    def when(self, item: Hashable) -> float:
        if self._sim is None:
            raise RuntimeError("BucketRateLimiter has no clock: pass sim=, or use it through a WorkQueue")
        now = self._sim.now
        if self.qps == math.inf:
            return 0.0
        now, last, tokens = self._advance(now)
        tokens -= 1
        wait = self._duration_from_tokens(-tokens) if tokens < 0 else 0.0
        if self.burst < 1 or wait == math.inf:  # not OK: Delay() is InfDuration
            self._last = last
            return math.inf
        self._last = now
        self._tokens = tokens
        return wait

    def num_requeues(self, item: Hashable) -> int:
        return 0

    def forget(self, item: Hashable) -> None:
        pass

    def __repr__(self) -> str:
        return f"BucketRateLimiter(qps={self.qps}, burst={self.burst})"


class MaxOfRateLimiter:
    """``MaxOfRateLimiter``: asks every limiter and returns the longest delay (and the most requeues)."""

    def __init__(self, *limiters: RateLimiter) -> None:
        self.limiters = limiters

    def _bind_clock(self, sim: Simulation) -> None:
        for limiter in self.limiters:
            bind = getattr(limiter, "_bind_clock", None)
            if bind is not None:
                bind(sim)

    def when(self, item: Hashable) -> float:
        ret = 0.0
        for limiter in self.limiters:  # every limiter is asked: each counts the failure
            ret = max(ret, limiter.when(item))
        return ret

    def num_requeues(self, item: Hashable) -> int:
        return max((limiter.num_requeues(item) for limiter in self.limiters), default=0)

    def forget(self, item: Hashable) -> None:
        for limiter in self.limiters:
            limiter.forget(item)

    def __repr__(self) -> str:
        return f"MaxOfRateLimiter{self.limiters!r}"


class WithMaxWaitRateLimiter:
    """``WithMaxWaitRateLimiter``: another limiter's delay, but never more than ``max_delay``."""

    def __init__(self, limiter: RateLimiter, max_delay: float) -> None:
        self.limiter = limiter
        self.max_delay = max_delay

    def _bind_clock(self, sim: Simulation) -> None:
        bind = getattr(self.limiter, "_bind_clock", None)
        if bind is not None:
            bind(sim)

    def when(self, item: Hashable) -> float:
        return min(self.limiter.when(item), self.max_delay)

    def num_requeues(self, item: Hashable) -> int:
        return self.limiter.num_requeues(item)

    def forget(self, item: Hashable) -> None:
        self.limiter.forget(item)


def default_controller_rate_limiter() -> MaxOfRateLimiter:
    """``DefaultControllerRateLimiter``: per item 5 ms doubling to 1000 s, overall 10 qps with a burst of 100."""
    return MaxOfRateLimiter(ItemExponentialFailureRateLimiter(0.005, 1000.0), BucketRateLimiter(10.0, 100))


def default_item_based_rate_limiter() -> ItemExponentialFailureRateLimiter:
    """``DefaultItemBasedRateLimiter``: per item 1 ms doubling to 1000 s."""
    return ItemExponentialFailureRateLimiter(0.001, 1000.0)


_MAX_INT64 = (1 << 63) - 1

# --------------------------------------------------------------------------------------------------------------
# The work queue (queue.go + delaying_queue.go + rate_limiting_queue.go)


class WorkQueue:
    """A rate-limited, delaying work queue: client-go's ``workqueue.TypedRateLimitingInterface``.

    ``rate_limiter`` defaults to :func:`default_controller_rate_limiter`. Items must be hashable and not
    ``None`` (controllers queue ``"namespace/name"`` keys). Workers either poll with :meth:`get` (``None`` when
    nothing is waiting) or, in a SimPy process, wait with ``item = yield queue.get_event()`` (``None`` once the
    queue is shut down and empty); either way they call :meth:`done` when finished with the item.
    """

    def __init__(self, sim: Simulation, name: str = "", rate_limiter: RateLimiter | None = None) -> None:
        self.sim = sim
        self.name = name
        self.rate_limiter: RateLimiter = default_controller_rate_limiter() if rate_limiter is None else rate_limiter
        bind = getattr(self.rate_limiter, "_bind_clock", None)
        if bind is not None:
            bind(sim)
        self._queue: deque[Hashable] = deque()  # the order of work; every item here is dirty, none processing
        self._dirty: set[Hashable] = set()  # items that need processing
        self._processing: set[Hashable] = set()  # items handed to a worker and not yet done
        self._getters: deque[simpy.Event] = deque()  # workers blocked in get_event(), first come first served
        self._drains: list[simpy.Event] = []  # shutdown_with_drain() waiters
        self._waiting: dict[Hashable, Timer] = {}  # add_after entries by item (waitingEntryByData)
        self._shutting_down = False
        self._drain = False
        self.adds = 0  # workqueue_adds_total
        self.retries = 0  # workqueue_retries_total (every add_after, as metrics.retry() upstream)

    # ---- queue.go ----------------------------------------------------------------------------------------

    def add(self, item: Hashable) -> None:
        """Mark ``item`` as needing processing (``Add``). Ignored after shutdown, and while the item already
        waits in the queue; if a worker is processing it, it is queued again when that worker calls ``done``."""
        if item is None:
            raise ValueError("a work queue item must not be None")
        if self._shutting_down or item in self._dirty:
            return
        self.adds += 1
        self._dirty.add(item)
        if item in self._processing:
            return
        self._queue.append(item)
        if self._getters:
            self._hand_out()

    def _pop(self) -> Hashable:
        item = self._queue.popleft()
        self._processing.add(item)
        self._dirty.discard(item)
        return item

    def _hand_out(self) -> None:
        """``cond.Signal``: give queued items to blocked workers, oldest waiter first."""
        while self._getters and self._queue:
            self._getters.popleft().succeed(self._pop())

    def __len__(self) -> int:
        """The number of items waiting to be handed out (``Len``)."""
        return len(self._queue)

    def get(self) -> Hashable | None:
        """Take the next item (``Get``) and mark it processing, or return ``None`` if none is waiting."""
        if not self._queue:
            return None
        return self._pop()

    def get_event(self) -> simpy.Event:
        """A SimPy event that yields the next item as soon as there is one (``Get`` blocking), or ``None`` once
        the queue is shut down and empty. Blocked workers are served in the order they asked."""
        event = self.sim.env.event()
        if self._queue:
            event.succeed(self._pop())
        elif self._shutting_down:
            event.succeed(None)
        else:
            self._getters.append(event)
        return event

    def done(self, item: Hashable) -> None:
        """Mark ``item`` as finished (``Done``); if it was added while being processed, queue it again."""
        self._processing.discard(item)
        if item in self._dirty:
            self._queue.append(item)
            if self._getters:
                self._hand_out()
        if not self._processing and self._drains:  # ShutDownWithDrain waits for processing to empty
            self._finish_drain()

    def shutdown(self) -> None:
        """``ShutDown``: ignore new items, wake every blocked worker with ``None`` and drop delayed adds. Items
        already queued can still be taken with ``get``."""
        self._drain = False
        self._shut()
        self._finish_drain()

    def shutdown_with_drain(self) -> simpy.Event:
        """``ShutDownWithDrain``: like ``shutdown``, and the returned event fires once every item handed out has
        been marked ``done`` (at once if none is in processing)."""
        self._drain = True
        self._shut()
        event = self.sim.env.event()
        self._drains.append(event)
        if not self._processing:
            self._finish_drain()
        return event

    def _shut(self) -> None:
        self._shutting_down = True
        while self._getters:
            self._getters.popleft().succeed(None)
        for timer in self._waiting.values():  # the waiting loop exits on shutdown
            timer.cancel()
        self._waiting.clear()

    def _finish_drain(self) -> None:
        drains, self._drains = self._drains, []
        for event in drains:
            event.succeed()

    @property
    def shutting_down(self) -> bool:
        """``ShuttingDown``."""
        return self._shutting_down

    @property
    def processing(self) -> frozenset[Hashable]:
        """The items handed to workers and not yet done."""
        return frozenset(self._processing)

    @property
    def dirty(self) -> frozenset[Hashable]:
        """The items that need processing (queued, or re-added while processing)."""
        return frozenset(self._dirty)

    @property
    def waiting(self) -> dict[Hashable, float]:
        """Delayed items and the simulated time each will be added."""
        return {item: timer.when for item, timer in self._waiting.items() if timer.when is not None}

    # ---- delaying_queue.go -------------------------------------------------------------------------------

    def add_after(self, item: Hashable, delay: float) -> None:
        """Add ``item`` after ``delay`` seconds (``AddAfter``); at once if ``delay <= 0``. If the item is already
        waiting, it keeps the earlier of the two times."""
        if self._shutting_down:
            return
        self.retries += 1
        if delay <= 0:
            self.add(item)
            return
        if delay == math.inf:  # a limiter that can never grant a token (Delay() == InfDuration)
            return
        ready_at = self.sim.now + delay
        existing = self._waiting.get(item)
        if existing is not None:
            if existing.when is not None and existing.when <= ready_at:
                return
            existing.cancel()
        self._waiting[item] = self.sim.call_at(ready_at, self._ready, item)

    def _ready(self, item: Hashable) -> None:
        del self._waiting[item]
        self.add(item)

    # ---- rate_limiting_queue.go --------------------------------------------------------------------------

    def add_rate_limited(self, item: Hashable) -> None:
        """Add ``item`` once the rate limiter allows (``AddRateLimited``): ``add_after(item, when(item))``."""
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: Hashable) -> None:
        """Stop the rate limiter tracking ``item`` (``Forget``); call it when the item succeeded."""
        self.rate_limiter.forget(item)

    def num_requeues(self, item: Hashable) -> int:
        """How many times ``item`` was requeued with ``add_rate_limited`` since it was last forgotten."""
        return self.rate_limiter.num_requeues(item)

    def __repr__(self) -> str:
        return (
            f"WorkQueue({self.name!r}, queued={len(self._queue)}, processing={len(self._processing)}, "
            f"waiting={len(self._waiting)})"
        )


# --------------------------------------------------------------------------------------------------------------
# Keys (store.go) and tombstones (delta_fifo.go)


@dataclass(frozen=True, slots=True)
class DeletedFinalStateUnknown:
    """``cache.DeletedFinalStateUnknown``: an object deleted while the informer was not watching.

    A relist found ``key`` gone; ``obj`` is the last state the informer had seen, which may be stale.
    ``on_delete`` receives this instead of the object.
    """

    key: str
    obj: Any


def meta_namespace_key(obj: Any) -> str:
    """``cache.MetaNamespaceKeyFunc``: ``"namespace/name"``, or ``"name"`` for a cluster-scoped object.

    A string is taken as a key already (upstream's ``ExplicitKey``).
    """
    if type(obj) is dict:  # the fast path: every event of every informer goes through here
        meta = obj.get("metadata")
        if type(meta) is dict:
            namespace = meta.get("namespace")
            name = meta.get("name") or ""
            return f"{namespace}/{name}" if namespace else name
    if isinstance(obj, str):
        return obj
    try:
        meta = obj["metadata"]
        name = meta.get("name") or ""
        namespace = meta.get("namespace")
    except (KeyError, TypeError, AttributeError):
        raise ValueError(f"couldn't create key for object {obj!r}: object has no meta") from None
    return f"{namespace}/{name}" if namespace else name


def deletion_handling_meta_namespace_key(obj: Any) -> str:
    """``cache.DeletionHandlingMetaNamespaceKeyFunc``: the key of a :class:`DeletedFinalStateUnknown` is its
    ``key``; any other object's key is :func:`meta_namespace_key`."""
    if type(obj) is dict:  # meta_namespace_key's fast path, inlined
        meta = obj.get("metadata")
        if type(meta) is dict:
            namespace = meta.get("namespace")
            name = meta.get("name") or ""
            return f"{namespace}/{name}" if namespace else name
    if type(obj) is DeletedFinalStateUnknown:
        return obj.key
    return meta_namespace_key(obj)


def split_meta_namespace_key(key: str) -> tuple[str, str]:
    """``cache.SplitMetaNamespaceKey``: ``"ns/name"`` to ``("ns", "name")``, ``"name"`` to ``("", "name")``."""
    parts = key.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError(f'unexpected key format: "{key}"')


NAMESPACE_INDEX = "namespace"
"""``cache.NamespaceIndex``: the name of the index by namespace."""


def meta_namespace_index_func(obj: Any) -> list[str]:
    """``cache.MetaNamespaceIndexFunc``: index an object by its namespace (``""`` if cluster-scoped)."""
    try:
        return [obj["metadata"].get("namespace") or ""]
    except (KeyError, TypeError, AttributeError):
        raise ValueError(f"object has no meta: {obj!r}") from None


IndexFunc = Callable[[Any], list[str]]

CHANGE_LOG_MIN = 4096
"""The :class:`Indexer` change log keeps at least this many entries."""

# --------------------------------------------------------------------------------------------------------------
# The indexer (store.go cache + thread_safe_store.go threadSafeMap)


class Indexer:
    """``cache.Indexer``: a keyed store of objects with named indices (``NewIndexer(keyFunc, indexers)``).

    Each index function maps an object to a list of values; ``by_index(name, value)`` returns the objects
    whose list contains ``value``. Objects come back in the order their keys were first stored.

    The change log (a model addition, not in client-go): every store of an object under a key and every removal
    appends the key to a log, and every key that joins or leaves an index value's set first appends
    ``(index name, value, key, joined)``. A reader that remembers something about the objects of some index values
    keeps :meth:`log_position` and later asks :meth:`changes_since` for what happened since, so it looks again only
    at the keys that changed, and can replay the joins and leaves to keep the index values' key order (a key that
    leaves and joins again goes to the end, as in the index). The log keeps at least the last
    :data:`CHANGE_LOG_MIN` entries (and four times as many as there are objects); ``changes_since`` an older
    position, or a position before a :meth:`replace` or :meth:`add_indexers`, is ``None``: read everything again.
    """

    __slots__ = ("_indexers", "_indices", "_items", "_key_func", "_log", "_log_base", "_values")

    def __init__(
        self, key_func: Callable[[Any], str] = meta_namespace_key, indexers: Mapping[str, IndexFunc] | None = None
    ) -> None:
        self._key_func = key_func
        self._items: dict[str, Any] = {}
        self._indexers: dict[str, IndexFunc] = dict(indexers or {})
        self._indices: dict[str, dict[str, dict[str, None]]] = {name: {} for name in self._indexers}
        # each index's values of each stored object, as its function gave them when the object was stored: the
        # old values of the next update of that key, without calling the function on the old object again (index
        # functions are pure functions of the object, which nobody changes once it is stored)
        self._values: dict[str, dict[str, Any]] = {name: {} for name in self._indexers}
        self._log: list[Any] = []
        self._log_base = 0  # the position of _log[0]

    # ---- Store -------------------------------------------------------------------------------------------

    def add(self, obj: Any) -> None:
        """Store ``obj`` under its key, replacing what was there (``Add``)."""
        self._set(self._key_func(obj), obj)

    def update(self, obj: Any) -> None:
        """Store ``obj`` under its key (``Update``, the same as ``add``)."""
        self._set(self._key_func(obj), obj)

    def delete(self, obj: Any) -> None:
        """Remove the object with ``obj``'s key, if any (``Delete``)."""
        self._pop(self._key_func(obj))

    def _set(self, key: str, obj: Any) -> Any:
        items = self._items
        old = items.get(key)
        items[key] = obj
        if self._indexers:
            self._update_indices(old, obj, key)
        log = self._log
        log.append(key)
        if len(log) > CHANGE_LOG_MIN and len(log) > 4 * len(items):
            self._trim_log()
        return old

    def _pop(self, key: str) -> Any:
        old = self._items.pop(key, None)
        if old is not None:
            if self._indexers:
                self._update_indices(old, None, key)
            self._log.append(key)
        return old

    def get(self, obj: Any) -> Any | None:
        """The stored object with ``obj``'s key (a string is a key), or ``None`` (``Get``)."""
        return self._items.get(obj if isinstance(obj, str) else self._key_func(obj))

    def get_by_key(self, key: str) -> Any | None:
        """The stored object under ``key``, or ``None`` (``GetByKey``)."""
        return self._items.get(key)

    def list(self) -> list[Any]:
        """Every stored object (``List``)."""
        return list(self._items.values())

    def list_keys(self) -> list[str]:
        """Every key (``ListKeys``)."""
        return list(self._items)

    def replace(self, objs: Iterable[Any], resource_version: str = "") -> None:
        """Replace the whole content with ``objs`` and rebuild the indices (``Replace``)."""
        items = {self._key_func(obj): obj for obj in objs}
        self._items = items
        self._indices = {name: {} for name in self._indexers}
        self._values = {name: {} for name in self._indexers}
        self._log_base += len(self._log) + 1  # every earlier position is now too old
        self._log = []
        for key, obj in items.items():
            self._update_indices(None, obj, key)
        self._log.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    # ---- Indexer -----------------------------------------------------------------------------------------

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        """Add index functions (``AddIndexers``); objects already stored are indexed at once. A name that is
        already taken raises ``ValueError("indexer conflict: ...")``."""
        conflict = sorted(set(self._indexers) & set(indexers))
        if conflict:
            raise ValueError(f"indexer conflict: {conflict}")
        for name, fn in indexers.items():
            self._indexers[name] = fn
            index: dict[str, dict[str, None]] = {}
            self._indices[name] = index
            stored = self._values[name] = {}
            for key, obj in self._items.items():
                values = stored[key] = fn(obj)
                for value in values:
                    index.setdefault(value, {})[key] = None
        self._log_base += len(self._log) + 1  # the new indices were built without the log
        self._log = []

    def get_indexers(self) -> dict[str, IndexFunc]:
        """The index functions by name (``GetIndexers``)."""
        return dict(self._indexers)

    def _index_func(self, name: str) -> IndexFunc:
        fn = self._indexers.get(name)
        if fn is None:
            raise ValueError(f"Index with name {name} does not exist")
        return fn

    def index_keys(self, name: str, value: str) -> list[str]:
        """The keys of the objects whose index ``name`` includes ``value`` (``IndexKeys``)."""
        self._index_func(name)
        return list(self._indices[name].get(value, ()))

    def by_index(self, name: str, value: str) -> list[Any]:
        """The objects whose index ``name`` includes ``value`` (``ByIndex``)."""
        self._index_func(name)
        bucket = self._indices[name].get(value)
        # map() over the bucket's keys: the same list as a comprehension, built without a Python-level loop (a
        # ReplicaSet's sync lists its 1,000 Pods this way)
        return list(map(self._items.__getitem__, bucket)) if bucket else []

    def index(self, name: str, obj: Any) -> list[Any]:
        """The objects that share an index value with ``obj`` under index ``name`` (``Index``)."""
        values = self._index_func(name)(obj)
        index = self._indices[name]
        keys: dict[str, None] = {}
        for value in values:
            keys.update(index.get(value, {}))
        items = self._items
        return [items[key] for key in keys]

    def list_index_func_values(self, name: str) -> list[str]:
        """The values index ``name`` currently holds (``ListIndexFuncValues``)."""
        return list(self._indices.get(name, ()))

    def _update_indices(self, old: Any, new: Any, key: str) -> None:
        """``updateIndices``: move ``key`` from the old object's index values to the new one's."""
        values = self._values
        for name, fn in self._indexers.items():
            stored = values[name]
            if old is None:
                old_values = ()
            else:
                old_values = stored.get(key)
                if old_values is None:  # (not stored through this method: ask the function)
                    old_values = fn(old)
            if new is None:
                new_values = ()
                stored.pop(key, None)
            else:
                new_values = stored[key] = fn(new)
            if old_values == new_values:
                continue
            index = self._indices[name]
            log = self._log
            for value in old_values:
                if value not in new_values:
                    bucket = index.get(value)
                    if bucket is not None and key in bucket:
                        del bucket[key]
                        log.append((name, value, key, False))
                        if not bucket:  # drop empty sets (kubernetes/kubernetes#84959)
                            del index[value]
            for value in new_values:
                if value not in old_values:
                    bucket = index.setdefault(value, {})
                    if key not in bucket:
                        log.append((name, value, key, True))
                    bucket[key] = None

    # ---- the change log (see the class docstring) ----------------------------------------------------------

    def log_position(self) -> int:
        """The position after the last change: what a reader keeps to ask :meth:`changes_since` later."""
        return self._log_base + len(self._log)

    def changes_since(self, position: int) -> list[Any] | None:
        """The log entries after ``position``, oldest first: a key (its object was stored or removed) or
        ``(index name, value, key, joined)`` (the key joined or left the value's set, logged before the key);
        ``None`` if the log no longer reaches back to ``position``."""
        start = position - self._log_base
        if start < 0:
            return None
        return self._log[start:]

    def index_bucket(self, name: str, value: str) -> dict[str, Any]:
        """The objects whose index ``name`` includes ``value``, by key, in :meth:`by_index`'s order (a new dict)."""
        self._index_func(name)
        bucket = self._indices[name].get(value)
        return dict(zip(bucket, map(self._items.__getitem__, bucket), strict=True)) if bucket else {}

    def _trim_log(self) -> None:
        drop = len(self._log) // 2
        del self._log[:drop]
        self._log_base += drop

    def __repr__(self) -> str:
        return f"Indexer(items={len(self._items)}, indexers={sorted(self._indexers)})"


# --------------------------------------------------------------------------------------------------------------
# The lister-watcher protocol


ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"
BOOKMARK = "BOOKMARK"
ERROR = "ERROR"
CLOSED = "CLOSED"
"""Watch event types (``watch.EventType``), plus the model's ``CLOSED`` for the end of a watch stream."""


class Expired(Exception):
    """``410 Gone``: the requested resourceVersion is older than what the server still has (compacted).

    Raised by a lister-watcher's ``watch``, or sent during a watch as an ``ERROR`` event carrying
    :meth:`status`. An informer answers it by listing again.
    """

    code = 410
    reason = "Expired"

    def __init__(self, message: str = "too old resource version") -> None:
        super().__init__(message)
        self.message = message

    def status(self) -> Obj:
        """The ``metav1.Status`` a watch stream sends for this error (``apierrors.NewResourceExpired``)."""
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }


def is_expired(status: Mapping[str, Any]) -> bool:
    """``isExpiredError`` in ``reflector.go``: a Status with reason ``Expired`` or ``Gone`` (HTTP 410)."""
    return status.get("reason") in ("Expired", "Gone") or status.get("code") == 410


class WatchHandle(Protocol):
    """What ``ListerWatcher.watch`` returns: ``stop()`` ends the watch."""

    def stop(self) -> None: ...


class ListerWatcher(Protocol):
    """``cache.ListerWatcher`` as the model needs it (see the module docstring)."""

    def list(self) -> tuple[list[Obj], str]: ...

    def watch(self, resource_version: str, callback: Callable[[str, Any], None]) -> WatchHandle: ...


# --------------------------------------------------------------------------------------------------------------
# The informer (shared_informer.go, reflector.go, controller.go, delta_fifo.go)


@dataclass(eq=False)
class ResourceEventHandler:
    """``cache.ResourceEventHandlerFuncs``, and the registration :meth:`Informer.add_event_handler` returns.

    ``on_add(obj)``; ``on_update(old, new)``; ``on_delete(obj)`` where ``obj`` may be a
    :class:`DeletedFinalStateUnknown`. A missing function is skipped.
    """

    on_add: Callable[[Any], object] | None = None
    on_update: Callable[[Any, Any], object] | None = None
    on_delete: Callable[[Any], object] | None = None


class _ExponentialBackoff:
    """``wait.NewExponentialBackoffManager`` (``wait/backoff.go``: ``getNextBackoff`` and ``delay``)."""

    def __init__(self, sim: Simulation, rng: Any, initial: float, cap: float, reset: float, factor: float, jit: float):
        self._sim = sim
        self._rng = rng
        self._initial = initial
        self._cap = cap
        self._reset = reset
        self._factor = factor
        self._jitter = jit
        self._duration = initial
        self._steps = (1 << 31) - 1  # math.MaxInt32: "assume we will never use up the steps"
        self._last_start = sim.now

    def next(self) -> float:
        now = self._sim.now
        if now - self._last_start > self._reset:
            self._steps = (1 << 31) - 1
            self._duration = self._initial
        self._last_start = now
        if self._steps < 1:
            return jitter(self._duration, self._jitter, self._rng) if self._jitter > 0 else self._duration
        self._steps -= 1
        duration = self._duration
        nxt = duration * self._factor
        if self._cap > 0 and nxt > self._cap:
            nxt = self._cap
            self._steps = 0
        self._duration = nxt
        return jitter(duration, self._jitter, self._rng) if self._jitter > 0 else duration


class Informer:
    """A shared index informer: list, then watch, into a local cache, calling handlers on every change.

    ``lister_watcher`` follows :class:`ListerWatcher`. ``resync_period`` (seconds or a Go duration string; 0
    means never) re-delivers every cached object as ``on_update(obj, obj)``. ``name`` labels the informer's
    log records and its random stream. The cache is :attr:`indexer`, keyed by ``key_func`` and indexed by
    namespace plus ``indexers``. Call :meth:`start` to list and begin watching.
    """

    # Reflector backoff: NewExponentialBackoffManager(800*time.Millisecond, 30*time.Second, 2*time.Minute, 2.0,
    # 1.0, clock) in NewReflectorWithOptions (reflector.go).
    BACKOFF_INITIAL = 0.8
    BACKOFF_CAP = 30.0
    BACKOFF_RESET = 120.0
    BACKOFF_FACTOR = 2.0
    BACKOFF_JITTER = 1.0

    def __init__(
        self,
        sim: Simulation,
        lister_watcher: ListerWatcher,
        resync_period: float | str = 0.0,
        key_func: Callable[[Any], str] = meta_namespace_key,
        *,
        name: str = "informer",
        indexers: Mapping[str, IndexFunc] | None = None,
    ) -> None:
        self.sim = sim
        self.lister_watcher = lister_watcher
        self.resync_period = parse_duration(resync_period)
        self.name = name
        if key_func is meta_namespace_key:
            self._key = deletion_handling_meta_namespace_key
        else:

            def _key(obj: Any, _key_func: Callable[[Any], str] = key_func) -> str:
                return obj.key if type(obj) is DeletedFinalStateUnknown else _key_func(obj)

            self._key = _key
        self.indexer = Indexer(self._key, {NAMESPACE_INDEX: meta_namespace_index_func, **(indexers or {})})
        self._handlers: tuple[ResourceEventHandler, ...] = ()
        self._backoff = _ExponentialBackoff(
            sim,
            sim.rng(f"informer/{name}"),
            self.BACKOFF_INITIAL,
            self.BACKOFF_CAP,
            self.BACKOFF_RESET,
            self.BACKOFF_FACTOR,
            self.BACKOFF_JITTER,
        )
        self._rv = ""
        self._gen = 0  # bumped whenever a watch ends, so its late events are ignored
        self._watch_handle: WatchHandle | None = None
        self._retry: Timer | None = None
        self._resync_timer: Timer | None = None
        self._started = False
        self._stopped = False
        self._synced = False
        self.list_count = 0  # lists done, the first one included

    # ---- handlers ----------------------------------------------------------------------------------------

    def add_event_handler(
        self,
        on_add: Callable[[Any], object] | None = None,
        on_update: Callable[[Any, Any], object] | None = None,
        on_delete: Callable[[Any], object] | None = None,
    ) -> ResourceEventHandler:
        """Register handlers (``AddEventHandler``); returns the registration for :meth:`remove_event_handler`.

        On an informer that has already listed, ``on_add`` is called at once for every cached object, as
        upstream replays the cache to a late handler.
        """
        handler = ResourceEventHandler(on_add, on_update, on_delete)
        self._handlers = (*self._handlers, handler)
        if self._synced and on_add is not None:
            for obj in self.indexer.list():
                on_add(obj)
        return handler

    def remove_event_handler(self, handler: ResourceEventHandler) -> None:
        """Unregister handlers added by :meth:`add_event_handler` (``RemoveEventHandler``)."""
        self._handlers = tuple(h for h in self._handlers if h is not handler)

    def _on_add(self, obj: Any) -> None:
        for h in self._handlers:
            if h.on_add is not None:
                h.on_add(obj)

    def _on_update(self, old: Any, new: Any) -> None:
        for h in self._handlers:
            if h.on_update is not None:
                h.on_update(old, new)

    def _on_delete(self, obj: Any) -> None:
        for h in self._handlers:
            if h.on_delete is not None:
                h.on_delete(obj)

    # ---- running -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """List, fill the cache (calling ``on_add``), and start watching (``Run``). Starting twice does nothing."""
        if self._started:
            return
        self._started = True
        self._list_and_watch()
        if self.resync_period > 0:
            self._resync_timer = self.sim.every(
                self.resync_period, self._resync, start=self.sim.now + self.resync_period
            )

    def stop(self) -> None:
        """Stop watching, retrying and resyncing. The cache keeps its content."""
        self._stopped = True
        self._end_watch()
        for timer in (self._retry, self._resync_timer):
            if timer is not None:
                timer.cancel()
        self._retry = self._resync_timer = None

    def has_synced(self) -> bool:
        """True once the first list has been delivered to the cache and the handlers (``HasSynced``)."""
        return self._synced

    @property
    def last_sync_resource_version(self) -> str:
        """The resourceVersion of the last list or watch event seen (``LastSyncResourceVersion``)."""
        return self._rv

    def _backoff_then(self, fn: Callable[[], None]) -> None:
        self._retry = self.sim.call_later(self._backoff.next(), fn)

    def _list_and_watch(self) -> None:
        """``ListAndWatch``: list, replace the cache, then watch from the list's resourceVersion."""
        self._retry = None
        if self._stopped:
            return
        try:
            items, rv = self.lister_watcher.list()
        except (ConnectionError, Expired) as err:
            self.sim.log("informer.list_failed", informer=self.name, error=str(err))
            self._backoff_then(self._list_and_watch)
            return
        self.list_count += 1
        self.sim.log("informer.list", informer=self.name, items=len(items), resourceVersion=rv)
        self._replace(items)
        self._rv = rv
        self._synced = True
        self._watch()

    def _watch(self) -> None:
        """Open a watch from the last resourceVersion (the loop in ``Reflector.watch``)."""
        self._retry = None
        if self._stopped:
            return
        self._gen += 1
        gen = self._gen
        try:
            handle = self.lister_watcher.watch(self._rv, partial(self._on_event, gen))
        except ConnectionError as err:  # isWatchErrorRetriable: back off, then watch again from the same RV
            self.sim.log("informer.watch_failed", informer=self.name, error=str(err))
            self._backoff_then(self._watch)
            return
        except Expired as err:  # the watch cannot start: ListAndWatch returns, backs off and lists again
            self.sim.log("informer.watch_expired", informer=self.name, error=str(err), resourceVersion=self._rv)
            self._backoff_then(self._list_and_watch)
            return
        if gen != self._gen:  # the watch already ended while replaying
            handle.stop()
        else:
            self._watch_handle = handle

    def _end_watch(self) -> None:
        self._gen += 1
        handle, self._watch_handle = self._watch_handle, None
        if handle is not None:
            handle.stop()

    def _on_event(self, gen: int, event_type: str, obj: Any) -> None:
        """``watchHandler``: apply one watch event to the cache and tell the handlers."""
        if gen != self._gen:
            return
        if self.sim.trace_informers:
            self._trace(event_type, obj)
        if event_type in (MODIFIED, ADDED):
            old = self.indexer._set(self._key(obj), obj)
            if old is None:
                for h in self._handlers:
                    if h.on_add is not None:
                        h.on_add(obj)
            else:
                for h in self._handlers:
                    if h.on_update is not None:
                        h.on_update(old, obj)
        elif event_type == DELETED:
            self._delete(obj)
        elif event_type == BOOKMARK:
            pass
        elif event_type == ERROR:
            self._end_watch()
            expired = is_expired(obj or {})
            self.sim.log(
                "informer.watch_expired" if expired else "informer.watch_error",
                informer=self.name,
                error=(obj or {}).get("message", ""),
                resourceVersion=self._rv,
            )
            self._backoff_then(self._list_and_watch)
            return
        elif event_type == CLOSED:  # the stream ended: watch again from the last resourceVersion, no list
            self._end_watch()
            self._retry = self.sim.call_later(0.0, self._watch)
            return
        else:
            raise ValueError(f"unknown watch event type {event_type!r}")
        rv = obj["metadata"].get("resourceVersion")
        if rv:
            self._rv = rv

    def _trace(self, event_type: str, obj: Any) -> None:
        """The ``informer.event`` record of one watch event (``Simulation.trace_informers``): which informer got what,
        before its handlers run."""
        if event_type in (MODIFIED, ADDED, DELETED) and isinstance(obj, Mapping):
            meta = obj.get("metadata") or {}
            self.sim.log(
                "informer.event",
                informer=self.name,
                type=event_type,
                object_kind=obj.get("kind", ""),
                namespace=meta.get("namespace", ""),
                name=meta.get("name", ""),
                rv=int(rv) if (rv := meta.get("resourceVersion") or "").isdigit() else None,
            )
        else:
            self.sim.log("informer.event", informer=self.name, type=event_type)

    def _delete(self, obj: Any) -> None:
        old = self.indexer._pop(self._key(obj))
        if old is not None:  # DeltaFIFO.Delete: nothing to tell about an object it never knew
            self._on_delete(obj)

    def _replace(self, items: list[Any]) -> None:
        """``DeltaFIFO.Replace`` then ``HandleDeltas``: add or update every listed object, in list order; then
        delete every cached object the list lacks, as a :class:`DeletedFinalStateUnknown`."""
        keys = set()
        key_of = self._key
        for obj in items:
            key = key_of(obj)
            keys.add(key)
            old = self.indexer._set(key, obj)
            if old is None:
                self._on_add(obj)
            else:
                self._on_update(old, obj)
        for key in [k for k in self.indexer.list_keys() if k not in keys]:
            old = self.indexer._pop(key)
            self._on_delete(DeletedFinalStateUnknown(key, old))

    def _resync(self) -> None:
        """``DeltaFIFO.Resync``: hand every cached object to ``on_update(obj, obj)``."""
        if not self._synced:
            return
        for obj in self.indexer.list():
            self._on_update(obj, obj)

    # ---- listers (listers.go) ----------------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        """The cached object under ``key`` (``"namespace/name"`` or ``"name"``), or ``None``."""
        return self.indexer.get_by_key(key)

    def list(
        self, selector: Selector | str | Mapping[str, str] | None = None, namespace: str | None = None
    ) -> list[Any]:
        """Cached objects matching a label ``selector`` (a :class:`Selector`, a string such as ``"app=web"`` or
        a ``matchLabels``-style dict), in ``namespace`` or in all namespaces (``ListAllByNamespace``)."""
        if isinstance(selector, str):
            selector = parse_selector(selector)
        elif selector is not None and not isinstance(selector, Selector):
            selector = selector_from_set(selector)
        objs = self.indexer.list() if not namespace else self.indexer.by_index(NAMESPACE_INDEX, namespace)
        if selector is None or selector.empty():
            return objs
        matches = selector.matches
        return [obj for obj in objs if matches(obj["metadata"].get("labels"))]

    def __repr__(self) -> str:
        return f"Informer({self.name!r}, items={len(self.indexer)}, synced={self._synced}, rv={self._rv!r})"


def enqueue_on_change(
    informer: Informer,
    queue: WorkQueue,
    key_func: Callable[[Any], str] = deletion_handling_meta_namespace_key,
) -> ResourceEventHandler:
    """Queue the key of every added, updated (resyncs included) and deleted object: the handlers most
    controllers register (e.g. ``enqueueFoo`` in ``k8s.io/sample-controller``, with
    ``DeletionHandlingMetaNamespaceKeyFunc`` so a :class:`DeletedFinalStateUnknown` queues its key)."""

    def on_add(obj: Any) -> None:
        queue.add(key_func(obj))

    def on_update(old: Any, new: Any) -> None:
        queue.add(key_func(new))

    def on_delete(obj: Any) -> None:
        queue.add(key_func(obj))

    return informer.add_event_handler(on_add=on_add, on_update=on_update, on_delete=on_delete)


__all__ = [
    "ADDED",
    "BOOKMARK",
    "CLOSED",
    "DELETED",
    "ERROR",
    "MODIFIED",
    "NAMESPACE_INDEX",
    "BucketRateLimiter",
    "DeletedFinalStateUnknown",
    "Expired",
    "Indexer",
    "Informer",
    "ItemExponentialFailureRateLimiter",
    "ItemFastSlowRateLimiter",
    "ListerWatcher",
    "MaxOfRateLimiter",
    "Obj",
    "RateLimiter",
    "ResourceEventHandler",
    "WatchHandle",
    "WithMaxWaitRateLimiter",
    "WorkQueue",
    "default_controller_rate_limiter",
    "default_item_based_rate_limiter",
    "deletion_handling_meta_namespace_key",
    "enqueue_on_change",
    "is_expired",
    "meta_namespace_index_func",
    "meta_namespace_key",
    "split_meta_namespace_key",
]
