"""Patches: JSON patch (RFC 6902) and the strategic merge patch of the built-in kinds.

The API server takes three kinds of ``PATCH`` body (``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/
patch.go``): a JSON merge patch (RFC 7386, ``application/merge-patch+json``, :func:`k8smodel.apiserver.server.
merge_patch`), a JSON patch (RFC 6902, ``application/json-patch+json``, a list of ``add``/``remove``/``replace``/
``move``/``copy``/``test`` operations on JSON pointers: :func:`json_patch`) and a *strategic* merge patch
(``application/strategic-merge-patch+json``: :func:`strategic_merge_patch`), which is what ``kubectl apply``,
``edit``, ``set image`` and ``rollout undo`` send.

A strategic merge patch is a merge patch that knows the object's type: a list with the ``merge`` patch strategy is
merged element by element instead of replaced, elements matched by the field's *merge key* (containers by
``name``, a container's ports by ``containerPort``, ...); a list of scalars with ``merge`` is a set union
(``finalizers``). Directives steer it: ``$patch: replace`` / ``delete`` on a map or a list element, ``$retainKeys``
(keep only these keys of the original map), ``$deleteFromPrimitiveList/<field>`` and ``$setElementOrder/<field>``
(the order kubectl wants the merged list in). This module ports ``StrategicMergeMapPatch`` of
``staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go`` (``mergeMap``, ``mergeSlice``,
``mergeSliceWithSpecialElements``, ``mergeSliceWithoutSpecialElements``, ``mergePatchIntoOriginal``,
``normalizeElementOrder``, ``mergeSortedSlice``, ``applyRetainKeysDirective``) with the server's options
(``MergeParallelList`` and ``IgnoreUnmatchedNulls``), and takes the patch strategies and merge keys from the
``patchStrategy``/``patchMergeKey`` struct tags of ``staging/src/k8s.io/api/core/v1/types.go``,
``apps/v1/types.go``, ``autoscaling/v2/types.go`` and ``apimachinery/pkg/apis/meta/v1/types.go`` (:data:`TYPES`).

:func:`merge_patch_between` turns any patched object back into the JSON merge patch from the stored one, so that
every patch reaches :meth:`k8smodel.apiserver.APIServer.patch` (one write path, authorized as ``patch``).

What the model leaves out: the ``$deleteFromPrimitiveList`` of a list without the ``merge`` strategy is ignored as
upstream ignores it; merge keys of kinds the model does not serve; ``patchStrategy`` of nested types the model's
kinds do not use (ephemeral volumes' claim templates, ...), whose lists are then replaced whole; the JSON-patch
limits on operation count and document size.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from k8smodel.api import errors
from k8smodel.api.errors import StatusError

Obj = dict[str, Any]

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/"
SET_ELEMENT_ORDER = "$setElementOrder/"

# type name -> field -> (patchStrategy, patchMergeKey, type of the value or of the list's elements)
TYPES: dict[str, dict[str, tuple[str, str, str | None]]] = {
    "ObjectMeta": {"finalizers": ("merge", "", None), "ownerReferences": ("merge", "uid", None)},
    "PodTemplateSpec": {"metadata": ("", "", "ObjectMeta"), "spec": ("", "", "PodSpec")},
    "PodSpec": {
        "volumes": ("merge,retainKeys", "name", None),
        "initContainers": ("merge", "name", "Container"),
        "containers": ("merge", "name", "Container"),
        "ephemeralContainers": ("merge", "name", "Container"),
        "imagePullSecrets": ("merge", "name", None),
        "hostAliases": ("merge", "ip", None),
        "topologySpreadConstraints": ("merge", "topologyKey", None),
        "schedulingGates": ("merge", "name", None),
        "resourceClaims": ("merge,retainKeys", "name", None),
    },
    "Container": {
        "ports": ("merge", "containerPort", None),
        "env": ("merge", "name", None),
        "volumeMounts": ("merge", "mountPath", None),
        "volumeDevices": ("merge", "devicePath", None),
    },
    "PodStatus": {
        "conditions": ("merge", "type", None),
        "podIPs": ("merge", "ip", None),
        "hostIPs": ("merge", "ip", None),
    },
    "DeploymentSpec": {"template": ("", "", "PodTemplateSpec"), "strategy": ("retainKeys", "", None)},
    "ReplicaSetSpec": {"template": ("", "", "PodTemplateSpec")},
    "ConditionsStatus": {"conditions": ("merge", "type", None)},
    "ServiceSpec": {"ports": ("merge", "port", None)},
    "NodeSpec": {"podCIDRs": ("merge", "", None)},
    "NodeStatus": {"conditions": ("merge", "type", None), "addresses": ("merge", "type", None)},
    # kinds
    "Pod": {"spec": ("", "", "PodSpec"), "status": ("", "", "PodStatus")},
    "Deployment": {"spec": ("", "", "DeploymentSpec"), "status": ("", "", "ConditionsStatus")},
    "ReplicaSet": {"spec": ("", "", "ReplicaSetSpec"), "status": ("", "", "ConditionsStatus")},
    "Service": {"spec": ("", "", "ServiceSpec"), "status": ("", "", "ConditionsStatus")},
    "Node": {"spec": ("", "", "NodeSpec"), "status": ("", "", "NodeStatus")},
    "Namespace": {"status": ("", "", "ConditionsStatus")},
    "HorizontalPodAutoscaler": {"status": ("", "", "ConditionsStatus")},
    "ServiceAccount": {"secrets": ("merge", "name", None)},
}


def _lookup(schema: str | None, field: str) -> tuple[str, str, str | None]:
    """``LookupPatchMetadataForStruct``/``ForSlice``: the field's strategy, merge key and (element) type."""
    if schema is None:
        return "", "", None
    if field == "metadata" and schema in _KINDS_WITH_METADATA:
        return "", "", "ObjectMeta"
    return TYPES.get(schema, {}).get(field, ("", "", None))


