"""ImageLocality: prefer Nodes that already have the Pod's container images, weighted by how widely each image
is spread (so one Node with a big image does not attract every Pod).

Upstream: ``pkg/scheduler/framework/plugins/imagelocality/image_locality.go``: ``sumImageScores`` (for each init
and app container whose normalized image the Node has: ``int64(size * NumNodes/totalNodes)``),
``calculatePriority`` (the sum clamped to ``[23 MiB, 1000 MiB * containers]`` and scaled linearly to 0..100) and
``normalizedImageName`` (a name without a tag gets ``:latest``). No NormalizeScore. Test cases:
``image_locality_test.go``.

What the model leaves out: image volumes (``spec.volumes[].image``); the registry-aware normalization newer
releases apply (the model appends ``:latest`` as the original does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from k8smodel.scheduler.framework import MAX_NODE_SCORE, Cycle, Plugin

MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def normalized_image_name(name: str) -> str:
    """``normalizedImageName``."""
    if name.rfind(":") <= name.rfind("/"):
        name = name + ":latest"
    return name


def calculate_priority(sum_scores: np.ndarray, num_containers: int) -> np.ndarray:
    """``calculatePriority``."""
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    s = np.minimum(np.maximum(sum_scores, MIN_THRESHOLD), max(max_threshold, MIN_THRESHOLD))
    if max_threshold == MIN_THRESHOLD:
        return np.zeros(len(s), dtype=np.int64)
    return MAX_NODE_SCORE * (s - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


def pod_images(pod: Mapping[str, Any]) -> list[str]:
    spec = pod.get("spec") or {}
    return [
        normalized_image_name(c.get("image") or "")
        for group in ("initContainers", "containers")
        for c in spec.get(group) or ()
    ]


class ImageLocality(Plugin):
    NAME = "ImageLocality"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("score",)

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        snapshot = cycle.snapshot
        images = pod_images(cycle.pod)
        total = snapshot.num_nodes
        sums: np.ndarray | None = None
        for name in images:
            found = snapshot.image(name)
            if found is None:
                continue
            num_nodes, sizes = found
            spread = num_nodes / total
            scaled = (sizes[slots].astype(np.float64) * spread).astype(np.int64)
            sums = scaled if sums is None else sums + scaled
        if sums is None:  # no Node has any of the images: every sum is 0, clamped to the minimum: score 0
            return np.zeros(len(slots), dtype=np.int64)
        return calculate_priority(sums, len(images))
