"""Views of the cluster: tables, graphs, figures and widgets, and how figures are rendered."""

from k8smodel.views import render

__all__ = ["render"]
