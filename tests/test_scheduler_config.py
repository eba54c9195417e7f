"""KubeSchedulerConfiguration: defaults, plugin merging and multiPoint expansion, validation at load.

Cases from ``apis/config/v1/default_plugins_test.go`` (TestApplyFeatureGates, TestMergePlugins),
``apis/config/v1/defaults_test.go`` (TestSchedulerDefaults, TestPluginArgsDefaults),
``apis/config/validation/validation_test.go`` / ``validation_pluginargs_test.go`` and
``framework/runtime/framework_test.go`` (TestNewFrameworkMultiPointExpansion, TestNewFrameworkErrors).
"""

from __future__ import annotations

import random

import pytest

from k8smodel.scheduler.config import ConfigError, default_config, default_profile, load_config

DEFAULT_SCORE = [
    "TaintToleration",
    "NodeAffinity",
    "NodeResourcesFit",
    "PodTopologySpread",
    "InterPodAffinity",
    "NodeResourcesBalancedAllocation",
    "ImageLocality",
]


def test_default_profile() -> None:
    """TestSchedulerDefaults 'empty config': one default-scheduler profile, the multiPoint defaults expanded."""
    cfg = default_config()
    assert list(cfg.profiles) == ["default-scheduler"]
    assert (cfg.percentage_of_nodes_to_score, cfg.pod_initial_backoff_seconds, cfg.pod_max_backoff_seconds) == (
        0,
        1,
        10,
    )
    p = default_profile()
    assert p.plugins["queueSort"] == ["PrioritySort"]
    assert p.plugins["preEnqueue"] == ["SchedulingGates"]
    assert p.plugins["filter"] == [
        "NodeUnschedulable",
        "NodeName",
        "TaintToleration",
        "NodeAffinity",
        "NodePorts",
        "NodeResourcesFit",
        "PodTopologySpread",
        "InterPodAffinity",
    ]
    assert p.plugins["postFilter"] == ["DefaultPreemption"]
    assert p.plugins["score"] == DEFAULT_SCORE
    assert p.plugins["bind"] == ["DefaultBinder"]
    assert p.weights == {
        "TaintToleration": 3,
        "NodeAffinity": 2,
        "NodeResourcesFit": 1,
        "PodTopologySpread": 2,
        "InterPodAffinity": 2,
        "NodeResourcesBalancedAllocation": 1,
        "ImageLocality": 1,
    }


def test_default_plugin_args() -> None:
    """TestPluginArgsDefaults."""
    args = default_profile().plugin_args
    assert args["NodeResourcesFit"] == {
        "scoringStrategy": {
            "type": "LeastAllocated",
            "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}],
        }
    }
    assert args["DefaultPreemption"] == {"minCandidateNodesPercentage": 10, "minCandidateNodesAbsolute": 100}
    assert args["InterPodAffinity"] == {"hardPodAffinityWeight": 1}
    assert args["PodTopologySpread"] == {"defaultingType": "System"}
    assert args["NodeResourcesBalancedAllocation"] == {
        "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
    }


def test_spread_and_bin_pack_profiles() -> None:
    """Two profiles, one bin-packing (MostAllocated, no BalancedAllocation)."""
    cfg = load_config(
        """
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing-scheduler
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources:
        - {name: cpu, weight: 1}
        - {name: memory, weight: 1}
"""
    )
    assert list(cfg.profiles) == ["default-scheduler", "bin-packing-scheduler"]
    bp = cfg.profiles["bin-packing-scheduler"]
    assert "NodeResourcesBalancedAllocation" not in bp.plugins["score"]
    # disabled at Score only: its PreScore still runs, as upstream (it just computes the Pod's requests)
    assert "NodeResourcesBalancedAllocation" in bp.plugins["preScore"]
    assert bp.plugin_args["NodeResourcesFit"]["scoringStrategy"]["type"] == "MostAllocated"
    fws = cfg.frameworks(rng=random.Random(0))
    assert fws["bin-packing-scheduler"].profile_name == "bin-packing-scheduler"


