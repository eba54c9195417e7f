"""Tests for the ``deployments/status`` and ``replicasets/status`` subresources' validation.

Upstream ``pkg/apis/apps/validation/validation.go``: ``ValidateDeploymentStatusUpdate`` (``ValidateObjectMetaUpdate``,
``ValidateDeploymentStatus``, a ``collisionCount`` never decremented) and ``ValidateReplicaSetStatusUpdate``
(``ValidateObjectMetaUpdate``, ``ValidateReplicaSetStatus``), which the status strategies of
``pkg/registry/apps/deployment/strategy.go`` and ``pkg/registry/apps/replicaset/strategy.go`` run after putting the
stored spec (and labels) back. The tables are upstream's ``TestValidateDeploymentStatus``,
``TestValidateDeploymentStatusUpdate`` and ``TestValidateReplicaSetStatus`` (``validation_test.go``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from k8smodel.api.errors import StatusError
from k8smodel.api.validation import validate, validate_deployment_status, validate_replica_set_status
from k8smodel.apiserver import APIServer
from k8smodel.sim import Simulation

# TestValidateDeploymentStatus: (name, replicas, updated, ready, available, observedGeneration, collisionCount, error?)
DEPLOYMENT_STATUS_CASES = [
    ("valid status", 3, 3, 2, 1, 2, None, False),
    ("invalid replicas", -1, 2, 2, 1, 2, None, True),
    ("invalid updatedReplicas", 2, -1, 2, 1, 2, None, True),
    ("invalid readyReplicas", 3, 0, -1, 1, 2, None, True),
    ("invalid availableReplicas", 3, 0, 3, -1, 2, None, True),
    ("invalid observedGeneration", 3, 0, 3, 3, -1, None, True),
    ("updatedReplicas greater than replicas", 3, 4, 3, 3, 1, None, True),
    ("readyReplicas greater than replicas", 3, 0, 4, 3, 1, None, True),
    ("availableReplicas greater than replicas", 3, 0, 3, 4, 1, None, True),
    ("availableReplicas greater than readyReplicas", 3, 0, 2, 3, 1, None, True),
    ("invalid collisionCount", 3, 0, 0, 0, 1, -3, True),
]


@pytest.mark.parametrize(
    ("name", "replicas", "updated", "ready", "available", "gen", "collisions", "error"), DEPLOYMENT_STATUS_CASES
)
def test_deployment_status(
    name: str, replicas: int, updated: int, ready: int, available: int, gen: int, collisions: int | None, error: bool
) -> None:
    status: dict[str, Any] = {
        "replicas": replicas,
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": available,
        "observedGeneration": gen,
    }
    if collisions is not None:
        status["collisionCount"] = collisions
    assert bool(validate_deployment_status(status)) is error, name


# TestValidateReplicaSetStatus: (name, replicas, fullyLabeled, ready, available, observedGeneration, error?)
REPLICA_SET_STATUS_CASES = [
    ("valid status", 3, 3, 2, 1, 2, False),
    ("invalid replicas", -1, 3, 2, 1, 2, True),
    ("invalid fullyLabeledReplicas", 3, -1, 2, 1, 2, True),
    ("invalid readyReplicas", 3, 3, -1, 1, 2, True),
    ("invalid availableReplicas", 3, 3, 3, -1, 2, True),
    ("invalid observedGeneration", 3, 3, 3, 3, -1, True),
    ("fullyLabeledReplicas greater than replicas", 3, 4, 3, 3, 1, True),
    ("readyReplicas greater than replicas", 3, 3, 4, 3, 1, True),
    ("availableReplicas greater than replicas", 3, 3, 3, 4, 1, True),
    ("availableReplicas greater than readyReplicas", 3, 3, 2, 3, 1, True),
]


@pytest.mark.parametrize(("name", "replicas", "fully", "ready", "available", "gen", "error"), REPLICA_SET_STATUS_CASES)
def test_replica_set_status(
    name: str, replicas: int, fully: int, ready: int, available: int, gen: int, error: bool
) -> None:
    status = {
        "replicas": replicas,
        "fullyLabeledReplicas": fully,
        "readyReplicas": ready,
        "availableReplicas": available,
        "observedGeneration": gen,
    }
    assert bool(validate_replica_set_status(status)) is error, name


def _deployment(status: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "foo", "namespace": "default", "resourceVersion": "1"},
        "spec": {},  # not validated by a status update
        "status": status,
    }


# TestValidateDeploymentStatusUpdate: (name, old collisionCount, new collisionCount, error?)
@pytest.mark.parametrize(
    ("name", "old", "new", "error"),
    [
        ("increase: valid update", None, 1, False),
        ("stable: valid update", 1, 1, False),
        ("unset: invalid update", 1, None, True),
        ("decrease: invalid update", 2, 1, True),
    ],
)
def test_deployment_status_update_collision_count(name: str, old: int | None, new: int | None, error: bool) -> None:
    before = _deployment({} if old is None else {"collisionCount": old})
    after = _deployment({} if new is None else {"collisionCount": new})
    errs = validate(after, before, "status")
    assert bool(errs) is error, (name, errs)
    if error:
        assert [(e.field, e.detail) for e in errs] == [("status.collisionCount", "cannot be decremented")]


def test_a_status_update_does_not_validate_the_spec_but_an_update_does() -> None:
    # The status strategy puts the stored spec back before validating: a status update's own spec is never read.
    old = _deployment({"replicas": 1})
    errs = validate(_deployment({"replicas": 1}), old, "status")
    assert errs == []
    assert validate(_deployment({"replicas": 1}), old)  # the same object as a plain update: spec.selector required...


def _api_with(kind: str) -> tuple[APIServer, dict[str, Any]]:
    api = APIServer(Simulation(0))
    template = {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
    }
    obj = api.create(
        {
            "apiVersion": "apps/v1",
            "kind": kind,
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template},
        }
    )
    return api, obj


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet"])
def test_the_api_refuses_an_inconsistent_status_and_changes_nothing(kind: str) -> None:
    api, obj = _api_with(kind)
    resource = "deployments" if kind == "Deployment" else "replicasets"
    bad = copy.deepcopy(obj)
    bad["status"] = {"replicas": 3, "readyReplicas": 1, "availableReplicas": 2}
    with pytest.raises(StatusError) as caught:
        api.update_status(bad)
    err = caught.value
    assert err.code == 422
    assert "status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas" in str(err)
    assert api.get(resource, "web", "default") == obj
    good = copy.deepcopy(obj)
    good["status"] = {"replicas": 3, "readyReplicas": 2, "availableReplicas": 2}
    assert api.update_status(good)["status"]["availableReplicas"] == 2
