"""record: how components tell the cluster what happened — Events, with client-go's correlation.

Every component that explains itself (kubelet, scheduler, controllers) writes ``core/v1`` Events through an
event recorder, as upstream's ``client-go/tools/record`` does (``event.go``: ``recorder.generateEvent`` and
``recordToSink``; ``events_cache.go``: ``EventCorrelator``). An Event is named ``<object name>.<hex unix nanos>``,
lives in the object's namespace (``default`` for cluster-scoped objects such as Nodes), carries the object's
reference (``involvedObject``), a ``type`` (``Normal`` or ``Warning``), a machine ``reason`` and a human
``message``, the ``source`` (component and host), and ``firstTimestamp``/``lastTimestamp``/``count``.

Before anything is written, the correlator does three things, with upstream's numbers:

1. **Aggregation.** Events that differ only in their message (same source, object, type and reason) are
   similar; once 10 distinct messages were seen within 10 minutes, the recorder writes one Event whose message is
   ``(combined from similar events): <latest message>`` and counts on it.
2. **De-duplication.** A repeat of the very same event (same source, object, type, reason and message) does not
   create a new Event: the existing one is patched with ``count + 1`` and a new ``lastTimestamp``. This is why
   ``kubectl describe`` shows ``Back-off restarting failed container ... (x12 over 5m)``.
3. **Spam filter.** A source may write 25 events about one object at once; after that the budget refills at
   one event every 5 minutes (a token bucket per source and object); events beyond it are dropped.

What the model leaves out: the LRU bounds of the caches (4,096 entries upstream; here the caches are unbounded,
which only matters for clusters with more than 4,096 busy objects per component), the broadcaster's queue and
its retries (a write that fails is dropped, as upstream drops it after its retries), and the ``events.k8s.io/v1``
API that newer components use (the model writes ``core/v1`` Events, which ``kubectl get events`` shows the same).
Two events about one object at the same simulated nanosecond would get the same name; the recorder keeps names
unique by stepping the nanoseconds forward by one, which no reader will notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.apiserver.authn import ADMIN
from k8smodel.sim import EPOCH, Simulation

NORMAL = "Normal"
WARNING = "Warning"

AGGREGATE_MAX_EVENTS = 10  # defaultAggregateMaxEvents
AGGREGATE_INTERVAL = 600.0  # defaultAggregateIntervalInSeconds
SPAM_BURST = 25  # defaultSpamBurst
SPAM_QPS = 1.0 / 300.0  # defaultSpamQPS
AGGREGATE_PREFIX = "(combined from similar events): "

_EPOCH_NANOS = int(EPOCH.timestamp()) * 1_000_000_000


def object_reference(obj: dict[str, Any], field_path: str = "") -> dict[str, Any]:
    """``reference.GetReference``: the ``involvedObject`` of an Event about ``obj``."""
    meta = obj.get("metadata") or {}
    ref = {"kind": obj.get("kind", ""), "apiVersion": obj.get("apiVersion", "")}
    namespace = meta.get("namespace")
    if namespace:
        ref["namespace"] = namespace
    ref["name"] = meta.get("name", "")
    uid = meta.get("uid")
    if uid:
        ref["uid"] = uid
    rv = meta.get("resourceVersion")
    if rv:
        ref["resourceVersion"] = rv
    if field_path:
        ref["fieldPath"] = field_path
    return ref


class _Bucket:
    """``flowcontrol.NewTokenBucketRateLimiterWithClock(qps, burst)``'s ``TryAccept`` on the simulated clock."""

    __slots__ = ("last", "tokens")

    def __init__(self, tokens: float, last: float) -> None:
        self.tokens = tokens
        self.last = last

    def try_accept(self, now: float) -> bool:
        self.tokens = min(float(SPAM_BURST), self.tokens + (now - self.last) * SPAM_QPS)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def __repr__(self) -> str:
        return f"_Bucket(tokens={self.tokens!r}, last={self.last!r})"


class _Aggregate:
    """The distinct messages of similar events (an insertion-ordered set) and when the last one came."""

    __slots__ = ("last", "messages")

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.last = float("-inf")

    def __repr__(self) -> str:
        return f"_Aggregate(messages={self.messages!r}, last={self.last!r})"


@dataclass(slots=True)
class _Seen:
    name: str
    namespace: str
    count: int
    first: str


