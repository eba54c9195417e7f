"""Views of the cluster, each derived from the store and never a second source of truth. Import what you need:

* ``tables`` — ``kubectl get`` and ``describe`` as pandas tables;
* ``graph`` — the cluster as a networkx graph (ownership, scheduling, selection, watches) and its queries;
* ``figures`` — plotly figures in one style (``style``): topology, timelines, node resources, the architecture;
* ``frames`` — kernel-free interactivity: the model run over a parameter or over time, packed into plotly frames;
* ``widgets`` — the ipywidgets dashboard the chapters reuse;
* ``trace`` — who did what, in which order: a request's path through the components, read off the event log;
* ``render`` — how a figure leaves the kernel and how the book draws it.

Only ``render`` is imported with the package (``import k8smodel`` installs it in a kernel); the others load on
first import, so a test or a server that draws nothing does not pay for plotly and ipywidgets.
"""

from k8smodel.views import render

__all__ = ["render"]
