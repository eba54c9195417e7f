"""NodePorts: a Pod's host ports must be free on the Node.

Upstream: ``pkg/scheduler/framework/plugins/nodeports/node_ports.go`` (``PreFilter``: the Pod's host ports,
``Skip`` when it has none; ``Filter``: ``HostPortInfo.CheckConflict`` for each, reason ``node(s) didn't have free
ports for the requested pod ports``, code Unschedulable so preemption may free them). Test cases:
``node_ports_test.go``.
"""

from __future__ import annotations

import numpy as np

from k8smodel.scheduler.cache import N_PORTS, NodeInfo, host_ports, ports_conflict
from k8smodel.scheduler.framework import SKIP, Cycle, Plugin, PreFilterResult, Status, unschedulable

ERR_REASON = "node(s) didn't have free ports for the requested pod ports"
_STATUS = unschedulable(ERR_REASON)


def fits_ports(want: tuple[tuple[str, str, int], ...], node_info: NodeInfo) -> bool:
    """``fitsPorts``."""
    return not any(ports_conflict(node_info.used_ports, ip, proto, port) for ip, proto, port in want)


class NodePorts(Plugin):
    NAME = "NodePorts"
    EXTENSION_POINTS = ("preFilter", "filter")
    EVENTS = (("AssignedPod", "Delete"), ("Node", "Add"))

    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        ports = host_ports(cycle.pod)
        if not ports:
            return None, SKIP
        cycle.state["PreFilterNodePorts"] = ports
        return None, None

    def _want(self, cycle: Cycle) -> tuple[tuple[str, str, int], ...]:
        want = cycle.state.get("PreFilterNodePorts")
        return host_ports(cycle.pod) if want is None else want

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        snapshot = cycle.snapshot
        busy = alive & (snapshot.num[N_PORTS, slots] > 0)
        if not np.count_nonzero(busy):
            return None
        want = self._want(cycle)
        codes = np.zeros(len(slots), dtype=np.int32)
        for i in np.flatnonzero(busy).tolist():
            if not fits_ports(want, snapshot.infos[int(slots[i])]):  # type: ignore[arg-type]
                codes[i] = cycle.code(self.NAME, _STATUS)
        return codes

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        return None if fits_ports(self._want(cycle), node_info) else _STATUS
