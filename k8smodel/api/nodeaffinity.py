"""Node selectors and node affinity: which Nodes a Pod may (required) and would rather (preferred) run on.

Port of ``staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`` (commit
``1ca8f84e``; tests from ``nodeaffinity_test.go`` at ``04791b49``) and of ``MatchNodeSelectorTerms`` in
``staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go``. The scheduler's NodeAffinity plugin
filters with :class:`RequiredNodeAffinity` and scores with :class:`PreferredSchedulingTerms`.

Semantics, as upstream:

- ``spec.nodeSelector`` (a label map, every entry must match) AND ``requiredDuringSchedulingIgnoredDuringExecution``.
- The node selector's terms are ORed; a nil or empty term list matches no Node; a term with neither
  ``matchExpressions`` nor ``matchFields`` is dropped (matches nothing).
- Inside a term, ``matchExpressions`` (on labels: ``In``, ``NotIn``, ``Exists``, ``DoesNotExist``, ``Gt``, ``Lt``
  -- the last two parse label and value as int64) are ANDed with ``matchFields`` (``In``/``NotIn`` with exactly
  one value; the only field a Node offers is ``metadata.name``). Upstream quirk kept: ``matchFields`` is skipped
  when the Node has no name.
- Parse errors (bad operator, bad key, wrong number of values, non-integer ``Gt``/``Lt`` value): the strict
  constructors (:class:`NodeSelector`, ``NewNodeSelector``; :class:`PreferredSchedulingTerms`) raise
  :class:`NodeSelectorError` with upstream's aggregated field errors. The lazy one used for Pods
  (:class:`LazyErrorNodeSelector`, as ``GetRequiredNodeAffinity`` does "for backwards compatibility") keeps
  the other terms working: a broken term never matches, and its errors are reported only if no term matched.

What the model leaves out: ``fields.Selector`` is reduced to the ``field=value``/``field!=value`` conjunctions
this file builds; ``PathOption`` is a plain ``path`` string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8smodel.api.field import FieldError, aggregate_message, child, index, invalid, not_supported
from k8smodel.api.labels import Requirement, Selector, nothing, requirement_errors, selector_from_set

NODE_SELECTOR_OP_IN = "In"
NODE_SELECTOR_OP_NOT_IN = "NotIn"
NODE_SELECTOR_OP_EXISTS = "Exists"
NODE_SELECTOR_OP_DOES_NOT_EXIST = "DoesNotExist"
NODE_SELECTOR_OP_GT = "Gt"
NODE_SELECTOR_OP_LT = "Lt"

# nodeaffinity.go validSelectorOperators, and the label selector operator each becomes.
_LABEL_OPERATORS = {
    NODE_SELECTOR_OP_IN: "in",
    NODE_SELECTOR_OP_NOT_IN: "notin",
    NODE_SELECTOR_OP_EXISTS: "exists",
    NODE_SELECTOR_OP_DOES_NOT_EXIST: "!",
    NODE_SELECTOR_OP_GT: "gt",
    NODE_SELECTOR_OP_LT: "lt",
}
VALID_SELECTOR_OPERATORS = tuple(_LABEL_OPERATORS)
VALID_FIELD_SELECTOR_OPERATORS = (NODE_SELECTOR_OP_IN, NODE_SELECTOR_OP_NOT_IN)


class NodeSelectorError(ValueError):
    """Parse errors of a node selector: ``errors`` holds the field errors, ``str()`` is upstream's flattened
    aggregate (one message, or ``[a, b]``)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(aggregate_message(errors))
        self.errors = tuple(errors)


class FieldSelector:
    """The part of ``fields.Selector`` node affinity needs: ``AndSelectors`` of ``OneTermEqualSelector`` /
    ``OneTermNotEqualSelector``. ``terms`` is a tuple of ``(field, value, equal)``."""

    __slots__ = ("terms",)

    def __init__(self, terms: Sequence[tuple[str, str, bool]]) -> None:
        self.terms = tuple(terms)

    def matches(self, fields: Mapping[str, str]) -> bool:
        """``hasTerm.Matches``: ``fields.Get(f) == v`` (a missing field reads ``""``); ``notHasTerm``: ``!=``."""
        return all((fields.get(f, "") == v) == equal for f, v, equal in self.terms)

    def __str__(self) -> str:
        return ",".join(f"{f}{'=' if eq else '!='}{v}" for f, v, eq in self.terms)

    def __repr__(self) -> str:
        return f"FieldSelector({str(self)!r})"


def _values(expr: Mapping[str, Any]) -> list[str] | None:
    values = expr.get("values")
    return None if values is None else list(values)


