"""backoff: CrashLoopBackOff and image pull back-off — 10 s doubling to 300 s, forgotten after 10 minutes.

When a container keeps exiting, the kubelet does not restart it in a tight loop: it waits, and the wait doubles with
every crash, up to five minutes. The same schedule spaces the retries of an image that cannot be pulled. Both are
one ``flowcontrol.Backoff`` (``staging/src/k8s.io/client-go/util/flowcontrol/backoff.go``) that the kubelet creates
with ``NewBackOff(backOffPeriod, MaxContainerBackOff)``: 10 s initial, 300 s maximum (``pkg/kubelet/kubelet.go``:
``backOffPeriod``; ``MaxContainerBackOff`` in the same package), and no jitter (``maxJitterFactor`` 0).

:class:`Backoff` is that type, on the simulated clock:

``next(key, event_time)``
    A first failure (or one after the entry expired) starts the entry at 10 s; each further failure doubles it, up to
    300 s. ``last_update`` becomes *now*.
``is_in_backoff_since(key, event_time)``
    ``now - event_time < backoff``: is it too early to act on something that happened at ``event_time``? The
    kubelet asks this with the *finish time* of the container's last exit (``doBackOff`` in
    ``pkg/kubelet/kuberuntime/kuberuntime_manager.go``).
``is_in_backoff_since_update(key, event_time)``
    ``event_time - last_update < backoff``: the image manager's question, with *now* (``image_manager.go``).
expiry
    ``hasExpired``: an entry whose ``last_update`` lies more than twice the maximum (600 s, **10 minutes**) before the
    event is forgotten, and the next failure starts again at 10 s. For a container, ``last_update`` is when it was
    last started, so a container that ran for more than 10 minutes before crashing is treated as a first offender.

The key of a container (:func:`stable_key`) is ``getStableKey``: pod name, namespace, uid, container name and a hash
of the fields that make up the container's identity (``HashContainer`` over ``pickFieldsToHash``: its name and image),
so changing a container's image starts a fresh back-off. The image key is ``<pod uid>_<image>``.

How the delays look from outside: the first restart of a crashed container is immediate (the entry is created by
that restart: upstream issue kubernetes/kubernetes#133472), then 10, 20, 40, 80, 160, 300, 300, ... seconds, each
counted from the moment the container exited. The pod worker retries a sync that failed every
``wait.Jitter(10 s, 0.5)`` (see :mod:`k8smodel.kubelet.kubelet`), so the restart happens at the first retry after the
back-off ran out.

Which version: the retry every 10 to 15 s is v1.33's pod worker. Since v1.34 (kubernetes/kubernetes#133066) a
sync that failed on a back-off is requeued at the back-off's expiry instead; the model keeps the older rule, under
which the restart comes up to 15 s after the back-off ran out and the ``CrashLoopBackOff`` waiting reason shows in
the Pod's status while it waits (with the newer rule it shows only for the instant of the restart).

What the model leaves out: the ``KubeletCrashLoopBackOffMax`` and ``ReduceDefaultCrashLoopBackOffDecay`` feature gates
(alpha since v1.32, off by default: a configurable maximum, and 1 s doubling to 60 s), and ``Backoff.GC`` (entries are
kept; an expired one behaves exactly like a missing one). Times are float seconds; comparisons allow a nanosecond of
rounding (:data:`EPSILON`) where Go compares integer nanoseconds.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

INITIAL_BACKOFF = 10.0
"""``backOffPeriod`` (``pkg/kubelet/kubelet.go``): the first back-off, in seconds."""
MAX_BACKOFF = 300.0
"""``MaxContainerBackOff``: the longest back-off (5 minutes)."""
EPSILON = 1e-9
"""Float slack in comparisons (Go compares integer nanoseconds)."""


@dataclass
class BackoffEntry:
    """``backoffEntry``: the current back-off and when it was last updated."""

    backoff: float
    last_update: float


def has_expired(event_time: float, last_update: float, max_duration: float) -> bool:
    """``hasExpired``: an entry is stale once the event comes more than twice the maximum after its last update."""
    return event_time - last_update > 2 * max_duration + EPSILON


class Backoff:
    """``flowcontrol.Backoff`` without jitter; ``now`` is a function returning the simulated time."""

    def __init__(
        self, now: Callable[[], float], initial: float = INITIAL_BACKOFF, maximum: float = MAX_BACKOFF
    ) -> None:
        self._now = now
        self.initial = initial
        self.maximum = maximum
        self._entries: dict[str, BackoffEntry] = {}

    def get(self, key: str) -> float:
        """The current back-off of ``key`` (0 if there is none)."""
        entry = self._entries.get(key)
        return 0.0 if entry is None else entry.backoff

    def entry(self, key: str) -> BackoffEntry | None:
        return self._entries.get(key)

    def next(self, key: str, event_time: float) -> float:
        """``Next``: start or double the back-off of ``key``; returns the new back-off."""
        entry = self._entries.get(key)
        if entry is None or has_expired(event_time, entry.last_update, self.maximum):
            entry = self._entries[key] = BackoffEntry(self.initial, 0.0)
        else:
            entry.backoff = min(entry.backoff * 2, self.maximum)
        entry.last_update = self._now()
        return entry.backoff

    def is_in_backoff_since(self, key: str, event_time: float) -> bool:
        """``IsInBackOffSince``: ``now - event_time < backoff`` (False without an entry or with an expired one)."""
        entry = self._entries.get(key)
        if entry is None or has_expired(event_time, entry.last_update, self.maximum):
            return False
        return self._now() - event_time < entry.backoff - EPSILON

    def is_in_backoff_since_update(self, key: str, event_time: float) -> bool:
        """``IsInBackOffSinceUpdate``: ``event_time - last_update < backoff``."""
        entry = self._entries.get(key)
        if entry is None or has_expired(event_time, entry.last_update, self.maximum):
            return False
        return event_time - entry.last_update < entry.backoff - EPSILON

    def backoff_until(self, key: str, event_time: float) -> float | None:
        """When ``is_in_backoff_since(key, event_time)`` turns False (``event_time + backoff``), or ``None``."""
        entry = self._entries.get(key)
        if entry is None or has_expired(event_time, entry.last_update, self.maximum):
            return None
        return event_time + entry.backoff

    def reset(self, key: str) -> None:
        """``Reset``: forget ``key``."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Forget everything (the kubelet process restarted: its back-offs lived in memory)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def fnv32a(data: bytes) -> int:
    """FNV-1a, 32 bits (Go's ``hash/fnv.New32a``)."""
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def hash_container(container: Mapping[str, Any]) -> int:
    """``HashContainer`` over ``pickFieldsToHash`` (``pkg/kubelet/container/helpers.go``): a 32-bit FNV-1a hash of
    the container's name and image. Upstream hashes Go's JSON of that map through ``DeepHashObject``; the model
    hashes the same two fields as sorted JSON, so the values differ from upstream's but change exactly when theirs
    do (a new image)."""
    image, name = container.get("image", ""), container.get("name", "")
    if type(image) is str and type(name) is str:
        return _hash_fields(image, name)  # a pure function of the two strings: remembered
    picked = {"image": image, "name": name}
    return fnv32a(json.dumps(picked, sort_keys=True, separators=(",", ":")).encode())


@functools.lru_cache(maxsize=4096)
def _hash_fields(image: str, name: str) -> int:
    """:func:`hash_container` of a container with this image and name (both strings)."""
    picked = {"image": image, "name": name}
    return fnv32a(json.dumps(picked, sort_keys=True, separators=(",", ":")).encode())


def stable_key(pod: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    """``getStableKey`` (``pkg/kubelet/kuberuntime/helpers.go``): ``<pod>_<namespace>_<uid>_<container>_<hash>``."""
    meta = pod["metadata"]
    return (
        f"{meta.get('name', '')}_{meta.get('namespace', '')}_{meta.get('uid', '')}_{container.get('name', '')}_"
        f"{hash_container(container):x}"
    )


def image_key(pod: Mapping[str, Any], image: str) -> str:
    """The image pull back-off key (``image_manager.go``): ``<pod uid>_<image as written>``."""
    return f"{pod['metadata'].get('uid', '')}_{image}"


__all__ = [
    "EPSILON",
    "INITIAL_BACKOFF",
    "MAX_BACKOFF",
    "Backoff",
    "BackoffEntry",
    "fnv32a",
    "has_expired",
    "hash_container",
    "image_key",
    "stable_key",
]