_KINDS_WITH_METADATA = {
    "Pod",
    "Deployment",
    "ReplicaSet",
    "Service",
    "Node",
    "Namespace",
    "HorizontalPodAutoscaler",
    "ServiceAccount",
    "ConfigMap",
    "Event",
    "EndpointSlice",
    "Lease",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "PriorityClass",
}


class PatchError(ValueError):
    """A patch that cannot be applied (upstream answers ``422``/``400`` with this text)."""


def _strategies(strategy: str) -> tuple[bool, str]:
    """``extractRetainKeysPatchStrategy``: whether ``retainKeys`` is set, and the other strategy."""
    parts = [p for p in strategy.split(",") if p]
    retain = "retainKeys" in parts
    rest = [p for p in parts if p != "retainKeys"]
    if len(rest) > 1:
        raise PatchError(f"unexpected patch strategy: {strategy}")
    return retain, rest[0] if rest else ""


def strategic_merge_patch(original: Mapping[str, Any], patch: Mapping[str, Any], kind: str) -> Obj:
    """``StrategicMergeMapPatch``: ``patch`` applied to ``original`` (neither is changed) for an object of ``kind``."""
    if not isinstance(patch, Mapping):
        raise PatchError("a strategic merge patch must be a JSON object")
    return _merge_map(copy.deepcopy(dict(original)), copy.deepcopy(dict(patch)), kind)


def _merge_map(original: Obj | None, patch: Obj, schema: str | None) -> Obj:
    if DIRECTIVE in patch:
        return _directive_in_map(patch[DIRECTIVE], patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch)
    _merge_set_element_order(original, patch, schema)
    for key in list(patch):
        value = patch[key]
        if key in (DIRECTIVE, RETAIN_KEYS) or key.startswith(SET_ELEMENT_ORDER):
            continue
        delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            delete_list, key = True, key[len(DELETE_FROM_PRIMITIVE_LIST) :]
            if not isinstance(value, list):
                raise PatchError(f"cannot find original value for key: {key}: value of the list is not a list")
        if value is None:
            original.pop(key, None)
            continue  # IgnoreUnmatchedNulls
        if key not in original:
            if not delete_list:
                original[key] = _discard_nulls(value)
            continue
        current = original[key]
        if type(current) is not type(value) or not isinstance(value, dict | list):
            if not delete_list:
                original[key] = _discard_nulls(value)
            continue
        strategy, merge_key, subschema = _lookup(schema, key)
        _, strategy = _strategies(strategy)
        if isinstance(value, dict):
            original[key] = value if strategy == "replace" else _merge_map(current, value, subschema)
        elif delete_list:
            original[key] = [x for x in current if x not in value]
        elif strategy == "merge":
            original[key] = _merge_slice(current, value, subschema, merge_key)
        else:
            original[key] = value
    return original


