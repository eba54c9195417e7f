"""Server-side ``Table`` output: what ``kubectl get`` asks the API server for and prints as it comes.

``kubectl get`` sends ``Accept: application/json;as=Table;v=v1;g=meta.k8s.io,...``; the API server answers with a
``meta.k8s.io/v1`` ``Table``: ``columnDefinitions`` (name, type, format, description, priority) and one row per
object (``cells`` and the object as ``PartialObjectMetadata``, or the whole object with ``includeObject=Object``,
or nothing with ``includeObject=None``). kubectl upper-cases the column names, hides priority-1 columns unless
``-o wide``, and adds ``NAMESPACE`` (``-A``) and ``LABELS`` (``--show-labels``) itself from each row's object.

Upstream: ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go`` (``asTable``, ``includeObject``),
``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go`` (``Table``, ``TableColumnDefinition``,
``TableRow``, ``PartialObjectMetadata``), ``pkg/printers/internalversion/printers.go`` (``AddHandlers``: the
column names, types, formats and priorities; the cells come from :mod:`k8smodel.views.tables`, which ports the
print functions), and ``staging/src/k8s.io/apiserver/pkg/registry/rest/table.go`` (the default convertor for
kinds without a printer: ``Name`` and ``Created At``). In a watch, only the first event's Table carries the
column definitions (``watchEmbeddedEncoder.doEncode`` sets ``NoHeaders`` after it).

What the model leaves out: column descriptions are short texts, not the full swagger docs upstream copies in;
row ``conditions`` (``Completed`` for a finished Pod) are not set; ``metadata.continue`` and
``remainingItemCount`` are never set (lists are not paginated).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from k8smodel.api.kinds import Kind
from k8smodel.views import tables as views

Obj = dict[str, Any]

# kubectl upper-cases printers.go's column names; this is the other way round, with each column's type.
_COLUMN_NAMES: dict[str, tuple[str, str]] = {
    "NAME": ("Name", "string"),
    "READY": ("Ready", "string"),
    "STATUS": ("Status", "string"),
    "RESTARTS": ("Restarts", "string"),
    "AGE": ("Age", "string"),
    "IP": ("IP", "string"),
    "NODE": ("Node", "string"),
    "NOMINATED NODE": ("Nominated Node", "string"),
    "READINESS GATES": ("Readiness Gates", "string"),
    "ROLES": ("Roles", "string"),
    "VERSION": ("Version", "string"),
    "INTERNAL-IP": ("Internal-IP", "string"),
    "EXTERNAL-IP": ("External-IP", "string"),
    "OS-IMAGE": ("OS-Image", "string"),
    "KERNEL-VERSION": ("Kernel-Version", "string"),
    "CONTAINER-RUNTIME": ("Container-Runtime", "string"),
    "UP-TO-DATE": ("Up-to-date", "integer"),
    "AVAILABLE": ("Available", "integer"),
    "CONTAINERS": ("Containers", "string"),
    "IMAGES": ("Images", "string"),
    "SELECTOR": ("Selector", "string"),
    "DESIRED": ("Desired", "integer"),
    "CURRENT": ("Current", "integer"),
    "TYPE": ("Type", "string"),
    "CLUSTER-IP": ("Cluster-IP", "string"),
    "PORT(S)": ("Port(s)", "string"),
    "ADDRESSTYPE": ("AddressType", "string"),
    "PORTS": ("Ports", "string"),
    "ENDPOINTS": ("Endpoints", "string"),
    "REFERENCE": ("Reference", "string"),
    "TARGETS": ("Targets", "string"),
    "MINPODS": ("MinPods", "string"),
    "MAXPODS": ("MaxPods", "integer"),
    "REPLICAS": ("Replicas", "string"),
    "HOLDER": ("Holder", "string"),
    "LAST SEEN": ("Last Seen", "string"),
    "REASON": ("Reason", "string"),
    "OBJECT": ("Object", "string"),
    "SUBOBJECT": ("Subobject", "string"),
    "SOURCE": ("Source", "string"),
    "MESSAGE": ("Message", "string"),
    "FIRST SEEN": ("First Seen", "string"),
    "COUNT": ("Count", "string"),
    "DATA": ("Data", "integer"),
    "SECRETS": ("Secrets", "integer"),
    "ROLE": ("Role", "string"),
    "USERS": ("Users", "string"),
    "GROUPS": ("Groups", "string"),
    "SERVICEACCOUNTS": ("ServiceAccounts", "string"),
    "CREATED AT": ("Created At", "date"),
    "VALUE": ("Value", "integer"),
    "GLOBAL-DEFAULT": ("Global-Default", "boolean"),
    "PREEMPTIONPOLICY": ("PreemptionPolicy", "string"),
}
# Column types that differ by kind (printers.go): a ReplicaSet's READY is an integer, a Deployment's a string.
_TYPE_BY_KIND: dict[tuple[str, str], str] = {
    ("ReplicaSet", "READY"): "integer",
    ("HorizontalPodAutoscaler", "REPLICAS"): "integer",
}
_DESCRIPTIONS = {
    "Name": (
        "Name must be unique within a namespace. Is required when creating resources, although some resources may "
        "allow a client to request the generation of an appropriate name automatically. Name is primarily intended "
        "for creation idempotence and configuration definition. Cannot be updated. More info: "
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    ),
    "Age": (
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
        "guaranteed to be set in happens-before order across separate operations. Clients may not set this value. "
        "It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. "
        "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    ),
    "Created At": "CreationTimestamp is a timestamp representing the server time when this object was created.",
}

TABLE_API_VERSION = "meta.k8s.io/v1"


def column_definitions(kind: Kind) -> list[Obj]:
    """The ``columnDefinitions`` of ``kind``'s Table: every column, the ``-o wide`` ones at priority 1."""
    cached = _DEFINITIONS.get(kind.kind)
    if cached is not None:
        return cached
    try:
        base = views.columns(kind.resource)
        wide = views.columns(kind.resource, wide=True)
    except (KeyError, LookupError):
        base = wide = ["NAME", "CREATED AT"]
    out = []
    for header in wide:
        name, col_type = _COLUMN_NAMES.get(header, (header.title(), "string"))
        col_type = _TYPE_BY_KIND.get((kind.kind, header), col_type)
        definition: Obj = {
            "name": name,
            "type": col_type,
            "format": "name" if header == "NAME" else "",
            "description": _DESCRIPTIONS.get(name, name),
            "priority": 0 if header in base else 1,
        }
        out.append(definition)
    _DEFINITIONS[kind.kind] = out
    return out


