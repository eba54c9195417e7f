"""DefaultBinder: binds the Pod with the ``pods/binding`` subresource.

Upstream: ``pkg/scheduler/framework/plugins/defaultbinder/default_binder.go`` (``Bind`` posts a ``v1.Binding``
with ``target: {kind: Node, name: <node>}``). In the model the scheduling loop makes that API call; this plugin
only marks the profile as having a binder (a profile needs one) and builds the Binding object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8smodel.scheduler.framework import Plugin


class DefaultBinder(Plugin):
    NAME = "DefaultBinder"
    EXTENSION_POINTS = ("bind",)

    @staticmethod
    def binding(pod: Mapping[str, Any], node_name: str) -> dict[str, Any]:
        """The ``v1.Binding`` upstream's ``Bind`` posts for ``pod`` onto ``node_name``."""
        meta = pod.get("metadata") or {}
        return {
            "apiVersion": "v1",
            "kind": "Binding",
            "metadata": {
                "namespace": meta.get("namespace") or "default",
                "name": meta.get("name"),
                "uid": meta.get("uid"),
            },
            "target": {"kind": "Node", "name": node_name},
        }