def _discard_nulls(value: Any) -> Any:
    """``discardNullValuesFromPatch`` (IgnoreUnmatchedNulls): nulls in maps mean nothing where nothing was."""
    if isinstance(value, dict):
        return {k: _discard_nulls(v) for k, v in value.items() if v is not None and k != DIRECTIVE}
    if isinstance(value, list):
        return [_discard_nulls(v) for v in value]
    return value


def _directive_in_map(directive: Any, patch: Obj) -> Obj:
    """``handleDirectiveInMergeMap``."""
    if directive == "replace":
        return {k: v for k, v in patch.items() if k != DIRECTIVE}
    if directive == "delete":
        return {}
    raise PatchError(f"Unknown patch type: {directive} in map: {patch}")


def _apply_retain_keys(original: Obj, patch: Obj) -> None:
    """``applyRetainKeysDirective`` (MergeParallelList): drop the original keys ``$retainKeys`` does not list."""
    if RETAIN_KEYS not in patch:
        return
    retain = patch[RETAIN_KEYS]
    if not isinstance(retain, list):
        raise PatchError(f"invalid patch: the value of $retainKeys must be a list, got: {retain!r}")
    for key in patch:
        if key.startswith("$"):
            continue
        if key not in retain:
            raise PatchError(f"$retainKeys doesn't contain all the keys in the patch: {key}")
    for key in list(original):
        if key not in retain:
            del original[key]


def _merge_key_value(item: Any, merge_key: str) -> Any:
    if not isinstance(item, dict):
        raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
    if merge_key not in item:
        raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
    return item[merge_key]


def _index(order: list, item: Any, merge_key: str) -> int:
    """``index``: where ``item`` is in ``order`` (by merge key for maps), or -1."""
    for i, x in enumerate(order):
        if merge_key:
            if isinstance(x, dict) and isinstance(item, dict) and x.get(merge_key) == item.get(merge_key):
                return i
        elif x == item:
            return i
    return -1


def _merge_slice(original: list, patch: list, schema: str | None, merge_key: str) -> list:
    """``mergeSlice`` (not a delete list)."""
    if not original and not patch:
        return original
    maps = any(isinstance(x, dict) for x in (*original, *patch))
    if not maps:
        merged = _dedupe([*original, *patch])
        patch_items = [x for x in merged if x in patch]
        server_only = [x for x in merged if x not in patch]
        return _normalize_order(patch_items, server_only, patch, original, "")
    if not merge_key:
        raise PatchError(f"cannot merge lists without merge key for {schema or 'type'}")
    original, patch = _merge_special_elements(original, patch, merge_key)
    merged = _merge_without_special(original, patch, schema, merge_key)
    patch_items, server_only = _partition_maps(merged, patch, merge_key)
    return _normalize_order(patch_items, server_only, patch, original, merge_key)


def _dedupe(items: list) -> list:
    out: list = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _merge_special_elements(original: list, patch: list, merge_key: str) -> tuple[list, list]:
    """``mergeSliceWithSpecialElements``: ``$patch: delete`` removes elements, ``$patch: replace`` replaces."""
    plain = []
    replace = False
    for item in patch:
        if not isinstance(item, dict):
            raise PatchError(f"invalid patch: list element is not an object: {item!r}")
        directive = item.get(DIRECTIVE)
        if directive is None:
            plain.append(item)
        elif directive == "delete":
            value = _merge_key_value(item, merge_key)
            original = [x for x in original if not (isinstance(x, dict) and x.get(merge_key) == value)]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise PatchError(f"Unknown patch type: {directive} in map: {item}")
    if replace:
        return plain, []
    return original, plain


def _merge_without_special(original: list, patch: list, schema: str | None, merge_key: str) -> list:
    """``mergeSliceWithoutSpecialElements``: merge each patch element into the original one with its key."""
    original = list(original)
    for item in patch:
        value = _merge_key_value(item, merge_key)
        for i, x in enumerate(original):
            if isinstance(x, dict) and x.get(merge_key) == value:
                original[i] = _merge_map(x, item, schema)
                break
        else:
            original.append(item)
    return original


