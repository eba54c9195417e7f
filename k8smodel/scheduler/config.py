"""``KubeSchedulerConfiguration``: profiles, their plugins and weights, plugin arguments; defaulting and validation.

Upstream (kubernetes/kubernetes, read 2025-26):

* ``pkg/scheduler/apis/config/v1/defaults.go`` (``SetDefaults_KubeSchedulerConfiguration``: one profile named
  ``default-scheduler`` if none, ``percentageOfNodesToScore`` 0 = adaptive, backoff 1 s / 10 s, parallelism 16;
  the plugin-args defaults: ``NodeResourcesFit`` LeastAllocated on cpu and memory with weight 1,
  ``DefaultPreemption`` 10% / 100, ``InterPodAffinity`` hardPodAffinityWeight 1, ``PodTopologySpread``
  defaultingType System, ``NodeResourcesBalancedAllocation`` cpu and memory);
* ``pkg/scheduler/apis/config/v1/default_plugins.go`` (``getDefaultPlugins``: the ``multiPoint`` list with weights
  TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1,
  NodeResourcesBalancedAllocation 1, ImageLocality 1; ``mergePlugins``: a user's ``disabled`` removes defaults,
  ``"*"`` all of them, an ``enabled`` default is re-configured in place);
* ``pkg/scheduler/framework/runtime/framework.go`` (``NewFramework``: ``updatePluginList``,
  ``expandMultiPointPlugins``, ``getScoreWeights``; exactly one QueueSort, at least one Bind plugin);
* ``pkg/scheduler/apis/config/validation/validation.go`` and ``validation_pluginargs.go`` (the messages).

:func:`load_config` does what kube-scheduler does at start: decode strictly, default, validate, build each
profile's plugin lists; any error raises :class:`ConfigError` naming the field, the value and the rule, and no
configuration is returned.

What the model does differently
    The framework errors upstream reports when it instantiates a profile (an unknown plugin, a plugin at an
    extension point it does not implement, a duplicate) are reported here, at load, with the field path. A weight
    must be a positive integer: the model rejects an explicit ``weight: 0`` (upstream silently turns it into 1,
    and its comment says "a weight of zero is not permitted") and a negative one. An unknown name in ``disabled``
    or ``pluginConfig`` is an error (upstream ignores it). Extenders, leader election and client settings are
    accepted where upstream has them but not modelled (extenders are rejected).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from k8smodel.api.field import (
    FieldError,
    aggregate_message,
    child,
    duplicate,
    forbidden,
    index,
    invalid,
    not_supported,
    required,
)
from k8smodel.api.labels import validate_label_name
from k8smodel.api.nodeaffinity import NodeSelector, NodeSelectorError, PreferredSchedulingTerms
from k8smodel.scheduler.plugins import DEFAULT_PLUGINS, EXTENSION_POINTS, REGISTRY

if TYPE_CHECKING:
    from k8smodel.scheduler.framework import Framework, Listers

__all__ = [
    "API_VERSION",
    "DEFAULT_SCHEDULER_NAME",
    "ConfigError",
    "Profile",
    "SchedulerConfig",
    "default_config",
    "default_profile",
    "load_config",
]

API_VERSION = "kubescheduler.config.k8s.io/v1"
KIND = "KubeSchedulerConfiguration"
DEFAULT_SCHEDULER_NAME = "default-scheduler"

_POINT_TYPE = {
    "preEnqueue": "PreEnqueuePlugin",
    "queueSort": "QueueSortPlugin",
    "preFilter": "PreFilterPlugin",
    "filter": "FilterPlugin",
    "postFilter": "PostFilterPlugin",
    "preScore": "PreScorePlugin",
    "score": "ScorePlugin",
    "reserve": "ReservePlugin",
    "permit": "PermitPlugin",
    "preBind": "PreBindPlugin",
    "bind": "BindPlugin",
    "postBind": "PostBindPlugin",
}
# the order NewFramework walks them in (getExtensionPoints)
_EXPANSION_ORDER = (
    "preFilter",
    "filter",
    "postFilter",
    "reserve",
    "preScore",
    "score",
    "preBind",
    "bind",
    "postBind",
    "permit",
    "preEnqueue",
    "queueSort",
)
_INVALID_IN_V1 = ("AzureDiskLimits", "CinderLimits", "EBSLimits", "GCEPDLimits")
_TOP_FIELDS = {
    "apiVersion",
    "kind",
    "parallelism",
    "leaderElection",
    "clientConnection",
    "healthzBindAddress",
    "metricsBindAddress",
    "enableProfiling",
    "enableContentionProfiling",
    "percentageOfNodesToScore",
    "podInitialBackoffSeconds",
    "podMaxBackoffSeconds",
    "profiles",
    "extenders",
    "delayCacheUntilActive",
}
_PROFILE_FIELDS = {"schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"}
_INVALID_MSG = f'was invalid in version "{API_VERSION}" (KubeSchedulerConfiguration is version "{API_VERSION}")'
_LEAST, _MOST, _RTCR = "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"
_DEFAULT_RESOURCES = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
_ARGS_FIELDS: dict[str, set[str]] = {
    "NodeResourcesFit": {"ignoredResources", "ignoredResourceGroups", "scoringStrategy"},
    "NodeResourcesBalancedAllocation": {"resources"},
    "PodTopologySpread": {"defaultConstraints", "defaultingType"},
    "InterPodAffinity": {"hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"},
    "NodeAffinity": {"addedAffinity"},
    "DefaultPreemption": {"minCandidateNodesPercentage", "minCandidateNodesAbsolute"},
    "VolumeBinding": {"bindTimeoutSeconds", "shape"},
}


class ConfigError(ValueError):
    """An invalid ``KubeSchedulerConfiguration``: ``errors`` are the field errors; ``str()`` lists them all."""

    def __init__(self, errors: list[FieldError] | list[str]) -> None:
        self.errors = list(errors)
        super().__init__(f"invalid {KIND}: {aggregate_message(self.errors)}")


@dataclass(frozen=True)
class Profile:
    """One ``KubeSchedulerProfile``, defaulted and resolved as the framework sees it.

    ``plugins`` maps each extension point (``queueSort``, ``preFilter``, ``filter``, ``postFilter``,
    ``preScore``, ``score``, ``bind``, ...) to the enabled plugin names in the order they run; ``weights`` holds
    each Score plugin's weight; ``plugin_args`` the defaulted args of each plugin.
    """

    scheduler_name: str
    plugins: dict[str, list[str]]
    weights: dict[str, int]
    plugin_args: dict[str, dict[str, Any]]
    percentage_of_nodes_to_score: int | None = None


@dataclass
class SchedulerConfig:
    """A loaded ``KubeSchedulerConfiguration``; ``profiles`` by scheduler name, in the order given."""

    profiles: dict[str, Profile]
    percentage_of_nodes_to_score: int = 0
    pod_initial_backoff_seconds: int = 1
    pod_max_backoff_seconds: int = 10
    parallelism: int = 16
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def framework(
        self, scheduler_name: str = DEFAULT_SCHEDULER_NAME, *, rng: random.Random, listers: Listers | None = None
    ) -> Framework:
        """A :class:`~k8smodel.scheduler.framework.Framework` for one profile."""
        from k8smodel.scheduler.framework import Framework

        return Framework(
            self.profiles[scheduler_name],
            rng=rng,
            percentage_of_nodes_to_score=self.percentage_of_nodes_to_score,
            listers=listers,
        )

    def frameworks(self, *, rng: random.Random, listers: Listers | None = None) -> dict[str, Framework]:
        """One Framework per profile (they share ``rng``), keyed by scheduler name."""
        return {name: self.framework(name, rng=rng, listers=listers) for name in self.profiles}


# --- decoding helpers -----------------------------------------------------------------------------------------------


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _unknown_fields(obj: Mapping[str, Any], known: set[str], path: str | None, errs: list[FieldError]) -> None:
    for k in obj:
        if k not in known:
            errs.append(FieldError_unknown(child(path, str(k)) if path else str(k)))


def FieldError_unknown(path: str) -> FieldError:
    return forbidden(path, "unknown field")


def _int_field(obj: Mapping[str, Any], key: str, path: str | None, errs: list[FieldError]) -> int | None:
    v = obj.get(key)
    if v is None:
        return None
    if not _is_int(v):
        errs.append(invalid(child(path, key) if path else key, v, "must be an integer"))
        return None
    return v


# --- plugins: merging, expansion, weights ---------------------------------------------------------------------------


def _plugin_set(obj: Any, path: str, errs: list[FieldError]) -> dict[str, list[dict[str, Any]]]:
    """A ``PluginSet``: ``{enabled: [{name, weight}], disabled: [{name}]}``, type-checked."""
    out: dict[str, list[dict[str, Any]]] = {"enabled": [], "disabled": []}
    if obj is None:
        return out
    if not isinstance(obj, Mapping):
        errs.append(invalid(path, obj, "must be an object with enabled and disabled lists"))
        return out
    _unknown_fields(obj, {"enabled", "disabled"}, path, errs)
    for part in ("enabled", "disabled"):
        items = obj.get(part) or []
        ppath = child(path, part)
        if not isinstance(items, list):
            errs.append(invalid(ppath, items, "must be a list"))
            continue
        for i, item in enumerate(items):
            ipath = index(ppath, i)
            if not isinstance(item, Mapping):
                errs.append(invalid(ipath, item, "must be an object with a name"))
                continue
            _unknown_fields(item, {"name", "weight"} if part == "enabled" else {"name"}, ipath, errs)
            name = item.get("name")
            if not isinstance(name, str) or not name:
                errs.append(required(child(ipath, "name"), "a plugin name is required"))
                continue
            entry: dict[str, Any] = {"name": name, "_path": ipath}
            if part == "enabled" and "weight" in item and item["weight"] is not None:
                w = item["weight"]
                if not _is_int(w):
                    errs.append(invalid(child(ipath, "weight"), w, "must be an integer"))
                elif w <= 0:
                    errs.append(
                        invalid(
                            child(ipath, "weight"),
                            w,
                            "must be a positive integer; a weight of zero or less is not permitted, disable the "
                            "plugin instead",
                        )
                    )
                else:
                    entry["weight"] = w
            out[part].append(entry)
    return out


def _merge_plugin_set(default: dict[str, list], custom: dict[str, list]) -> dict[str, list]:
    """``mergePluginSet``."""
    disabled_names = {p["name"] for p in custom["disabled"]} | {p["name"] for p in default["disabled"]}
    disabled = [*custom["disabled"], *default["disabled"]]
    custom_index = {p["name"]: (i, p) for i, p in enumerate(custom["enabled"])}
    replaced: set[int] = set()
    enabled = []
    if "*" not in disabled_names:
        for p in default["enabled"]:
            if p["name"] in disabled_names:
                continue
            if p["name"] in custom_index:
                i, cp = custom_index[p["name"]]
                p = cp
                replaced.add(i)
            enabled.append(p)
    for i, p in enumerate(custom["enabled"]):
        if i not in replaced:
            enabled.append(p)
    return {"enabled": enabled, "disabled": disabled}


def _implements(name: str, point: str) -> bool:
    return point in REGISTRY[name].EXTENSION_POINTS


def _resolve_plugins(
    plugins: dict[str, dict[str, list]], scheduler_name: str, path: str, errs: list[FieldError]
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """``updatePluginList`` + ``expandMultiPointPlugins`` + ``getScoreWeights``."""
    resolved: dict[str, list[str]] = {}
    mp = plugins["multiPoint"]
    for point in _EXPANSION_ORDER:
        ps = plugins[point]
        ppath = child(path, "plugins", point)
        names: list[str] = []
        for p in ps["enabled"]:
            name = p["name"]
            if name not in REGISTRY:
                errs.append(invalid(child(p["_path"], "name"), name, f'{_POINT_TYPE[point]} "{name}" does not exist'))
                continue
            if not _implements(name, point):
                errs.append(
                    invalid(
                        child(p["_path"], "name"), name, f'plugin "{name}" does not extend {_POINT_TYPE[point]} plugin'
                    )
                )
                continue
            if name in names:
                errs.append(
                    invalid(
                        child(p["_path"], "name"), name, f'plugin "{name}" already registered as "{_POINT_TYPE[point]}"'
                    )
                )
                continue
            names.append(name)
        disabled = {p["name"] for p in ps["disabled"]}
        for p in ps["disabled"]:
            if p["name"] != "*" and p["name"] not in REGISTRY:
                errs.append(invalid(child(p["_path"], "name"), p["name"], "unknown plugin"))
        if "*" in disabled:
            resolved[point] = names
            continue
        overrides: list[str] = []
        multi: list[str] = []
        for p in mp["enabled"]:
            name = p["name"]
            if name not in REGISTRY:
                if point == _EXPANSION_ORDER[0]:
                    errs.append(invalid(child(p["_path"], "name"), name, f'plugin "{name}" does not exist'))
                continue
            if not _implements(name, point) or name in disabled:
                continue
            if name in names:
                overrides.append(name)
                continue
            if name in multi:
                errs.append(
                    invalid(
                        child(p["_path"], "name"), name, f'plugin "{name}" already registered as "{_POINT_TYPE[point]}"'
                    )
                )
                continue
            multi.append(name)
        ordered = [n for n in names if n in overrides] + multi + [n for n in names if n not in overrides]
        resolved[point] = ordered
        del ppath
    for p in mp["disabled"]:
        if p["name"] != "*" and p["name"] not in REGISTRY:
            errs.append(invalid(child(p["_path"], "name"), p["name"], "unknown plugin"))
    n_qs = len(resolved["queueSort"])
    if n_qs != 1:
        errs.append(
            invalid(
                child(path, "plugins", "queueSort"),
                resolved["queueSort"],
                f'only one queue sort plugin required for profile with scheduler name "{scheduler_name}", '
                f"but got {n_qs}",
            )
        )
    if not resolved["bind"]:
        errs.append(
            invalid(
                child(path, "plugins", "bind"),
                [],
                f'at least one bind plugin is needed for profile with scheduler name "{scheduler_name}"',
            )
        )
    weights: dict[str, int] = {}
    for p in [*plugins["score"]["enabled"], *mp["enabled"]]:
        name = p["name"]
        if name not in REGISTRY or not _implements(name, "score") or name in weights:
            continue
        weights[name] = int(p.get("weight") or 1)
    return resolved, weights


# --- plugin args ----------------------------------------------------------------------------------------------------


def _default_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """The ``SetDefaults_<Name>Args`` of each plugin with args."""
    a = copy.deepcopy(args)
    a.pop("apiVersion", None)
    a.pop("kind", None)
    if name == "NodeResourcesFit":
        s = a.get("scoringStrategy")
        if s is None:
            s = a["scoringStrategy"] = {"type": _LEAST, "resources": copy.deepcopy(_DEFAULT_RESOURCES)}
        if isinstance(s, dict):
            if not s.get("resources"):
                s["resources"] = copy.deepcopy(_DEFAULT_RESOURCES)
            for r in s["resources"] if isinstance(s["resources"], list) else ():
                if isinstance(r, dict) and not r.get("weight"):
                    r["weight"] = 1
    elif name == "NodeResourcesBalancedAllocation":
        if not a.get("resources"):
            a["resources"] = copy.deepcopy(_DEFAULT_RESOURCES)
        else:
            for r in a["resources"] if isinstance(a["resources"], list) else ():
                if isinstance(r, dict) and not r.get("weight"):
                    r["weight"] = 1
    elif name == "PodTopologySpread":
        a.setdefault("defaultingType", "System")
        if not a["defaultingType"]:
            a["defaultingType"] = "System"
    elif name == "InterPodAffinity":
        if a.get("hardPodAffinityWeight") is None:
            a["hardPodAffinityWeight"] = 1
    elif name == "DefaultPreemption":
        if a.get("minCandidateNodesPercentage") is None:
            a["minCandidateNodesPercentage"] = 10
        if a.get("minCandidateNodesAbsolute") is None:
            a["minCandidateNodesAbsolute"] = 100
    return a


def _validate_shape(shape: Any, path: str, errs: list[FieldError]) -> None:
    """``validateFunctionShape``."""
    if not shape:
        errs.append(required(path, "at least one point must be specified"))
        return
    if not isinstance(shape, list):
        errs.append(invalid(path, shape, "must be a list of {utilization, score} points"))
        return
    for i in range(1, len(shape)):
        a, b = shape[i - 1], shape[i]
        if isinstance(a, dict) and isinstance(b, dict) and (a.get("utilization") or 0) >= (b.get("utilization") or 0):
            errs.append(
                invalid(
                    child(index(path, i), "utilization"),
                    b.get("utilization"),
                    "values must be sorted in increasing order",
                )
            )
            break
    for i, point in enumerate(shape):
        if not isinstance(point, dict):
            errs.append(invalid(index(path, i), point, "must be a {utilization, score} point"))
            continue
        u, s = point.get("utilization", 0), point.get("score", 0)
        if not _is_int(u) or not 0 <= u <= 100:
            errs.append(invalid(child(index(path, i), "utilization"), u, "not in valid range [0, 100]"))
        if not _is_int(s) or not 0 <= s <= 10:
            errs.append(invalid(child(index(path, i), "score"), s, "not in valid range [0, 10]"))


def _validate_resources(resources: Any, path: str, errs: list[FieldError]) -> None:
    """``validateResources``."""
    if not isinstance(resources, list):
        errs.append(invalid(path, resources, "must be a list of {name, weight}"))
        return
    for i, r in enumerate(resources):
        if not isinstance(r, dict) or not isinstance(r.get("name"), str):
            errs.append(invalid(index(path, i), r, "must be a {name, weight} object"))
            continue
        w = r.get("weight")
        if not _is_int(w) or w <= 0 or w > 100:
            errs.append(
                invalid(
                    child(index(path, i), "weight"), w, f"resource weight of {r['name']} not in valid range (0, 100]"
                )
            )


def _validate_args(name: str, a: dict[str, Any], path: str, errs: list[FieldError]) -> None:
    """``ValidateXArgs`` of ``validation_pluginargs.go`` (and the strict decoding of the args' fields)."""
    known = _ARGS_FIELDS.get(name)
    if known is not None:
        _unknown_fields(a, known, path, errs)
    if name == "NodeResourcesFit":
        for i, res in enumerate(a.get("ignoredResources") or []):
            errs.extend(validate_label_name(res, index(child(path, "ignoredResources"), i)))
        for i, group in enumerate(a.get("ignoredResourceGroups") or []):
            gpath = index(child(path, "ignoredResourceGroups"), i)
            if "/" in group:
                errs.append(invalid(gpath, group, "resource group name can't contain '/'"))
            errs.extend(validate_label_name(group, gpath))
        s = a.get("scoringStrategy")
        spath = child(path, "scoringStrategy")
        if not isinstance(s, dict):
            errs.append(required(spath, "ScoringStrategy field is required"))
            return
        _unknown_fields(s, {"type", "resources", "requestedToCapacityRatio"}, spath, errs)
        t = s.get("type")
        if t not in (_LEAST, _MOST, _RTCR):
            errs.append(
                not_supported(child(spath, "type"), t if isinstance(t, str) else str(t), [_LEAST, _MOST, _RTCR])
            )
        _validate_resources(s.get("resources"), child(spath, "resources"), errs)
        rtcr = s.get("requestedToCapacityRatio")
        if t == _RTCR:
            if rtcr is None:
                errs.append(
                    required(
                        child(spath, "requestedToCapacityRatio"),
                        "must be specified when type is RequestedToCapacityRatio",
                    )
                )
            else:
                _validate_shape((rtcr or {}).get("shape"), child(spath, "requestedToCapacityRatio", "shape"), errs)
        elif rtcr is not None:
            errs.append(
                forbidden(
                    child(spath, "requestedToCapacityRatio"), "must be nil when type is not RequestedToCapacityRatio"
                )
            )
    elif name == "NodeResourcesBalancedAllocation":
        seen: set[str] = set()
        resources = a.get("resources") or []
        if not isinstance(resources, list):
            errs.append(invalid(child(path, "resources"), resources, "must be a list of {name, weight}"))
            return
        for i, r in enumerate(resources):
            rpath = index(child(path, "resources"), i)
            if not isinstance(r, dict):
                errs.append(invalid(rpath, r, "must be a {name, weight} object"))
                continue
            if r.get("name") in seen:
                errs.append(duplicate(child(rpath, "name"), r.get("name")))
            seen.add(r.get("name"))
            if r.get("weight") != 1:
                errs.append(invalid(child(rpath, "weight"), r.get("weight"), "must be 1"))
    elif name == "InterPodAffinity":
        w = a.get("hardPodAffinityWeight")
        if not _is_int(w) or not 0 <= w <= 100:
            errs.append(invalid(child(path, "hardPodAffinityWeight"), w, "not in valid range [0, 100]"))
    elif name == "DefaultPreemption":
        p, n = a.get("minCandidateNodesPercentage"), a.get("minCandidateNodesAbsolute")
        ppath, apath = child(path, "minCandidateNodesPercentage"), child(path, "minCandidateNodesAbsolute")
        if not _is_int(p) or not 0 <= p <= 100:
            errs.append(invalid(ppath, p, "not in valid range [0, 100]"))
        if not _is_int(n) or n < 0:
            errs.append(invalid(apath, n, "not in valid range [0, inf)"))
        if p == 0 and n == 0:
            errs.append(invalid(ppath, p, "cannot be zero at the same time as minCandidateNodesAbsolute"))
            errs.append(invalid(apath, n, "cannot be zero at the same time as minCandidateNodesPercentage"))
    elif name == "PodTopologySpread":
        dt = a.get("defaultingType")
        constraints = a.get("defaultConstraints") or []
        dpath = child(path, "defaultingType")
        if dt not in ("System", "List"):
            errs.append(not_supported(dpath, dt, ["System", "List"]))
        elif dt == "System" and constraints:
            errs.append(invalid(dpath, dt, "when .defaultConstraints are not empty"))
        cpath = child(path, "defaultConstraints")
        for i, c in enumerate(constraints if isinstance(constraints, list) else []):
            p = index(cpath, i)
            if not isinstance(c, dict):
                errs.append(invalid(p, c, "must be a topology spread constraint"))
                continue
            ms = c.get("maxSkew")
            if not _is_int(ms) or ms <= 0:
                errs.append(invalid(child(p, "maxSkew"), ms, "not in valid range (0, inf)"))
            tk = c.get("topologyKey") or ""
            if not tk:
                errs.append(required(child(p, "topologyKey"), "can not be empty"))
            else:
                errs.extend(validate_label_name(tk, child(p, "topologyKey")))
            wu = c.get("whenUnsatisfiable") or ""
            if not wu:
                errs.append(required(child(p, "whenUnsatisfiable"), "can not be empty"))
            elif wu not in ("DoNotSchedule", "ScheduleAnyway"):
                errs.append(not_supported(child(p, "whenUnsatisfiable"), wu, ["DoNotSchedule", "ScheduleAnyway"]))
            if c.get("labelSelector") is not None:
                errs.append(
                    forbidden(
                        child(p, "labelSelector"), "constraint must not define a selector, as they deduced for each pod"
                    )
                )
            for j in range(i):
                o = constraints[j]
                if isinstance(o, dict) and o.get("topologyKey") == tk and o.get("whenUnsatisfiable") == wu:
                    errs.append(duplicate(p, f"{{{tk}, {wu}}}"))
                    break
    elif name == "NodeAffinity":
        added = a.get("addedAffinity")
        if added is None:
            return
        apath = child(path, "addedAffinity")
        req = added.get("requiredDuringSchedulingIgnoredDuringExecution")
        if req is not None:
            try:
                NodeSelector(req, child(apath, "requiredDuringSchedulingIgnoredDuringExecution"))
            except NodeSelectorError as err:
                errs.extend(err.errors)
        pref = added.get("preferredDuringSchedulingIgnoredDuringExecution")
        if pref:
            try:
                PreferredSchedulingTerms(pref, child(apath, "preferredDuringSchedulingIgnoredDuringExecution"))
            except NodeSelectorError as err:
                errs.extend(err.errors)


# --- the configuration ---------------------------------------------------------------------------------------------


def _default_multipoint() -> dict[str, list]:
    enabled = []
    for name, weight in DEFAULT_PLUGINS:
        e: dict[str, Any] = {"name": name, "_path": "(default)"}
        if weight is not None:
            e["weight"] = weight
        enabled.append(e)
    return {"enabled": enabled, "disabled": []}


def _profile(obj: Any, i: int, n_profiles: int, errs: list[FieldError]) -> tuple[Profile | None, dict[str, list]]:
    path = index("profiles", i)
    if not isinstance(obj, Mapping):
        errs.append(invalid(path, obj, "must be a KubeSchedulerProfile object"))
        return None, {}
    _unknown_fields(obj, _PROFILE_FIELDS, path, errs)
    name = obj.get("schedulerName")
    if name is None and n_profiles == 1:
        name = DEFAULT_SCHEDULER_NAME
    if not name or not isinstance(name, str):
        errs.append(required(child(path, "schedulerName"), ""))
        name = ""
    pct = _int_field(obj, "percentageOfNodesToScore", path, errs)
    if pct is not None and not 0 <= pct <= 100:
        errs.append(invalid(child(path, "percentageOfNodesToScore"), pct, "not in valid range [0-100]"))
    raw_plugins = obj.get("plugins") or {}
    ppath = child(path, "plugins")
    if not isinstance(raw_plugins, Mapping):
        errs.append(invalid(ppath, raw_plugins, "must be an object keyed by extension point"))
        raw_plugins = {}
    _unknown_fields(raw_plugins, {*EXTENSION_POINTS, "multiPoint"}, ppath, errs)
    custom = {p: _plugin_set(raw_plugins.get(p), child(ppath, p), errs) for p in (*EXTENSION_POINTS, "multiPoint")}
    for p, ps in custom.items():
        for j, e in enumerate(ps["enabled"]):
            if e["name"] in _INVALID_IN_V1:
                errs.append(
                    invalid(
                        index(child(ppath, p, "enabled"), j),
                        e["name"],
                        _INVALID_MSG,
                    )
                )
    merged = {p: _merge_plugin_set({"enabled": [], "disabled": []}, custom[p]) for p in EXTENSION_POINTS}
    merged["multiPoint"] = _merge_plugin_set(_default_multipoint(), custom["multiPoint"])
    resolved, weights = _resolve_plugins(merged, name, path, errs)
    # plugin args: given ones, then defaults for every enabled plugin that has args
    args: dict[str, dict[str, Any]] = {}
    pc = obj.get("pluginConfig") or []
    pcpath = child(path, "pluginConfig")
    if not isinstance(pc, list):
        errs.append(invalid(pcpath, pc, "must be a list of {name, args}"))
        pc = []
    for j, item in enumerate(pc):
        ipath = index(pcpath, j)
        if not isinstance(item, Mapping):
            errs.append(invalid(ipath, item, "must be a {name, args} object"))
            continue
        _unknown_fields(item, {"name", "args"}, ipath, errs)
        pname = item.get("name")
        if pname in args:
            errs.append(duplicate(ipath, pname))
            continue
        if pname in _INVALID_IN_V1:
            errs.append(
                invalid(
                    ipath,
                    pname,
                    _INVALID_MSG,
                )
            )
            continue
        if not isinstance(pname, str) or pname not in REGISTRY:
            errs.append(invalid(child(ipath, "name"), pname, "unknown plugin"))
            continue
        raw_args = item.get("args") or {}
        if not isinstance(raw_args, Mapping):
            errs.append(invalid(child(ipath, "args"), raw_args, "has to match plugin args"))
            continue
        kind = raw_args.get("kind")
        if kind is not None and kind != f"{pname}Args":
            errs.append(invalid(child(ipath, "args", "kind"), kind, f'has to match plugin args: "{pname}Args"'))
            continue
        a = _default_args(pname, dict(raw_args))
        _validate_args(pname, a, child(ipath, "args"), errs)
        args[pname] = a
    enabled_anywhere = {n for names in resolved.values() for n in names} | {
        e["name"] for e in merged["multiPoint"]["enabled"] if e["name"] in REGISTRY
    }
    for n in sorted(enabled_anywhere):
        if n not in args and n in _ARGS_FIELDS:
            args[n] = _default_args(n, {})
    profile = Profile(name, resolved, weights, args, pct)
    return profile, merged["queueSort"]


def load_config(text_or_dict: str | Mapping[str, Any]) -> SchedulerConfig:
    """Decode, default and validate a ``KubeSchedulerConfiguration`` (YAML or JSON text, or a dict).

    Raises :class:`ConfigError` listing every problem (``profiles[0].plugins.score.enabled[0].name: Invalid value:
    "Foo": ScorePlugin "Foo" does not exist``) and returns nothing in that case.
    """
    if isinstance(text_or_dict, str):
        try:
            obj = yaml.safe_load(text_or_dict)
        except yaml.YAMLError as err:
            raise ConfigError([invalid(None, "<document>", f"could not parse YAML: {err}")]) from None
    else:
        obj = copy.deepcopy(dict(text_or_dict))
    if obj is None:
        obj = {}
    if not isinstance(obj, Mapping):
        raise ConfigError([invalid(None, obj, f"a {KIND} must be an object")])
    errs: list[FieldError] = []
    api_version = obj.get("apiVersion")
    if api_version is not None and api_version != API_VERSION:
        errs.append(not_supported("apiVersion", api_version, [API_VERSION]))
    kind = obj.get("kind")
    if kind is not None and kind != KIND:
        errs.append(not_supported("kind", kind, [KIND]))
    _unknown_fields(obj, _TOP_FIELDS, None, errs)
    parallelism = _int_field(obj, "parallelism", None, errs)
    parallelism = 16 if parallelism is None else parallelism
    if parallelism <= 0:
        errs.append(invalid("parallelism", parallelism, "should be an integer value greater than zero"))
    pct = _int_field(obj, "percentageOfNodesToScore", None, errs)
    pct = 0 if pct is None else pct
    if not 0 <= pct <= 100:
        errs.append(invalid("percentageOfNodesToScore", pct, "not in valid range [0-100]"))
    initial = _int_field(obj, "podInitialBackoffSeconds", None, errs)
    initial = 1 if initial is None else initial
    maximum = _int_field(obj, "podMaxBackoffSeconds", None, errs)
    maximum = 10 if maximum is None else maximum
    if initial <= 0:
        errs.append(invalid("podInitialBackoffSeconds", initial, "must be greater than 0"))
    if maximum < initial:
        errs.append(
            invalid("podMaxBackoffSeconds", maximum, "must be greater than or equal to PodInitialBackoffSeconds")
        )
    if obj.get("extenders"):
        errs.append(forbidden("extenders", "scheduler extenders are not modelled"))
    raw_profiles = obj.get("profiles")
    if raw_profiles is None or raw_profiles == []:
        raw_profiles = [{}]
    if not isinstance(raw_profiles, list):
        errs.append(invalid("profiles", raw_profiles, "must be a list of profiles"))
        raw_profiles = []
    profiles: dict[str, Profile] = {}
    seen: dict[str, int] = {}
    queue_sorts: list[Any] = []
    for i, p in enumerate(raw_profiles):
        prof, qs = _profile(p, i, len(raw_profiles), errs)
        if prof is None:
            continue
        if prof.scheduler_name in seen:
            errs.append(
                duplicate(
                    child(index("profiles", i), "schedulerName"),
                    child(index("profiles", seen[prof.scheduler_name]), "schedulerName"),
                )
            )
        seen[prof.scheduler_name] = i
        profiles.setdefault(prof.scheduler_name, prof)
        queue_sorts.append([e["name"] for e in qs.get("enabled", [])] if qs else [])
    for i in range(1, len(queue_sorts)):
        if queue_sorts[i] != queue_sorts[0]:
            errs.append(
                invalid(
                    child(index("profiles", i), "plugins", "queueSort"),
                    queue_sorts[i],
                    "must be the same for all profiles",
                )
            )
    if errs:
        raise ConfigError(errs)
    return SchedulerConfig(profiles, pct, initial, maximum, parallelism, raw=dict(obj))


def default_config() -> SchedulerConfig:
    """The configuration kube-scheduler runs with when given none: one ``default-scheduler`` profile."""
    return load_config({"apiVersion": API_VERSION, "kind": KIND})


def default_profile() -> Profile:
    """The ``default-scheduler`` profile of :func:`default_config`."""
    return default_config().profiles[DEFAULT_SCHEDULER_NAME]