def node_selector_requirements_as_selector(
    nsm: Sequence[Mapping[str, Any]] | None, path: str | None = None
) -> tuple[Selector | None, list[FieldError]]:
    """Upstream ``nodeSelectorRequirementsAsSelector``: ``matchExpressions`` to a label selector.

    Empty input gives ``labels.Nothing()``. Each requirement goes through ``labels.NewRequirement`` (key must be a
    qualified name, values valid label values, the count right for the operator, ``Gt``/``Lt`` values integers);
    with any error the result is ``(None, errors)``.
    """
    if not nsm:
        return nothing(), []
    errs: list[FieldError] = []
    reqs = []
    for i, expr in enumerate(nsm):
        p = index(path, i)
        op = expr.get("operator") or ""
        label_op = _LABEL_OPERATORS.get(op)
        if label_op is None:
            errs.append(not_supported(child(p, "operator"), op, VALID_SELECTOR_OPERATORS))
            continue
        key_, values = expr.get("key") or "", _values(expr)
        if r_errs := requirement_errors(key_, label_op, values, p):
            errs.extend(r_errs)
        else:
            reqs.append(Requirement(key_, label_op, values))
    if errs:
        return None, errs
    return Selector(reqs), []


def node_selector_requirements_as_field_selector(
    nsr: Sequence[Mapping[str, Any]] | None, path: str | None = None
) -> tuple[FieldSelector | None, list[FieldError]]:
    """Upstream ``nodeSelectorRequirementsAsFieldSelector``: ``matchFields`` to a field selector (``In`` and
    ``NotIn`` only, each with exactly one value)."""
    if not nsr:
        return FieldSelector([("", "", True), ("", "", False)]), []  # fields.Nothing(): matches nothing
    errs: list[FieldError] = []
    terms = []
    for i, expr in enumerate(nsr):
        p = index(path, i)
        op = expr.get("operator") or ""
        values = _values(expr)
        if op in VALID_FIELD_SELECTOR_OPERATORS:
            if values is None or len(values) != 1:
                errs.append(invalid(child(p, "values"), values, "must have one element"))
            else:
                terms.append((expr.get("key") or "", values[0], op == NODE_SELECTOR_OP_IN))
        else:
            errs.append(not_supported(child(p, "operator"), op, VALID_FIELD_SELECTOR_OPERATORS))
    if errs:
        return None, errs
    return FieldSelector(terms), []


def _is_empty_term(term: Mapping[str, Any]) -> bool:
    """Upstream ``isEmptyNodeSelectorTerm``."""
    return not term.get("matchExpressions") and not term.get("matchFields")


def extract_node_fields(node: Mapping[str, Any]) -> dict[str, str]:
    """Upstream ``extractNodeFields``: ``{"metadata.name": name}``, or ``{}`` for a nameless Node."""
    name = (node.get("metadata") or {}).get("name") or ""
    return {"metadata.name": name} if name else {}


def _node_labels(node: Mapping[str, Any]) -> Mapping[str, str]:
    return (node.get("metadata") or {}).get("labels") or {}


class _Term:
    """Upstream ``nodeSelectorTerm`` (built by ``newNodeSelectorTerm``)."""

    __slots__ = ("match_fields", "match_labels", "parse_errs")

    def __init__(self, term: Mapping[str, Any], path: str | None) -> None:
        self.match_labels: Selector | None = None
        self.match_fields: FieldSelector | None = None
        self.parse_errs: list[FieldError] = []
        if term.get("matchExpressions"):
            self.match_labels, errs = node_selector_requirements_as_selector(
                term["matchExpressions"], child(path, "matchExpressions")
            )
            self.parse_errs.extend(errs)
        if term.get("matchFields"):
            self.match_fields, errs = node_selector_requirements_as_field_selector(
                term["matchFields"], child(path, "matchFields")
            )
            self.parse_errs.extend(errs)

    def match(self, labels: Mapping[str, str], fields: Mapping[str, str]) -> tuple[bool, list[FieldError]]:
        if self.parse_errs:
            return False, self.parse_errs
        if self.match_labels is not None and not self.match_labels.matches(labels):
            return False, []
        if self.match_fields is not None and fields and not self.match_fields.matches(fields):
            return False, []
        return True, []


class LazyErrorNodeSelector:
    """Upstream ``LazyErrorNodeSelector`` (``NewLazyErrorNodeSelector``): terms ORed, parse errors reported only
    when no term matched. ``node_selector`` is a ``v1.NodeSelector`` dict (``{"nodeSelectorTerms": [...]}``)."""

    def __init__(self, node_selector: Mapping[str, Any] | None, path: str | None = None) -> None:
        terms_path = child(path, "nodeSelectorTerms")
        self.terms = [
            _Term(term, index(terms_path, i))
            for i, term in enumerate((node_selector or {}).get("nodeSelectorTerms") or ())
            if not _is_empty_term(term)
        ]

    def match(self, node: Mapping[str, Any] | None) -> tuple[bool, NodeSelectorError | None]:
        """``(True, None)`` as soon as a term matches; else ``(False, errors of the broken terms or None)``."""
        if node is None:
            return False, None
        labels, fields = _node_labels(node), extract_node_fields(node)
        errs: list[FieldError] = []
        for term in self.terms:
            ok, t_errs = term.match(labels, fields)
            if t_errs:
                errs.extend(t_errs)
                continue
            if ok:
                return True, None
        return False, NodeSelectorError(errs) if errs else None


