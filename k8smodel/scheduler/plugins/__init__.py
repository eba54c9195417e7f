"""The in-tree plugins the model implements, and the registry that names them.

Upstream: ``pkg/scheduler/framework/plugins/registry.go`` (``NewInTreeRegistry``) and ``names/names.go``; the default
profile is ``pkg/scheduler/apis/config/v1/default_plugins.go`` (``getDefaultPlugins``), see
:mod:`k8smodel.scheduler.config`. One module per plugin, named as upstream's package.

What the model leaves out
    The volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone) and DynamicResources are
    registered as *not modelled*: a configuration may name them, they never reject a Node and score nothing
    (:mod:`.notmodelled`), and they are not in the model's default profile (the model has no volumes or DRA).
"""

from __future__ import annotations

from k8smodel.scheduler.framework import Plugin
from k8smodel.scheduler.plugins.balancedallocation import NodeResourcesBalancedAllocation
from k8smodel.scheduler.plugins.defaultbinder import DefaultBinder
from k8smodel.scheduler.plugins.defaultpreemption import DefaultPreemption
from k8smodel.scheduler.plugins.imagelocality import ImageLocality
from k8smodel.scheduler.plugins.interpodaffinity import InterPodAffinity
from k8smodel.scheduler.plugins.nodeaffinity import NodeAffinity
from k8smodel.scheduler.plugins.nodename import NodeName
from k8smodel.scheduler.plugins.nodeports import NodePorts
from k8smodel.scheduler.plugins.noderesources import NodeResourcesFit
from k8smodel.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from k8smodel.scheduler.plugins.notmodelled import NOT_MODELLED
from k8smodel.scheduler.plugins.podtopologyspread import PodTopologySpread
from k8smodel.scheduler.plugins.prioritysort import PrioritySort
from k8smodel.scheduler.plugins.schedulinggates import SchedulingGates
from k8smodel.scheduler.plugins.tainttoleration import TaintToleration

__all__ = ["DEFAULT_PLUGINS", "EXTENSION_POINTS", "REGISTRY", "Plugin"]

_MODELLED: tuple[type[Plugin], ...] = (
    SchedulingGates,
    PrioritySort,
    NodeUnschedulable,
    NodeName,
    TaintToleration,
    NodeAffinity,
    NodePorts,
    NodeResourcesFit,
    PodTopologySpread,
    InterPodAffinity,
    DefaultPreemption,
    NodeResourcesBalancedAllocation,
    ImageLocality,
    DefaultBinder,
)

REGISTRY: dict[str, type[Plugin]] = {cls.NAME: cls for cls in (*_MODELLED, *NOT_MODELLED)}
"""Plugin name -> class (``NewInTreeRegistry``)."""

EXTENSION_POINTS: tuple[str, ...] = (
    "preEnqueue",
    "queueSort",
    "preFilter",
    "filter",
    "postFilter",
    "preScore",
    "score",
    "reserve",
    "permit",
    "preBind",
    "bind",
    "postBind",
)
"""The extension points of a profile's ``plugins`` (besides ``multiPoint``), in ``KubeSchedulerConfiguration``
spelling."""

DEFAULT_PLUGINS: tuple[tuple[str, int | None], ...] = (
    ("SchedulingGates", None),
    ("PrioritySort", None),
    ("NodeUnschedulable", None),
    ("NodeName", None),
    ("TaintToleration", 3),
    ("NodeAffinity", 2),
    ("NodePorts", None),
    ("NodeResourcesFit", 1),
    ("PodTopologySpread", 2),
    ("InterPodAffinity", 2),
    ("DefaultPreemption", None),
    ("NodeResourcesBalancedAllocation", 1),
    ("ImageLocality", 1),
    ("DefaultBinder", None),
)
"""``getDefaultPlugins``: the ``multiPoint`` list of the default profile with its weights (the volume plugins and
DynamicResources, which the model does not have, left out)."""
