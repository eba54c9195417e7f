"""PrioritySort: the order of the active queue.

Upstream: ``pkg/scheduler/framework/plugins/queuesort/priority_sort.go`` (``Less``: the higher
``corev1helpers.PodPriority`` first; equal priorities by the earlier ``QueuedPodInfo.Timestamp``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8smodel.scheduler.cache import pod_priority
from k8smodel.scheduler.framework import Plugin


def _unwrap(item: Any) -> tuple[Mapping[str, Any], Any]:
    """``(pod, timestamp)`` from a queued-pod info (``.pod``/``.timestamp``, or a dict with those keys) or a Pod
    (its ``metadata.creationTimestamp`` standing in for the queue timestamp)."""
    if hasattr(item, "pod") and hasattr(item, "timestamp"):
        return item.pod, item.timestamp
    if isinstance(item, Mapping) and "pod" in item and "timestamp" in item:
        return item["pod"], item["timestamp"]
    return item, (item.get("metadata") or {}).get("creationTimestamp") or ""


class PrioritySort(Plugin):
    NAME = "PrioritySort"
    EXTENSION_POINTS = ("queueSort",)

    def less(self, a: Any, b: Any) -> bool:
        """``Less``: ``p1 > p2 || (p1 == p2 && t1.Before(t2))``."""
        pod_a, ta = _unwrap(a)
        pod_b, tb = _unwrap(b)
        p1, p2 = pod_priority(pod_a), pod_priority(pod_b)
        return p1 > p2 or (p1 == p2 and ta < tb)
