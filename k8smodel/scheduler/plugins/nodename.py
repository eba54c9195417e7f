"""NodeName: a Pod that names a Node (``spec.nodeName``) fits only that Node.

Upstream: ``pkg/scheduler/framework/plugins/nodename/node_name.go`` (``PreFilter`` narrows the Nodes to
``{spec.nodeName}`` with a ``PreFilterResult``; ``Filter``: reason ``node(s) didn't match the requested node name``,
code UnschedulableAndUnresolvable). Test cases: ``node_name_test.go``.
"""

from __future__ import annotations

import numpy as np

from k8smodel.scheduler.cache import NodeInfo
from k8smodel.scheduler.framework import Cycle, Plugin, PreFilterResult, Status, unresolvable

ERR_REASON = "node(s) didn't match the requested node name"
_STATUS = unresolvable(ERR_REASON)


def _wanted(cycle: Cycle) -> str:
    return (cycle.pod.get("spec") or {}).get("nodeName") or ""


class NodeName(Plugin):
    NAME = "NodeName"
    EXTENSION_POINTS = ("preFilter", "filter")
    EVENTS = (("Node", "Add"),)

    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        name = _wanted(cycle)
        if name:
            return PreFilterResult(frozenset((name,))), None
        return None, None

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        name = _wanted(cycle)
        if not name:
            return None
        return np.where(cycle.snapshot.name_mask(name, slots), 0, cycle.code(self.NAME, _STATUS))

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        name = _wanted(cycle)
        if name and name != node_info.name:
            return _STATUS
        return None
