"""NodeUnschedulable: a cordoned Node (``spec.unschedulable``) takes only Pods that tolerate
``node.kubernetes.io/unschedulable:NoSchedule``.

Upstream: ``pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go`` (``Filter``; reason
``node(s) were unschedulable``, code UnschedulableAndUnresolvable). Test cases: ``node_unschedulable_test.go``.

What the model leaves out: the PreFilter ``Skip`` for Pods whose in-place resize is deferred.
"""

from __future__ import annotations

import numpy as np

from k8smodel.api.tolerations import TAINT_NODE_UNSCHEDULABLE, tolerations_tolerate_taint
from k8smodel.scheduler.cache import UNSCHED, NodeInfo
from k8smodel.scheduler.framework import Cycle, Plugin, Status, unresolvable

ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
_TAINT = {"key": TAINT_NODE_UNSCHEDULABLE, "effect": "NoSchedule"}
_STATUS = unresolvable(ERR_REASON_UNSCHEDULABLE)


def _tolerates(cycle: Cycle) -> bool:
    key = "NodeUnschedulable/tolerates"
    found = cycle.state.get(key)
    if found is None:
        found = cycle.state[key] = tolerations_tolerate_taint((cycle.pod.get("spec") or {}).get("tolerations"), _TAINT)
    return found


class NodeUnschedulable(Plugin):
    NAME = "NodeUnschedulable"
    EXTENSION_POINTS = ("filter",)
    EVENTS = (("Node", "Add"), ("Node", "UpdateNodeTaint"), ("Pod", "UpdatePodToleration"))

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        if _tolerates(cycle):
            return None
        unsched = cycle.cols(slots)[UNSCHED]
        if not np.count_nonzero(unsched):
            return None
        return np.where(unsched != 0, cycle.code(self.NAME, _STATUS), 0)

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        if node_info.unschedulable and not _tolerates(cycle):
            return _STATUS
        return None