def test_multipoint_weight_override_in_place() -> None:
    """TestMergePlugins 'default plugin is explicitly re-configured': a multiPoint entry replaces the default in
    place (same order), with its weight."""
    p = load_config("profiles: [{plugins: {multiPoint: {enabled: [{name: TaintToleration, weight: 5}]}}}]").profiles[
        "default-scheduler"
    ]
    assert p.plugins["score"] == DEFAULT_SCORE and p.weights["TaintToleration"] == 5


def test_score_point_override_goes_first() -> None:
    """TestNewFrameworkMultiPointExpansion 'Override MultiPoint plugins weights': a Score-point entry overrides the
    multiPoint one; overridden plugins come first, then the other multiPoint ones."""
    p = load_config("profiles: [{plugins: {score: {enabled: [{name: NodeAffinity, weight: 7}]}}}]").profiles[
        "default-scheduler"
    ]
    assert p.plugins["score"][0] == "NodeAffinity" and sorted(p.plugins["score"]) == sorted(DEFAULT_SCORE)
    assert p.weights["NodeAffinity"] == 7


def test_disable_all_at_one_point() -> None:
    """mergePluginSet / expandMultiPointPlugins with disabled '*': no multiPoint plugin at that point."""
    p = load_config("profiles: [{plugins: {score: {disabled: [{name: '*'}], enabled: [{name: ImageLocality}]}}}]")
    prof = p.profiles["default-scheduler"]
    assert prof.plugins["score"] == ["ImageLocality"] and prof.weights["ImageLocality"] == 1
    assert prof.plugins["filter"][0] == "NodeUnschedulable"


def test_disable_a_default_in_multipoint() -> None:
    prof = load_config("profiles: [{plugins: {multiPoint: {disabled: [{name: ImageLocality}]}}}]").profiles[
        "default-scheduler"
    ]
    assert "ImageLocality" not in prof.plugins["score"]


def test_global_and_profile_percentage() -> None:
    cfg = load_config("{percentageOfNodesToScore: 30, profiles: [{percentageOfNodesToScore: 40}]}")
    assert cfg.percentage_of_nodes_to_score == 30
    assert cfg.profiles["default-scheduler"].percentage_of_nodes_to_score == 40


# --- validation: one clear error per problem, nothing returned -----------------------------------------------------


