"""Plugins a configuration may name but the model does not implement (it has no volumes and no DRA).

Upstream: ``pkg/scheduler/framework/plugins/{volumerestrictions,nodevolumelimits,volumebinding,volumezone,
dynamicresources}``. Each one here skips itself at PreFilter/PreScore: it never rejects a Node and never scores.
"""

from __future__ import annotations

from k8smodel.scheduler.framework import SKIP, Cycle, Plugin, PreFilterResult, Status


class _NotModelled(Plugin):
    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        return None, SKIP

    def pre_score(self, cycle: Cycle, slots) -> Status | None:  # type: ignore[no-untyped-def]
        return SKIP


class VolumeRestrictions(_NotModelled):
    NAME = "VolumeRestrictions"
    EXTENSION_POINTS = ("preFilter", "filter")


class NodeVolumeLimits(_NotModelled):
    NAME = "NodeVolumeLimits"
    EXTENSION_POINTS = ("preFilter", "filter")


class VolumeBinding(_NotModelled):
    NAME = "VolumeBinding"
    EXTENSION_POINTS = ("preFilter", "filter", "reserve", "preBind", "preScore", "score")


class VolumeZone(_NotModelled):
    NAME = "VolumeZone"
    EXTENSION_POINTS = ("preFilter", "filter", "preScore", "score")


class DynamicResources(_NotModelled):
    NAME = "DynamicResources"
    EXTENSION_POINTS = ("preFilter", "filter", "reserve", "preBind")


NOT_MODELLED = (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone, DynamicResources)