def _partition_maps(merged: list, patch: list, merge_key: str) -> tuple[list, list]:
    """``partitionMapsByPresentInList``: the merged elements the patch names, and the server-only ones."""
    in_patch, server_only = [], []
    for item in merged:
        value = _merge_key_value(item, merge_key)
        if any(isinstance(p, dict) and p.get(merge_key) == value for p in patch):
            in_patch.append(item)
        else:
            server_only.append(item)
    return in_patch, server_only


def _sort_by(items: list, order: list, merge_key: str) -> list:
    """``normalizeSliceOrder``: a stable sort by position in ``order`` (items not in it keep their place last);
    elements carrying ``$patch: delete`` go to the end."""
    keep = [x for x in items if not (isinstance(x, dict) and x.get(DIRECTIVE) == "delete")]
    deleted = [x for x in items if isinstance(x, dict) and x.get(DIRECTIVE) == "delete"]
    big = len(order)
    keep.sort(key=lambda x: i if (i := _index(order, x, merge_key)) >= 0 else big)
    return keep + deleted


def _normalize_order(patch_items: list, server_only: list, patch_order: list, server_order: list, key: str) -> list:
    """``normalizeElementOrder`` with ``mergeSortedSlice``: patch elements in the patch's order, server-only
    elements in the server's, interleaved by their positions in the server's list."""
    left = _sort_by(server_only, server_order, key)
    right = _sort_by(patch_items, patch_order, key)
    out = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li, ri = _index(server_order, left[i], key), _index(server_order, right[j], key)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _merge_set_element_order(original: Obj, patch: Obj, schema: str | None) -> None:
    """``mergePatchIntoOriginal``: each ``$setElementOrder/<field>`` with the patch's ``<field>``, merged and put
    in the given order; both keys are then removed from the patch."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        field = key[len(SET_ELEMENT_ORDER) :]
        if not isinstance(order, list):
            raise PatchError(f"invalid type for $setElementOrder list: {order!r}")
        strategy, merge_key, subschema = _lookup(schema, field)
        _, strategy = _strategies(strategy)
        current = original.get(field)
        if not isinstance(current, list):
            current = []
        value = patch.pop(field, None)
        delete_key = DELETE_FROM_PRIMITIVE_LIST + field
        if value is None and delete_key not in patch:
            value = []
        if not isinstance(value, list):
            raise PatchError(f"invalid type for the patch of {field}: {value!r}")
        if strategy != "merge":
            original[field] = value
            continue
        _check_order(value, order, merge_key, field)
        if any(isinstance(x, dict) for x in (*current, *value, *order)):
            if not merge_key:
                raise PatchError(f"cannot merge lists without merge key for {field}")
            base, plain = _merge_special_elements(current, value, merge_key)
            merged = _merge_without_special(base, plain, subschema, merge_key)
            both, only_original = _partition_maps(merged, order, merge_key)
            original[field] = _normalize_order(both, only_original, order, current, merge_key)
        else:
            deletions = patch.pop(delete_key, []) or []
            merged = [x for x in _dedupe([*current, *value]) if x not in deletions]
            both = [x for x in merged if x in order]
            only_original = [x for x in merged if x not in order]
            original[field] = _normalize_order(both, only_original, order, current, "")


def _check_order(patch_list: list, order: list, merge_key: str, field: str) -> None:
    """``validatePatchWithSetOrderList``: the patch list must follow the ``$setElementOrder`` list's order."""
    items = [x for x in patch_list if not (isinstance(x, dict) and DIRECTIVE in x)]
    i = j = 0
    while i < len(items) and j < len(order):
        a, b = items[i], order[j]
        same = (
            (a.get(merge_key) == b.get(merge_key))
            if merge_key and isinstance(a, dict) and isinstance(b, dict)
            else a == b
        )
        if same:
            i += 1
        j += 1
    if i < len(items) and j >= len(order):
        raise PatchError(f"The order in patch list:\n{patch_list}\n doesn't match {SET_ELEMENT_ORDER} list:\n{order}\n")


# --- JSON patch (RFC 6902) ---------------------------------------------------------------------------------------


def _pointer(path: Any) -> list[str]:
    if not isinstance(path, str):
        raise PatchError(f"invalid JSON pointer: {path!r}")
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f'JSON pointer must be empty or start with a "/": {path!r}')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _container(doc: Any, parts: list[str], path: str) -> Any:
    node = doc
    for part in parts:
        if isinstance(node, dict):
            if part not in node:
                raise PatchError(f"doc is missing path: {path}")
            node = node[part]
        elif isinstance(node, list):
            index = _list_index(node, part, path, allow_end=False)
            node = node[index]
        else:
            raise PatchError(f"doc is missing path: {path}")
    return node