class EventRecorder:
    """``record.EventRecorder`` for one component (``source.component``) on one host.

    ``event(obj, type, reason, message)`` records an Event about ``obj`` (a dict as the API returns it). Writes
    go through the API server as ``user``; a refused write is dropped, as upstream's recorder drops it.
    """

    def __init__(self, sim: Simulation, api: Any, component: str, host: str = "", *, user: Any = ADMIN) -> None:
        self.sim = sim
        self.api = api
        self.component = component
        self.host = host
        self.user = user
        self._aggregates: dict[tuple, _Aggregate] = {}
        self._seen: dict[tuple, _Seen] = {}
        self._spam: dict[tuple, _Bucket] = {}
        self.dropped = 0  # events the spam filter or a refused write swallowed
        self._base: tuple[Any, int] | None = None  # (sim.start, its nanoseconds since the Unix epoch)

    def _unique_nanos(self) -> int:
        sim = self.sim
        start = sim.start
        base = self._base
        if base is None or base[0] is not start:  # (the start's nanoseconds, worked out once per start)
            nanos0 = _EPOCH_NANOS if start == EPOCH else round(start.timestamp() * 1_000_000) * 1_000
            base = self._base = (start, nanos0)
        nanos = base[1] + round(sim.now * 1_000_000_000)
        last = getattr(sim, "_event_nanos", 0)
        if nanos <= last:
            nanos = last + 1
        sim._event_nanos = nanos  # type: ignore[attr-defined]
        return nanos

    def event(self, obj: dict[str, Any], type: str, reason: str, message: str, *, field_path: str = "") -> None:
        """Record an Event (``Eventf``): aggregate, de-duplicate, filter spam, then create or patch."""
        if type not in (NORMAL, WARNING):
            raise ValueError(f"event type must be {NORMAL!r} or {WARNING!r}, not {type!r}")
        # The keys read what object_reference(obj, field_path) would hold (a falsy namespace or uid is left out of the
        # reference: ""); the reference itself is built only for a new Event.
        meta = obj.get("metadata") or {}
        namespace = meta.get("namespace") or ""
        uid = meta.get("uid") or ""
        obj_key = (obj.get("kind", ""), namespace, meta.get("name", ""), uid, obj.get("apiVersion", ""))
        now = self.sim.now

        # EventAggregate: similar events (all but the message) within the interval.
        agg_key = (*obj_key, type, reason)
        record = self._aggregates.get(agg_key)
        if record is None or now - record.last > AGGREGATE_INTERVAL:
            record = self._aggregates[agg_key] = _Aggregate()
        if message not in record.messages:
            record.messages.append(message)
        record.last = now
        if len(record.messages) >= AGGREGATE_MAX_EVENTS:
            record.messages.pop()  # "do not grow our local key set any larger than max"
            message = AGGREGATE_PREFIX + message
            key: tuple = ("aggregate", *agg_key)
        else:
            key = (*obj_key, field_path or "", type, reason, message)

        # eventObserve: a repeat of the same key patches count and lastTimestamp.
        seen = self._seen.get(key)

        # filterFunc: the per source+object token bucket.
        bucket = self._spam.get(obj_key)
        if bucket is None:
            bucket = self._spam[obj_key] = _Bucket(float(SPAM_BURST), now)
        if not bucket.try_accept(now):
            if seen is not None:
                seen.count += 1  # upstream records the observation before filtering
            self.dropped += 1
            return

        stamp = self.sim.rfc3339()
        if seen is not None:
            seen.count += 1
            api = self.api
            # The patch is built here and never touched again (three plain values): hand it over
            # (APIServer._patch_owned), unless the API has no such door or its patch was replaced (a test's).
            patch = None if "patch" in getattr(api, "__dict__", ()) else getattr(api, "_patch_owned", None)
            if patch is None:
                patch = api.patch
            try:
                patch(
                    "events",
                    seen.name,
                    seen.namespace,
                    {"count": seen.count, "lastTimestamp": stamp, "message": message},
                    user=self.user,
                )
                return
            except StatusError as err:
                if err.code != 404:
                    self.dropped += 1
                    return
                # The Event expired or was deleted: record it anew (recordToSink's fallback to create).
        ref = object_reference(obj, field_path)
        namespace = namespace or "default"
        name = f"{ref['name']}.{self._unique_nanos():x}"
        count = seen.count if seen is not None else 1
        first = seen.first if seen is not None else stamp
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "source": {"component": self.component, "host": self.host} if self.host else {"component": self.component},
            "firstTimestamp": first,
            "lastTimestamp": stamp,
            "count": count,
            "type": type,
            "eventTime": None,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        api = self.api
        # The Event is built here and never touched again: hand it over (APIServer._create_owned), unless the API
        # has no such door or its create was replaced (a test's fault injection).
        create = None if "create" in getattr(api, "__dict__", ()) else getattr(api, "_create_owned", None)
        if create is None:
            create = api.create
        try:
            create(event, namespace=namespace, user=self.user)
        except StatusError:
            self.dropped += 1
            return
        self._seen[key] = _Seen(name, namespace, count, first)

    def eventf(self, obj: dict[str, Any], type: str, reason: str, fmt: str, *args: Any) -> None:
        """``Eventf``: ``event`` with a printf-style message."""
        self.event(obj, type, reason, fmt % args if args else fmt)


__all__ = ["NORMAL", "WARNING", "EventRecorder", "object_reference"]
