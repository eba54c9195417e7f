"""Watch: how every informer learns about every change, in revision order.

A client watches a resource (optionally one namespace, optionally filtered by label and field selectors) from a
resourceVersion, and receives ``ADDED``, ``MODIFIED`` and ``DELETED`` events for every change after it. Upstream
the API server's *cacher* (``staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go``) keeps one etcd watch per
resource, decodes each change once and fans it out to every client watcher; the event types follow
``storage/etcd3/watcher.go`` (``transform``): a key created is ``ADDED``; a key changed is ``MODIFIED``; a key
deleted is ``DELETED`` carrying the last state of the object with the deletion's revision as its resourceVersion.
With a selector, an object that starts to match is ``ADDED``, one that stops matching ``DELETED``.

The model's :class:`WatchFanout` is that cacher: one etcd watch on ``/registry/`` for the whole API server; each
event is decoded once and the same dict goes to every watcher that wants it (watchers must treat it as
read-only, as informers do). A watch from an old resourceVersion first replays the history etcd still has; one
from a compacted resourceVersion fails with ``410 Expired`` (``too old resource version: 5 (10)``), which makes an
informer list again. A watch without a resourceVersion (or ``"0"``) starts with a synthetic ``ADDED`` for every
current object, as upstream's "get state and start at most recent".

Like the cacher, the fan-out indexes watchers by a *trigger* field where upstream does (``cacher.go``:
``indexedTrigger``; ``pkg/registry/core/pod/storage/storage.go``: ``NodeNameTriggerFunc``): a Pod watch whose
field selector says ``spec.nodeName=<node>`` — every kubelet's — is only offered the changes of Pods that are, or
were, on that node. Without the index each Pod change would be matched against every kubelet's watch, which at
100 nodes costs more than the change itself.

The cacher keeps each object's previous version in its watch cache, so a change's old object needs no decoding.
The model keeps what it needs of that: for an indexed kind, each object's trigger value as of its latest change
(recorded while indexed watchers exist), and for each watcher whether the latest version it was offered of each
object matched its selectors. Etcd's ``prev_kv`` of the next change is exactly that version, so the previous
object is decoded only when it is delivered (a ``DELETED``) or was never seen. A list with the trigger field in its
field selector (a kubelet's ``spec.nodeName=<node>``) decodes only the stored objects that hold that value
(``server.py``), where upstream's cacher answers it from its index.

The fan-out's one etcd watch on ``/registry/`` tells etcd which changes it would ignore (a kind nobody watches,
``WatchFanout._ignores``): etcd then builds no event record for them and does not call back at all.

The watch cache's latest objects (:attr:`WatchFanout.latest`)
    Upstream the cacher keeps the latest decoded version of every object, and the API server's ``GuaranteedUpdate``
    starts from it (``cachedExistingObject`` in ``cacher.go``) instead of decoding what etcd holds. The model keeps
    that for the two kinds written most often, Pods and Leases (``CACHED_GROUPS``): ``latest`` maps an etcd key to
    ``(mod_revision, object)``, the object being the one version of that revision every watcher got. The API server's
    lean paths (``server.py``: a kubelet's Lease renewal and Pod status patch) read the stored version from it, and
    register the object they have just written under the revision it is about to get, so the fan-out delivers that
    very object rather than decoding its bytes again. An entry is used only while its revision is the key's current
    one (a revision number belongs to one write only), so a stale entry is never read; a deletion drops the entry.
    The objects are shared read-only, as every watcher's already is: informers and their handlers never change an
    object in place (``tests/test_speed_watchcache.py`` checks this after whole runs, and that every registered object
    is exactly what decoding its stored bytes gives).

What the model leaves out: the watch cache's own sliding window and its ``resourceVersion="0"`` list; bookmarks;
watch timeouts; slow-watcher termination; ``sendInitialEvents``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mypy_extensions import mypyc_attr

from k8smodel.apiserver.registry import decode
from k8smodel.client import ADDED, DELETED, MODIFIED, Expired
from k8smodel.etcd import CompactedError, EventType, Store, Watcher

Obj = dict[str, Any]
_PUT = EventType.PUT
_MAX_MATCHED = 100_000  # objects whose last match one watcher remembers


class APIWatch:
    """One client watch; :meth:`stop` ends it. Without a callback, events wait in :attr:`events`."""

    __slots__ = (
        "_fanout",
        "callback",
        "events",
        "group",
        "matched",
        "matches",
        "min_rev",
        "prefix",
        "stopped",
        "trigger",
        "trigger_only",
    )

    def __init__(
        self,
        fanout: WatchFanout,
        group: str,
        prefix: str,
        matches: Callable[[Obj], bool] | None,
        callback: Callable[[str, Obj], Any] | None,
        trigger: str | None = None,
        trigger_only: bool = False,
    ) -> None:
        self._fanout = fanout
        self.trigger = trigger  # the value of the group's trigger field this watch selects, if indexed
        # whether the selectors are that trigger requirement and nothing else (a kubelet's spec.nodeName=<node>):
        # then an object matches exactly when its trigger value is ``trigger``
        self.trigger_only = trigger_only and trigger is not None
        self.group = group  # the kind's key prefix, e.g. /registry/pods/
        self.prefix = prefix  # the watched prefix (the group, or one namespace in it)
        self.matches = matches
        self.events: list[tuple[str, Obj]] = []
        self.callback = callback if callback is not None else self._buffer
        self.min_rev = 0
        self.stopped = False
        # Whether each object this watch was last offered matched its selectors: the next change's previous object
        # is that very version, so its match need not be decoded and evaluated again.
        self.matched: dict[str, bool] = {}

    def _buffer(self, event_type: str, obj: Obj) -> None:
        self.events.append((event_type, obj))

    def drain(self) -> list[tuple[str, Obj]]:
        """Take the buffered events (when watching without a callback)."""
        events, self.events = self.events, []
        return events

    def stop(self) -> None:
        """End the watch (``watch.Interface.Stop``)."""
        if not self.stopped:
            self.stopped = True
            self._fanout._remove(self)

    def __repr__(self) -> str:
        return f"APIWatch(prefix={self.prefix!r}, stopped={self.stopped})"


def _pod_node_name(obj: Obj) -> str:
    return (obj.get("spec") or {}).get("nodeName") or ""


# Upstream's indexed triggers: key prefix -> (the field a selector must name, how to read it from an object).
TRIGGERS: dict[str, tuple[str, Callable[[Obj], str]]] = {"/registry/pods/": ("spec.nodeName", _pod_node_name)}

# The kinds whose latest decoded object the fan-out keeps (WatchFanout.latest; see the module docstring).
CACHED_GROUPS = ("/registry/pods/", "/registry/leases/")
_MAX_LATEST = 200_000  # objects kept; past that the memory is dropped (only a shortcut: never an answer)


class _Group:
    """The watchers of one kind: those indexed by their trigger value, and the rest."""

    __slots__ = ("by_value", "plain", "trigger", "values")

    def __init__(self, trigger: Callable[[Obj], str] | None) -> None:
        self.plain: tuple[APIWatch, ...] = ()
        self.by_value: dict[str, tuple[APIWatch, ...]] = {}
        self.trigger = trigger
        # The trigger value of each object's latest version, recorded while indexed watchers exist (the cacher keeps
        # the previous object in its watch cache): a change's previous trigger value without decoding prev_kv.
        self.values: dict[str, str] = {}

    def empty(self) -> bool:
        return not self.plain and not self.by_value


@mypyc_attr(native_class=False)  # a Python class also when compiled (k8smodel/_native.py): tests replace methods
class WatchFanout:
    """One etcd watch, decoded once per change, delivered to every interested :class:`APIWatch`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._groups: dict[str, _Group] = {}
        self._bases: tuple[str, ...] = ()  # the watched kinds' key prefixes (the keys of _groups), for _ignores
        self._etcd_watch: Watcher | None = None
        self.deliveries = 0
        # key -> (mod_revision, stored bytes, the object of that version, shared read-only): the watch cache's latest
        # objects of the CACHED_GROUPS kinds, filled here by what the fan-out decodes and by the API server's lean
        # writes. An entry answers only for that very version: the same revision and the same bytes object etcd
        # holds (a store restored from a snapshot may reuse revision numbers, never the bytes objects).
        self.latest: dict[str, tuple[int, bytes, Obj]] = {}

    def cached(self, key: str, kv: Any) -> Obj | None:
        """The shared object of ``key``'s stored version ``kv``, if the watch cache holds that very version."""
        entry = self.latest.get(key)
        return entry[2] if entry is not None and entry[0] == kv.mod_revision and entry[1] is kv.value else None

    def remember(self, key: str, mod_revision: int, value: bytes, obj: Obj) -> None:
        """Keep ``obj`` as ``key``'s version ``mod_revision`` stored as ``value`` (a writer's object, registered
        before its write commits; it is delivered to the watchers as it is, so it must already carry that
        resourceVersion)."""
        latest = self.latest
        if len(latest) >= _MAX_LATEST:
            latest.clear()
        latest[key] = (mod_revision, value, obj)

    def forget(self, key: str) -> None:
        """Drop ``key``'s entry (a write that was registered and then did not happen)."""
        self.latest.pop(key, None)

    def add(
        self,
        group: str,
        prefix: str,
        resource_version: str | None,
        matches: Callable[[Obj], bool] | None,
        callback: Callable[[str, Obj], Any] | None,
        trigger: str | None = None,
        trigger_only: bool = False,
    ) -> APIWatch:
        """Start a watch on ``prefix`` (inside ``group``) after ``resource_version``; see the module docstring.
        ``trigger`` is the value of the group's trigger field (``TRIGGERS``) that ``matches`` requires, if any;
        ``trigger_only``: ``matches`` requires that and nothing else."""
        store = self._store
        if group not in TRIGGERS:
            trigger = None
        w = APIWatch(self, group, prefix, matches, callback, trigger, trigger_only)
        if self._etcd_watch is None:
            etcd_watch = self._etcd_watch = store.watch("/registry/", callback=self._on_events)
            etcd_watch._ignores = self._ignores
        initial: list[tuple[str, Obj]] = []
        if resource_version in (None, "", "0"):
            current = store.range(prefix)
            for kv in current.kvs:
                obj = decode(kv.value, kv.mod_revision)
                if matches is None:
                    initial.append((ADDED, obj))
                    continue
                passes = w.matched[kv.key] = matches(obj)
                if passes:
                    initial.append((ADDED, obj))
        else:
            rv = int(resource_version)
            compacted = store.compact_revision
            if compacted > 0 and rv < compacted:
                raise Expired(f"too old resource version: {rv} ({compacted})")
            if rv < store.revision:
                try:
                    replay = store.watch(prefix, rv + 1)
                except CompactedError as err:
                    raise Expired(f"too old resource version: {rv} ({err.compact_revision})") from None
                events = replay.drain()
                replay.cancel()
                for event in events:
                    delivered = _transform(event, matches, {}, None)
                    if delivered is not None:
                        initial.append(delivered)
        w.min_rev = max(store.revision + 1, int(resource_version or 0) + 1)
        g = self._groups.get(group)
        if g is None:
            entry = TRIGGERS.get(group)
            g = self._groups[group] = _Group(entry[1] if entry else None)
            self._bases = tuple(self._groups)
        if trigger is None:
            g.plain = (*g.plain, w)
        else:
            g.by_value[trigger] = (*g.by_value.get(trigger, ()), w)
        for event_type, obj in initial:
            if w.stopped:
                break
            w.callback(event_type, obj)
        return w

    def _remove(self, w: APIWatch) -> None:
        g = self._groups.get(w.group)
        if g is None:
            return
        if w.trigger is None:
            g.plain = tuple(x for x in g.plain if x is not w)
        else:
            rest = tuple(x for x in g.by_value.get(w.trigger, ()) if x is not w)
            if rest:
                g.by_value[w.trigger] = rest
            else:
                g.by_value.pop(w.trigger, None)
            if not g.by_value:
                g.values.clear()  # no longer kept current: start again with the next indexed watcher
        if g.empty():
            del self._groups[w.group]
            self._bases = tuple(self._groups)

    def _ignores(self, key: str) -> bool:
        """Whether a change to ``key`` concerns no watched kind (then ``_on_events`` would skip it: etcd need not
        build its event or call back at all)."""
        return not key.startswith(self._bases)  # (str.startswith of a tuple: one call for every watched kind)

    def _on_events(self, events: list[Any]) -> None:
        """The etcd watch's callback: one revision's events."""
        groups = self._groups
        if not groups:
            return
        first_error: Exception | None = None
        for event in events:
            kv = event.kv
            key = kv.key
            g = None
            for base, group in groups.items():
                if key.startswith(base):
                    g = group
                    break
            if g is None:
                continue
            cache: dict[str, Any] = {}
            cached_kind = key.startswith(CACHED_GROUPS)
            if cached_kind:
                latest = self.latest
                prev_kv = event.prev_kv
                if event.type is _PUT:
                    entry = latest.get(key)
                    if entry is not None and entry[0] == kv.mod_revision and entry[1] is kv.value:
                        cache["cur"] = entry[2]  # the writer's own object (or one decoded before): no decoding
                        cached_kind = False  # (already kept)
                    elif _holds(entry, prev_kv):
                        cache["prev_src"] = entry[2]  # type: ignore[index]  # the version this change replaced
                else:
                    entry = latest.pop(key, None)
                    if _holds(entry, prev_kv):
                        cache["prev_src"] = entry[2]  # type: ignore[index]
            watchers = g.plain
            current = previous = None
            if g.by_value:
                # indexedTrigger: the watchers of the object's trigger value now and before the change
                known = g.values
                if event.type is _PUT:
                    current = g.trigger(_decoded(event, "cur", cache))  # type: ignore[misc]
                if event.prev_kv is not None:
                    previous = known.get(key)
                    if previous is None:
                        previous = g.trigger(_decoded(event, "prev", cache))  # type: ignore[misc]
                if current is None:
                    known.pop(key, None)
                else:
                    known[key] = current
                for value in (current, previous) if previous != current else (current,):
                    if value is None:
                        continue
                    indexed = g.by_value.get(value)
                    if indexed:
                        watchers = (*watchers, *indexed)
            if not watchers:
                if cached_kind and "cur" in cache:
                    self._keep(key, kv, cache["cur"])
                continue
            rev = kv.mod_revision
            for w in watchers:
                if w.stopped or rev < w.min_rev or not key.startswith(w.prefix):
                    continue
                if w.trigger_only:
                    # The selector is the trigger requirement alone: the object's trigger values now and before
                    # the change decide the match of each version, as _transform's would (nothing to evaluate).
                    delivered = _transform_by_trigger(event, current == w.trigger, previous == w.trigger, cache)
                else:
                    if previous is not None and w.trigger is not None and previous != w.trigger:
                        # The previous version's trigger value is not the one this watch's selector requires
                        # (spec.nodeName=<node> is one of its requirements), so it did not match: known without
                        # decoding it (a Pod bound to this kubelet's node was unassigned before).
                        w.matched[key] = False
                    delivered = _transform(event, w.matches, cache, w.matched)
                if delivered is None:
                    continue
                self.deliveries += 1
                try:
                    w.callback(*delivered)
                except Exception as err:
                    if first_error is None:
                        first_error = err
            if cached_kind and "cur" in cache:
                self._keep(key, kv, cache["cur"])
        if first_error is not None:
            raise first_error

    def _keep(self, key: str, kv: Any, cur: Obj) -> None:
        """Keep the object of a change to a ``CACHED_GROUPS`` kind as the watch cache's latest object."""
        latest = self.latest
        if len(latest) >= _MAX_LATEST:
            latest.clear()
        latest[key] = (kv.mod_revision, kv.value, cur)


