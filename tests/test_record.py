"""k8smodel.record: Events with client-go's correlation (``tools/record/events_cache_test.go``)."""

from __future__ import annotations

import pytest

from k8smodel import Cluster
from k8smodel.record import AGGREGATE_PREFIX, SPAM_BURST, EventRecorder


def _pod(cluster: Cluster) -> dict:
    return cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]},
        },
        namespace="default",
    )


def _events(cluster: Cluster) -> list[dict]:
    items, _ = cluster.api.list("events", "default")
    return sorted(items, key=lambda e: e["metadata"]["name"])


def test_event_names_the_object_and_the_source() -> None:
    c = Cluster()
    pod = _pod(c)
    rec = EventRecorder(c.sim, c.api, "kubelet", host="node-1")
    c.run_for("5s")
    rec.event(pod, "Normal", "Pulling", 'Pulling image "nginx"')
    (ev,) = _events(c)
    assert ev["metadata"]["name"] == f"web.{(1767225600 * 10**9 + 5 * 10**9):x}"
    assert ev["involvedObject"]["kind"] == "Pod" and ev["involvedObject"]["uid"] == pod["metadata"]["uid"]
    assert ev["source"] == {"component": "kubelet", "host": "node-1"}
    assert ev["count"] == 1 and ev["firstTimestamp"] == ev["lastTimestamp"] == "2026-01-01T00:00:05Z"
    table = c.get("events")
    assert list(table["REASON"]) == ["Pulling"]


def test_repeats_are_counted_on_one_event() -> None:
    """TestEventCorrelator "the-same-event-should-just-count"."""
    c = Cluster()
    pod = _pod(c)
    rec = EventRecorder(c.sim, c.api, "kubelet", host="node-1")
    for _ in range(3):
        rec.event(pod, "Warning", "BackOff", "Back-off restarting failed container")
        c.run_for("10s")
    (ev,) = _events(c)
    assert ev["count"] == 3
    assert ev["firstTimestamp"] == "2026-01-01T00:00:00Z" and ev["lastTimestamp"] == "2026-01-01T00:00:20Z"


def test_ten_similar_messages_aggregate() -> None:
    """TestEventCorrelator "events-from-different-messages-but-same-reason-should-aggregate" (10 in 10 minutes)."""
    c = Cluster()
    pod = _pod(c)
    rec = EventRecorder(c.sim, c.api, "kubelet")
    for i in range(12):
        rec.event(pod, "Warning", "Unhealthy", f"probe failed {i}")
    events = _events(c)
    plain = [e for e in events if not e["message"].startswith(AGGREGATE_PREFIX)]
    combined = [e for e in events if e["message"].startswith(AGGREGATE_PREFIX)]
    assert len(plain) == 9
    assert len(combined) == 1 and combined[0]["count"] == 3
    assert combined[0]["message"] == AGGREGATE_PREFIX + "probe failed 11"


def test_spam_filter_burst_then_one_per_five_minutes() -> None:
    """TestEventCorrelator's spam cases: a burst of 25 per source and object, refilled at 1/300 s."""
    c = Cluster()
    pod = _pod(c)
    rec = EventRecorder(c.sim, c.api, "kubelet")
    for i in range(SPAM_BURST + 5):
        rec.event(pod, "Normal", f"Reason{i}", "m")
    assert len(_events(c)) == SPAM_BURST and rec.dropped == 5
    c.run_for("299s")
    rec.event(pod, "Normal", "Late", "m")
    assert len(_events(c)) == SPAM_BURST
    c.run_for("2s")
    rec.event(pod, "Normal", "Later", "m")
    assert len(_events(c)) == SPAM_BURST + 1


def test_events_at_the_same_instant_get_distinct_names() -> None:
    c = Cluster()
    pod = _pod(c)
    a = EventRecorder(c.sim, c.api, "kubelet")
    b = EventRecorder(c.sim, c.api, "default-scheduler")
    a.event(pod, "Normal", "Pulling", "x")
    b.event(pod, "Normal", "Scheduled", "y")
    a.event(pod, "Normal", "Pulled", "z")
    assert len({e["metadata"]["name"] for e in _events(c)}) == 3


def test_cluster_scoped_objects_get_events_in_default() -> None:
    c = Cluster()
    node = c.api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}})
    EventRecorder(c.sim, c.api, "node-controller").event(node, "Normal", "RegisteredNode", "Node node-1 event")
    (ev,) = _events(c)
    assert ev["involvedObject"]["name"] == "node-1" and "namespace" not in ev["involvedObject"]


def test_bad_type_is_refused() -> None:
    c = Cluster()
    with pytest.raises(ValueError, match="Normal"):
        EventRecorder(c.sim, c.api, "x").event(_pod(c), "Info", "R", "m")