def _list_index(node: list, part: str, path: str, *, allow_end: bool) -> int:
    if allow_end and part == "-":
        return len(node)
    if not part.isdigit() or (len(part) > 1 and part.startswith("0")):
        raise PatchError(f"invalid array index: {part} (path {path})")
    index = int(part)
    if index > len(node) or (index == len(node) and not allow_end):
        raise PatchError(f"index out of bounds: {index} (path {path})")
    return index


def _get(doc: Any, path: str) -> Any:
    return _container(doc, _pointer(path), path)


def _add(doc: Any, path: str, value: Any) -> Any:
    parts = _pointer(path)
    if not parts:
        return value
    parent = _container(doc, parts[:-1], path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_list_index(parent, last, path, allow_end=True), value)
    else:
        raise PatchError(f"doc is missing path: {path}")
    return doc


def _remove(doc: Any, path: str) -> tuple[Any, Any]:
    parts = _pointer(path)
    if not parts:
        raise PatchError("cannot remove the whole document")
    parent = _container(doc, parts[:-1], path)
    last = parts[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"unable to remove nonexistent key: {last}: missing value")
        return doc, parent.pop(last)
    if isinstance(parent, list):
        return doc, parent.pop(_list_index(parent, last, path, allow_end=False))
    raise PatchError(f"doc is missing path: {path}")


def json_patch(doc: Mapping[str, Any], operations: Any) -> Any:
    """RFC 6902: apply ``operations`` (a list of ``{"op", "path", ...}``) to a copy of ``doc``."""
    if not isinstance(operations, list):
        raise PatchError("a JSON patch must be a list of operations")
    out: Any = copy.deepcopy(dict(doc))
    for op in operations:
        if not isinstance(op, dict):
            raise PatchError(f"invalid operation {op!r}: not an object")
        name, path = op.get("op"), op.get("path")
        if name in ("add", "replace", "test") and "value" not in op:
            raise PatchError(f'invalid operation {op!r}: missing "value"')
        if name == "add":
            out = _add(out, path, copy.deepcopy(op["value"]))
        elif name == "remove":
            out, _ = _remove(out, path)
        elif name == "replace":
            out, _ = _remove(out, path) if _pointer(path) else (out, None)
            out = _add(out, path, copy.deepcopy(op["value"]))
        elif name == "move":
            source = _pointer(op.get("from"))
            if _pointer(path)[: len(source)] == source and op.get("from") != path:
                raise PatchError(f"invalid operation {op!r}: a location cannot be moved into one of its children")
            out, value = _remove(out, op.get("from"))
            out = _add(out, path, value)
        elif name == "copy":
            out = _add(out, path, copy.deepcopy(_get(out, op.get("from"))))
        elif name == "test":
            if _get(out, path) != op["value"]:
                raise PatchError(f"testing value {path} failed: test failed")
        else:
            raise PatchError(f"Unexpected kind: {name}")
    return out


# --- back to a merge patch ----------------------------------------------------------------------------------------


def merge_patch_between(current: Mapping[str, Any], patched: Mapping[str, Any]) -> Obj:
    """The RFC 7386 merge patch that turns ``current`` into ``patched`` (``null`` for a removed key, maps
    recursively, anything else, lists included, whole)."""
    out: Obj = {}
    for key, value in patched.items():
        if key not in current:
            out[key] = value
            continue
        old = current[key]
        if isinstance(old, dict) and isinstance(value, dict):
            diff = merge_patch_between(old, value)
            if diff:
                out[key] = diff
        elif old != value or type(old) is not type(value):
            out[key] = value
    for key in current:
        if key not in patched:
            out[key] = None
    return out


def patch_error(err: PatchError) -> StatusError:
    """A patch that does not apply: ``NewGenericServerResponse(422, ...)`` as ``patch.go`` sends it."""
    return StatusError(
        422,
        errors.REASON_INVALID,
        "the server rejected our request due to an error in our request",
        {"causes": [{"reason": "UnexpectedServerResponse", "message": str(err)}]},
    )


__all__ = [
    "TYPES",
    "PatchError",
    "json_patch",
    "merge_patch_between",
    "patch_error",
    "strategic_merge_patch",
]