_DEFINITIONS: dict[str, list[Obj]] = {}


def _printer(kind: Kind) -> Any:
    return views.row_printer(kind.kind)  # the print functions of views/tables.py, one per kind


def printer_time(sim: Any) -> float:
    """The simulation's now as the print functions count it: seconds since :data:`k8smodel.sim.EPOCH` (a cluster
    started at the wall clock's time, as ``python -m k8smodel serve`` starts one, is far from it)."""
    return views.epoch_seconds(sim.now, sim.start)


def partial_object_metadata(obj: Mapping[str, Any]) -> Obj:
    """``meta.AsPartialObjectMetadata``: the object's kind-less metadata, as ``meta.k8s.io/v1``."""
    return {"kind": "PartialObjectMetadata", "apiVersion": TABLE_API_VERSION, "metadata": obj.get("metadata") or {}}


def rows(kind: Kind, objects: Iterable[Mapping[str, Any]], now: float, include_object: str = "Metadata") -> list[Obj]:
    """One ``TableRow`` per object: its cells (every column, wide ones too) and the object as asked."""
    printer = _printer(kind)
    out = []
    for obj in objects:
        if not isinstance(obj.get("metadata"), Mapping):
            obj = {**obj, "metadata": {}}
        cells = printer(obj, now, True)
        if include_object == "Object":
            row: Obj = {"cells": cells, "object": obj}
        elif include_object == "None":
            row = {"cells": cells, "object": None}
        else:
            row = {"cells": cells, "object": partial_object_metadata(obj)}
        out.append(row)
    return out


INCLUDE_OBJECT_VALUES = ("", "Metadata", "Object", "None")


def table(
    kind: Kind,
    objects: Iterable[Mapping[str, Any]],
    now: float,
    *,
    resource_version: str = "",
    include_object: str = "Metadata",
    no_headers: bool = False,
) -> Obj:
    """The ``Table`` for ``objects`` of ``kind`` at simulated time ``now`` (AGE is computed by the server)."""
    meta: Obj = {"resourceVersion": resource_version} if resource_version else {}
    out: Obj = {"kind": "Table", "apiVersion": TABLE_API_VERSION, "metadata": meta}
    out["columnDefinitions"] = None if no_headers else column_definitions(kind)
    out["rows"] = rows(kind, objects, now, include_object or "Metadata")
    return out


__all__ = ["INCLUDE_OBJECT_VALUES", "column_definitions", "partial_object_metadata", "printer_time", "rows", "table"]
