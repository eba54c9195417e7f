"""The scheduler: kube-scheduler as the book teaches it.

``Scheduler`` (:mod:`.scheduler`) is the component: informers, the scheduling queue (:mod:`.queue`), the cache
(:mod:`.cache`) and one framework per profile (:mod:`.framework`, plugins in :mod:`.plugins`, configured by
:mod:`.config`); :mod:`.explain` shows one decision plugin by plugin. ``Scheduler(sim, api, config).start()``.

The names below are imported on first use (PEP 562), so ``import k8smodel.scheduler.scoring`` does not load the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Scheduler": "scheduler",
    "Listers": "scheduler",
    "PriorityQueue": "queue",
    "QueuedPodInfo": "queue",
    "ClusterEvent": "queue",
    "Cache": "cache",
    "Snapshot": "cache",
    "NodeInfo": "cache",
    "Framework": "framework",
    "ScheduleResult": "framework",
    "PreemptionResult": "framework",
    "Status": "framework",
    "Code": "framework",
    "SchedulerConfig": "config",
    "Profile": "config",
    "load_config": "config",
    "default_config": "config",
    "Explanation": "explain",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'k8smodel.scheduler' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"k8smodel.scheduler.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
