"""Controllers: one module per controller, each a reconcile loop over informers and a work queue."""