class NodeSelector:
    """Upstream ``NodeSelector`` (``NewNodeSelector``): raises :class:`NodeSelectorError` if any term fails to
    parse; otherwise :meth:`match` tells whether a Node matches one of the terms."""

    def __init__(self, node_selector: Mapping[str, Any] | None, path: str | None = None) -> None:
        self._lazy = LazyErrorNodeSelector(node_selector, path)
        errs = [e for term in self._lazy.terms for e in term.parse_errs]
        if errs:
            raise NodeSelectorError(errs)

    def match(self, node: Mapping[str, Any] | None) -> bool:
        return self._lazy.match(node)[0]


class PreferredSchedulingTerms:
    """Upstream ``PreferredSchedulingTerms`` (``NewPreferredSchedulingTerms``): a list of
    ``{"weight", "preference"}``; terms with weight 0 or an empty preference are skipped unparsed. Raises
    :class:`NodeSelectorError` if a kept term fails to parse."""

    def __init__(self, terms: Sequence[Mapping[str, Any]] | None, path: str | None = None) -> None:
        errs: list[FieldError] = []
        self.terms: list[tuple[_Term, int]] = []
        for i, term in enumerate(terms or ()):
            weight = term.get("weight") or 0
            preference = term.get("preference") or {}
            if weight == 0 or _is_empty_term(preference):
                continue
            parsed = _Term(preference, index(path, i))
            if parsed.parse_errs:
                errs.extend(parsed.parse_errs)
            else:
                self.terms.append((parsed, int(weight)))
        if errs:
            raise NodeSelectorError(errs)

    def score(self, node: Mapping[str, Any]) -> int:
        """Upstream ``Score``: the sum of the weights of the terms the Node matches."""
        labels, fields = _node_labels(node), extract_node_fields(node)
        return sum(weight for term, weight in self.terms if term.match(labels, fields)[0])


class RequiredNodeAffinity:
    """Upstream ``GetRequiredNodeAffinity(pod)`` and ``RequiredNodeAffinity.Match``: the Pod's
    ``spec.nodeSelector`` AND its required node affinity (parsed lazily: broken terms just never match)."""

    def __init__(self, pod: Mapping[str, Any]) -> None:
        spec = pod.get("spec") or {}
        node_selector = spec.get("nodeSelector")
        self.label_selector: Selector | None = selector_from_set(node_selector) if node_selector else None
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
        self.node_selector = LazyErrorNodeSelector(required) if required is not None else None

    def match_with_error(self, node: Mapping[str, Any]) -> tuple[bool, NodeSelectorError | None]:
        """Upstream ``Match``: ``(matches, parse errors reported when no term matched)``."""
        if self.label_selector is not None and not self.label_selector.matches(_node_labels(node)):
            return False, None
        if self.node_selector is not None:
            return self.node_selector.match(node)
        return True, None

    def match(self, node: Mapping[str, Any]) -> bool:
        """Whether the Pod may be scheduled onto the Node (the error, if any, is dropped as the plugin does)."""
        return self.match_with_error(node)[0]


def get_required_node_affinity(pod: Mapping[str, Any]) -> RequiredNodeAffinity:
    """Upstream ``GetRequiredNodeAffinity``."""
    return RequiredNodeAffinity(pod)


def match_node_selector_terms(
    node: Mapping[str, Any] | None, node_selector: Mapping[str, Any] | None
) -> tuple[bool, NodeSelectorError | None]:
    """Upstream ``MatchNodeSelectorTerms`` (``scheduling/corev1/helpers.go``): lazy, terms ORed."""
    if node is None:
        return False, None
    return LazyErrorNodeSelector(node_selector).match(node)


__all__ = [
    "NODE_SELECTOR_OP_DOES_NOT_EXIST",
    "NODE_SELECTOR_OP_EXISTS",
    "NODE_SELECTOR_OP_GT",
    "NODE_SELECTOR_OP_IN",
    "NODE_SELECTOR_OP_LT",
    "NODE_SELECTOR_OP_NOT_IN",
    "VALID_FIELD_SELECTOR_OPERATORS",
    "VALID_SELECTOR_OPERATORS",
    "FieldSelector",
    "LazyErrorNodeSelector",
    "NodeSelector",
    "NodeSelectorError",
    "PreferredSchedulingTerms",
    "RequiredNodeAffinity",
    "extract_node_fields",
    "get_required_node_affinity",
    "match_node_selector_terms",
    "node_selector_requirements_as_field_selector",
    "node_selector_requirements_as_selector",
]
