"""SchedulingGates: a Pod with ``spec.schedulingGates`` waits outside the active queue.

Upstream: ``pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go`` (``PreEnqueue``: the message
``waiting for scheduling gates: [a b]``, code UnschedulableAndUnresolvable; events: the Pod's gates removed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8smodel.scheduler.framework import Plugin, Status, unresolvable


class SchedulingGates(Plugin):
    NAME = "SchedulingGates"
    EXTENSION_POINTS = ("preEnqueue",)
    EVENTS = (("Pod", "UpdatePodSchedulingGatesEliminated"),)

    def pre_enqueue(self, pod: Mapping[str, Any]) -> Status | None:
        gates = (pod.get("spec") or {}).get("schedulingGates") or []
        if not gates:
            return None
        names = " ".join(g.get("name") or "" for g in gates)
        return unresolvable(f"waiting for scheduling gates: [{names}]")