def _decoded(event: Any, which: str, cache: dict[str, Any]) -> Obj:
    """Decode the new (``cur``) or previous (``prev``) object of ``event`` once for all watchers.

    The previous object is the old version with the revision of this change (etcd3/watcher.go prepareObjs). When the
    watch cache still held that old version (``prev_src``: a writer's object or an earlier decoding, each equal to
    the decoding of its bytes), it is relabelled (:func:`_relabelled`) instead of decoded again."""
    obj = cache.get(which)
    if obj is None:
        if which == "cur":
            obj = decode(event.kv.value, event.kv.mod_revision)
        else:
            src = cache.get("prev_src")
            if src is not None:
                obj = _relabelled(src, event.kv.mod_revision)
            else:
                obj = decode(event.prev_kv.value, event.kv.mod_revision)
        cache[which] = obj
    return obj


def _transform_by_trigger(
    event: Any, cur_passes: bool, prev_passes: bool, cache: dict[str, Any]
) -> tuple[str, Obj] | None:
    """:func:`_transform` for a watch whose selector is its trigger requirement alone, given whether the new version
    (``cur_passes``) and the previous one (``prev_passes``; False when there is none) match it."""
    if event.type is _PUT:
        if cur_passes:
            return (MODIFIED if prev_passes else ADDED, _decoded(event, "cur", cache))
        return (DELETED, _decoded(event, "prev", cache)) if prev_passes else None
    if event.prev_kv is None or not prev_passes:
        return None
    return (DELETED, _decoded(event, "prev", cache))


