"""k8smodel: a deterministic model of a Kubernetes cluster, built the way Kubernetes is built.

Importing the package in a Jupyter kernel also installs the book's plotly renderer (``k8smodel.views.render``), so a
figure shows in JupyterLab, in the rendered book and under nbval from the same stored output.
"""

from k8smodel import _native  # noqa: F401  (first: it installs the compiled modules, if they match the sources)
from k8smodel.api.intstr import IntOrString, scaled_value_from_int_or_percent
from k8smodel.cluster import ApplyError, Cluster, DrainError, NodeError
from k8smodel.controllers.deployment_util import resolve_fenceposts, rollout_bounds
from k8smodel.kubelet.config import NodeConfig
from k8smodel.rollout import RolloutError
from k8smodel.views import render as _render

__version__ = "0.1.0"

_render.install_in_ipython()

__all__ = [
    "ApplyError",
    "Cluster",
    "DrainError",
    "IntOrString",
    "NodeConfig",
    "NodeError",
    "RolloutError",
    "__version__",
    "resolve_fenceposts",
    "rollout_bounds",
    "scaled_value_from_int_or_percent",
]
