"""Tests for k8smodel.api.errors, after apimachinery/pkg/api/errors/errors_test.go (TestErrorNew, TestNewInvalid)."""

from __future__ import annotations

import pytest

from k8smodel.api import errors
from k8smodel.api.field import invalid, required


def test_error_new_predicates():
    # TestErrorNew: each constructor is recognised by its own predicate only.
    cases = [
        (errors.already_exists("resource", "1"), errors.is_already_exists, 409),
        (errors.conflict("resource", "1", "reason"), errors.is_conflict, 409),
        (errors.not_found("resource", "1"), errors.is_not_found, 404),
        (errors.bad_request("reason"), errors.is_bad_request, 400),
        (errors.forbidden("resource", "1", "reason"), errors.is_forbidden, 403),
        (errors.unauthorized("reason"), errors.is_unauthorized, 401),
        (errors.method_not_supported("foo", "delete"), errors.is_method_not_supported, 405),
        (errors.gone("reason"), errors.is_gone, 410),
        (errors.expired("reason"), errors.is_resource_expired, 410),
        (errors.internal_error("boom"), errors.is_internal_error, 500),
    ]
    predicates = {p for _, p, _ in cases}
    for err, predicate, code in cases:
        assert err.code == code
        assert predicate(err)
        for other in predicates - {predicate}:
            assert not other(err), (err, other)
    assert not errors.is_not_found(ValueError("x"))


def test_messages_are_upstreams():
    assert str(errors.not_found("deployments.apps", "web")) == 'deployments.apps "web" not found'
    assert str(errors.already_exists("pods", "web")) == 'pods "web" already exists'
    assert str(errors.conflict("deployments.apps", "web")) == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert str(
        errors.forbidden(
            "pods", "", 'User "alice" cannot list resource "pods" in API group "" in the namespace "default"'
        )
    ) == ('pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"')
    assert str(errors.forbidden("pods", "web", "x")) == 'pods "web" is forbidden: x'
    assert str(errors.forbidden("", "", "x")) == "forbidden: x"
    assert str(errors.unauthorized()) == "not authorized"
    assert str(errors.method_not_supported("pods", "patch")) == 'patch is not supported on resources of kind "pods"'
    assert str(errors.internal_error("boom")) == "Internal error occurred: boom"
    assert str(errors.generate_name_conflict("pods", "web-abcde")) == (
        'pods "web-abcde" already exists, the server was not able to generate a unique name for the object'
    )


def test_status_shape_not_found():
    assert errors.not_found("deployments.apps", "web").status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'deployments.apps "web" not found',
        "reason": "NotFound",
        "details": {"name": "web", "group": "apps", "kind": "deployments"},
        "code": 404,
    }


def test_status_shape_core_group_and_no_details():
    assert errors.not_found("pods", "web").status()["details"] == {"name": "web", "kind": "pods"}
    assert errors.bad_request("nope").status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "nope",
        "reason": "BadRequest",
        "code": 400,
    }


@pytest.mark.parametrize(
    ("field_errors", "message", "causes"),
    [
        # TestNewInvalid cases
        (
            [required("field[0].name", "")],
            'Kind "name" is invalid: field[0].name: Required value',
            [{"reason": "FieldValueRequired", "message": "Required value", "field": "field[0].name"}],
        ),
        (
            [invalid("field[0].name", "bar", "detail")],
            'Kind "name" is invalid: field[0].name: Invalid value: "bar": detail',
            [{"reason": "FieldValueInvalid", "message": 'Invalid value: "bar": detail', "field": "field[0].name"}],
        ),
        ([], 'Kind "name" is invalid', []),
    ],
)
def test_new_invalid(field_errors, message, causes):
    err = errors.invalid_kind("Kind", "name", field_errors)
    assert str(err) == message
    assert err.code == 422 and err.reason == "Invalid"
    status = err.status()
    assert status["details"].get("causes", []) == causes
    assert status["details"]["kind"] == "Kind" and status["details"]["name"] == "name"


def test_invalid_from_manifest_names_the_qualified_kind():
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    err = errors.invalid(obj, [invalid("spec.replicas", -1, "must be greater than or equal to 0")])
    assert str(err) == (
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    assert err.status()["details"]["group"] == "apps"


def test_aggregate_of_several_errors():
    err = errors.invalid_kind("Pod", "p", [required("a"), required("b")])
    assert str(err) == 'Pod "p" is invalid: [a: Required value, b: Required value]'


def test_expired_and_gone():
    assert errors.expired("too old resource version: 5 (10)").status()["reason"] == "Expired"
    assert errors.gone("gone").status()["reason"] == "Gone"
    assert errors.reason_for(errors.gone("x")) == "Gone"
    assert errors.reason_for(KeyError()) == ""