def _errors(text: str) -> str:
    with pytest.raises(ConfigError) as exc:
        load_config(text)
    return str(exc.value)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "profiles: [{plugins: {score: {enabled: [{name: Foo}]}}}]",
            'profiles[0].plugins.score.enabled[0].name: Invalid value: "Foo": ScorePlugin "Foo" does not exist',
        ),
        (
            "profiles: [{plugins: {multiPoint: {enabled: [{name: Bar}]}}}]",
            'profiles[0].plugins.multiPoint.enabled[0].name: Invalid value: "Bar": plugin "Bar" does not exist',
        ),
        (
            "profiles: [{plugins: {score: {enabled: [{name: NodeResourcesFit, weight: -1}]}}}]",
            "profiles[0].plugins.score.enabled[0].weight: Invalid value: -1: must be a positive integer",
        ),
        (
            "profiles: [{plugins: {score: {enabled: [{name: NodeResourcesFit, weight: 0}]}}}]",
            "profiles[0].plugins.score.enabled[0].weight: Invalid value: 0: must be a positive integer",
        ),
        (
            "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: Bogus}}}]}]",
            'profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "Bogus": supported values: '
            '"LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
        ),
        (
            "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: "
            "{type: RequestedToCapacityRatio}}}]}]",
            "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: Required value: must be "
            "specified when type is RequestedToCapacityRatio",
        ),
        (
            "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: LeastAllocated, "
            "resources: [{name: cpu, weight: 101}]}}}]}]",
            "profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 101: resource weight "
            "of cpu not in valid range (0, 100]",
        ),
        (
            "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: "
            "{type: RequestedToCapacityRatio, requestedToCapacityRatio: "
            "{shape: [{utilization: 50, score: 5}, {utilization: 10, score: 11}]}}}}]}]",
            "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization: "
            "Invalid value: 10: values must be sorted in increasing order",
        ),
        (
            "profiles: [{pluginConfig: [{name: InterPodAffinity, args: {hardPodAffinityWeight: 101}}]}]",
            "profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]",
        ),
        (
            "profiles: [{pluginConfig: [{name: DefaultPreemption, args: {minCandidateNodesPercentage: 0, "
            "minCandidateNodesAbsolute: 0}}]}]",
            "minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as "
            "minCandidateNodesAbsolute",
        ),
        (
            "profiles: [{pluginConfig: [{name: PodTopologySpread, args: {defaultConstraints: [{maxSkew: 1, "
            "topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]}}]}]",
            'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are '
            "not empty",
        ),
        (
            "profiles: [{pluginConfig: [{name: NodeResourcesBalancedAllocation, "
            "args: {resources: [{name: cpu, weight: 2}]}}]}]",
            "profiles[0].pluginConfig[0].args.resources[0].weight: Invalid value: 2: must be 1",
        ),
        ("percentageOfNodesToScore: 110", "percentageOfNodesToScore: Invalid value: 110: not in valid range [0-100]"),
        (
            "profiles: [{schedulerName: a}, {schedulerName: a}]",
            'profiles[1].schedulerName: Duplicate value: "profiles[0].schedulerName"',
        ),
        ("profiles: [{schedulerName: a}, {}]", "profiles[1].schedulerName: Required value"),
        (
            "profiles: [{plugins: {filter: {enabled: [{name: DefaultBinder}]}}}]",
            'profiles[0].plugins.filter.enabled[0].name: Invalid value: "DefaultBinder": plugin "DefaultBinder" does '
            "not extend FilterPlugin plugin",
        ),
        (
            "profiles: [{plugins: {bind: {disabled: [{name: '*'}]}}}]",
            'at least one bind plugin is needed for profile with scheduler name "default-scheduler"',
        ),
        (
            "profiles: [{plugins: {filter: {enabled: [{name: EBSLimits}]}}}]",
            'was invalid in version "kubescheduler.config.k8s.io/v1"',
        ),
        ("profiles: [{plugins: {score: {disabled: [{name: Nope}]}}}]", 'Invalid value: "Nope": unknown plugin'),
        ("profiles: [{pluginConfig: [{name: Nope, args: {}}]}]", 'Invalid value: "Nope": unknown plugin'),
        ("podMaxBackoffSeconds: 0", "podMaxBackoffSeconds: Invalid value: 0: must be greater than or equal to"),
        ("foo: 1", "foo: Forbidden: unknown field"),
        (
            "apiVersion: kubescheduler.config.k8s.io/v1beta3",
            'apiVersion: Unsupported value: "kubescheduler.config.k8s.io/v1beta3"',
        ),
        (
            "profiles: [{schedulerName: a}, {schedulerName: b, plugins: {queueSort: {disabled: [{name: '*'}], "
            "enabled: [{name: PrioritySort}]}}}, "
            "{schedulerName: c, plugins: {queueSort: {disabled: [{name: PrioritySort}]}}}]",
            "profiles[2].plugins.queueSort",
        ),
    ],
)
def test_invalid_configurations(config: str, message: str) -> None:
    assert message in _errors(config)


def test_all_errors_are_reported_at_once() -> None:
    msg = _errors(
        "profiles: [{plugins: {score: {enabled: [{name: Foo}, {name: NodeResourcesFit, weight: -2}]}}, "
        "pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: Bogus}}}]}]"
    )
    assert msg.startswith("invalid KubeSchedulerConfiguration: [")
    assert '"Foo"' in msg and "-2" in msg and '"Bogus"' in msg


def test_yaml_syntax_error() -> None:
    assert "could not parse YAML" in _errors("profiles: [")