def _holds(entry: tuple[int, bytes, Obj] | None, kv: Any) -> bool:
    """Whether a watch cache entry is the very version ``kv`` (etcd's record of a stored version), if any."""
    return entry is not None and kv is not None and entry[0] == kv.mod_revision and entry[1] is kv.value


def _relabelled(obj: Obj, revision: int) -> Obj:
    """What ``decode`` gives for the stored bytes of the shared object ``obj`` at ``revision``: a new top level and
    metadata, ``resourceVersion`` last (where ``decode`` puts it), and everything below shared with ``obj``, which
    nobody changes (tests/test_speed_watchcache.py compares the two)."""
    meta = dict(obj["metadata"])
    meta.pop("resourceVersion", None)
    meta["resourceVersion"] = str(revision)
    return {**obj, "metadata": meta}


def _transform(
    event: Any, matches: Callable[[Obj], bool] | None, cache: dict[str, Any], matched: dict[str, bool] | None
) -> tuple[str, Obj] | None:
    """``watchChan.transform``: the client event for one etcd event, or ``None`` if the watcher skips it.

    ``matched`` is the watcher's record of whether each object's latest version it was offered matched (``None``
    for a replay, which neither reads nor writes it): the previous version of a change is the one last offered."""
    if event.type is _PUT:
        cur = _decoded(event, "cur", cache)
        if matches is None:
            return (ADDED if event.kv.version == 1 else MODIFIED, cur)
        cur_passes = matches(cur)
        prev_passes = False
        if event.prev_kv is not None:
            known = None if matched is None else matched.get(event.kv.key)
            prev_passes = known if known is not None else matches(_decoded(event, "prev", cache))
        if matched is not None:
            if len(matched) >= _MAX_MATCHED:  # only a shortcut: forgetting costs a decode, never an answer
                matched.clear()
            matched[event.kv.key] = cur_passes
        if cur_passes and prev_passes:
            return (MODIFIED, cur)
        if cur_passes:
            return (ADDED, cur)
        if prev_passes:
            return (DELETED, _decoded(event, "prev", cache))
        return None
    known = None if matched is None else matched.pop(event.kv.key, None)
    if event.prev_kv is None:
        return None  # the deleted version was compacted away
    if known is False:
        return None
    prev = _decoded(event, "prev", cache)
    if known is None and matches is not None and not matches(prev):
        return None
    return (DELETED, prev)


__all__ = ["CACHED_GROUPS", "APIWatch", "WatchFanout"]
