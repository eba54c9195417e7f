"""base: the controller pattern — informers feed a work queue of keys, workers reconcile one key at a time.

Every Kubernetes controller is built the same way, and ``staging/src/k8s.io/sample-controller/controller.go`` is the
reference copy of the pattern that every controller in ``pkg/controller/`` follows (the ReplicaSet controller's
``replica_set.go``, the Deployment controller's ``deployment_controller.go``, ...):

1. **Informers** keep a local cache of the objects the controller cares about (``k8smodel.client.Informer``) and
   call the controller's *event handlers* on every add, update and delete (and, on each resync, an update for
   every cached object).
2. The handlers do almost nothing: they work out *which object needs attention* and put its key
   (``"namespace/name"``) on a **work queue** (:class:`k8smodel.client.WorkQueue`). A key that is already queued is
   not queued twice, so a burst of changes to one object costs one reconcile.
3. **Workers** take keys from the queue and call :meth:`Controller.reconcile` (upstream's ``syncHandler``). The
   reconcile reads the *desired state* (the object's spec) and the *current state* (from the caches), compares
   them and acts through the API server. It is **level-triggered**: it never asks "what event happened?", only
   "how do things stand now?", so it may be called any number of times for one key and a lost event is healed
   by the next call. It is **idempotent**: when desired and current agree it changes nothing.
4. A reconcile that fails (an API request refused, a conflict) is retried with the queue's rate limiter, 5 ms
   doubling to 1000 s per key (``processNextWorkItem``: ``AddRateLimited`` on error, ``Forget`` on success);
   ``Done`` always tells the queue the worker has finished with the key, so a key added while it was being
   processed is processed again afterwards, and never by two workers at once.

Controllers that create or delete objects add one more piece, **expectations**
(:mod:`k8smodel.controllers.controller_utils`), so that a reconcile does not create the same Pods twice while
its own writes are still on their way back through the informer.

The model's :class:`Controller` is that skeleton; a concrete controller subclasses it, registers handlers with
:meth:`Controller.watch` and implements :meth:`Controller.reconcile`::

    class FooController(Controller):
        name = "foo-controller"

        def __init__(self, sim, api, *, foo_informer=None, user=controller_user("foo-controller")):
            super().__init__(sim, api, user=user, queue_name="foo")
            self.foos = foo_informer or Informer(sim, api.lister_watcher("foos", user=user), name="foo/foos")
            self.watch(self.foos, on_add=self.enqueue, on_update=lambda old, new: self.enqueue(new),
                       on_delete=self.enqueue)

        def reconcile(self, key):
            foo = self.foos.get(key)
            if foo is None:
                return            # deleted: nothing to do
            ...                   # compare desired with current, act through self.api

Every reconcile is logged as ``sim.log("controller.reconcile", controller, key)`` and every failed one as
``controller.reconcile_failed`` (with the error and the retry delay), so a chapter can draw the loop at work.

What the model leaves out
    * Time spent reconciling: upstream a sync takes real milliseconds (listing from the cache, API round trips);
      here :meth:`Controller.reconcile` runs in zero simulated time, and its API writes land at the instant it
      runs. Watch events caused by those writes reach the informers synchronously too, so a handler may run
      *during* a reconcile (the queue's ``processing`` set keeps the key from being handed out twice, as upstream).
    * Concurrency. kube-controller-manager runs several workers per controller (``--concurrent-replicaset-syncs``
      and ``--concurrent-deployment-syncs`` default to 5, ``--concurrent-gc-syncs`` to 20, namespace 10). With
      reconciles that take no simulated time, extra workers would only take turns, so controllers default to one
      worker (``workers=`` can ask for more; they then share the queue exactly as upstream's goroutines do).
    * ``cache.WaitForCacheSync``: informers here list synchronously when started, so by the time the workers run
      the caches have synced.
    * ``utilruntime.HandleCrash``: an exception that is not an API error (:class:`~k8smodel.api.errors.StatusError`)
      or a :class:`ReconcileError` is a bug in the model and propagates out of ``sim.run`` instead of being logged.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.apiserver.authn import (
    AUTHENTICATED_GROUP,
    MASTERS_GROUP,
    SERVICE_ACCOUNTS_GROUP,
    UserInfo,
    service_account_username,
)
from k8smodel.client import (
    DeletedFinalStateUnknown,
    Informer,
    RateLimiter,
    ResourceEventHandler,
    WorkQueue,
    deletion_handling_meta_namespace_key,
)
from k8smodel.sim import Simulation

CONTROLLER_NAMESPACE = "kube-system"
"""The namespace of the controllers' service accounts (kube-controller-manager's ``--use-service-account-credentials``
gives each controller its own account there)."""


def controller_user(service_account: str) -> UserInfo:
    """Who a controller acts as: ``system:serviceaccount:kube-system:<service_account>``.

    kube-controller-manager with ``--use-service-account-credentials`` runs each controller as its own service
    account (``replicaset-controller``, ``deployment-controller``, ``generic-garbage-collector``,
    ``namespace-controller``, ...; ``cmd/kube-controller-manager/app/controllermanager.go``), bound by the
    bootstrap policy to a ``system:controller:<name>`` ClusterRole. The model's RBAC has no such roles, so the
    account is also put in ``system:masters``, as :data:`k8smodel.controllers.nodeipam.NODE_CONTROLLER_USER` is.
    """
    return UserInfo(
        service_account_username(CONTROLLER_NAMESPACE, service_account),
        (
            SERVICE_ACCOUNTS_GROUP,
            f"{SERVICE_ACCOUNTS_GROUP}:{CONTROLLER_NAMESPACE}",
            AUTHENTICATED_GROUP,
            MASTERS_GROUP,
        ),
    )


class ReconcileError(Exception):
    """A reconcile that failed for a reason other than a refused API request (upstream: any ``error`` a
    ``syncHandler`` returns, such as ``fmt.Errorf("can't adopt Pod ...")``); the key is retried with back-off,
    exactly as for a :class:`~k8smodel.api.errors.StatusError`."""


def object_of(obj: Any) -> Any:
    """The object inside a :class:`~k8smodel.client.DeletedFinalStateUnknown` tombstone, or ``obj`` itself (the
    first lines of every upstream delete handler)."""
    return obj.obj if type(obj) is DeletedFinalStateUnknown else obj


class Controller:
    """The controller pattern (sample-controller's ``controller.go``): informers feed a work queue of keys; workers
    take a key and call :meth:`reconcile`, which is level-triggered and idempotent.

    ``user`` is who the controller acts as (:func:`controller_user`); ``queue_name`` names its work queue (upstream's
    ``workqueue.TypedRateLimitingQueueConfig.Name``: ``"replicaset"``, ``"deployment"``, ...); ``workers`` is the
    number of SimPy worker processes (see the module docstring); ``rate_limiter`` defaults to
    ``DefaultControllerRateLimiter``.
    """

    name: str = ""
    """The component name, e.g. ``"replicaset-controller"``: the Events' ``source.component``, the log's field."""

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        user: UserInfo,
        queue_name: str,
        workers: int = 1,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"{type(self).__name__}: workers must be a whole number >= 1, got {workers!r}")
        self.sim = sim
        self.api = api
        self.user = user
        self.queue_name = queue_name
        self.workers = workers
        self._rate_limiter = rate_limiter
        self.queue = WorkQueue(sim, queue_name, rate_limiter)
        self.running = False
        self.reconciles = 0  # reconcile calls so far (successful or not)
        self.failures = 0  # reconciles that raised an API error or a ReconcileError
        self._watches: list[tuple[Informer, ResourceEventHandler]] = []
        self._registered: list[tuple[Informer, ResourceEventHandler]] = []

    # ---- wiring ------------------------------------------------------------------------------------------

    def watch(
        self,
        informer: Informer,
        on_add: Callable[[Any], object] | None = None,
        on_update: Callable[[Any, Any], object] | None = None,
        on_delete: Callable[[Any], object] | None = None,
    ) -> None:
        """Remember ``informer`` and the handlers to register on it (``informer.Informer().AddEventHandler``).

        :meth:`start` starts the informer (a shared one that is already running is left as it is) and then adds
        the handlers, so objects already cached reach ``on_add`` at once; :meth:`stop` removes them.
        """
        self._watches.append((informer, ResourceEventHandler(on_add, on_update, on_delete)))

    @property
    def informers(self) -> list[Informer]:
        """The informers this controller reads, in the order :meth:`watch` was called."""
        seen: dict[int, Informer] = {}
        for informer, _ in self._watches:
            seen.setdefault(id(informer), informer)
        return list(seen.values())

    def has_synced(self) -> bool:
        """True once every informer has delivered its first list (``cache.WaitForCacheSync``)."""
        return all(informer.has_synced() for informer in self.informers)

    # ---- the queue ---------------------------------------------------------------------------------------

    def enqueue(self, obj_or_key: Any) -> None:
        """Queue an object's key (``controller.KeyFunc``: ``"namespace/name"``, or ``"name"`` if cluster-scoped;
        a tombstone's key; a string is taken as a key). This is sample-controller's ``enqueueFoo``."""
        self.queue.add(deletion_handling_meta_namespace_key(obj_or_key))

    def enqueue_after(self, obj_or_key: Any, delay: float) -> None:
        """Queue the key after ``delay`` seconds (``queue.AddAfter``): for a check that must happen later, such
        as a Pod becoming available ``minReadySeconds`` after it became ready."""
        self.queue.add_after(deletion_handling_meta_namespace_key(obj_or_key), delay)

    # ---- the work --------------------------------------------------------------------------------------------

    def reconcile(self, key: str) -> None:
        """Bring the object under ``key`` to its desired state (upstream's ``syncHandler``).

        Subclasses implement it. It must be level-triggered (read the state as it is now; the key is all it is
        told) and idempotent. Raise :class:`~k8smodel.api.errors.StatusError` (let a failed API call propagate)
        or :class:`ReconcileError` to have the key retried with back-off; return normally for success.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement reconcile(key)")

    def process_next_work_item(self, key: str) -> bool:
        """``processNextWorkItem`` for one key already taken from the queue: reconcile it, then ``Forget`` it on
        success or ``AddRateLimited`` on failure, and always ``Done``. Returns True on success."""
        self.reconciles += 1
        self.sim.log("controller.reconcile", controller=self.name, key=key)
        try:
            try:
                self.reconcile(key)
            except self.retried_errors as err:
                self.handle_error(key, err)
                return False
            self.queue.forget(key)
            return True
        finally:
            self.queue.done(key)

    retried_errors: tuple[type[Exception], ...] = (StatusError, ReconcileError)
    """The errors a reconcile may raise to be retried (:meth:`handle_error`); any other exception propagates."""

    def handle_error(self, key: str, err: Exception) -> None:
        """``handleErr``: count the failure and requeue the key with the rate limiter's back-off."""
        self.failures += 1
        self.queue.add_rate_limited(key)
        self.sim.log(
            "controller.reconcile_failed",
            controller=self.name,
            key=key,
            error=str(err),
            requeues=self.queue.num_requeues(key),
        )

    def _worker(self, queue: WorkQueue) -> Generator[Any, Any, None]:
        """``runWorker``: take keys from the queue until it is shut down."""
        while True:
            key = yield queue.get_event()
            if key is None:  # the queue was shut down
                return
            self.process_next_work_item(key)

    # ---- running -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """``Run``: start the informers, register the handlers, then start ``workers`` workers. Starting twice
        does nothing; a stopped controller can be started again (with a fresh queue)."""
        if self.running:
            return
        self.running = True
        if self.queue.shutting_down:
            self.queue = WorkQueue(self.sim, self.queue_name, self._rate_limiter)
        for informer in self.informers:  # every cache first, so that a handler can read all of them
            informer.start()
        for informer, handler in self._watches:
            self._registered.append(
                (informer, informer.add_event_handler(handler.on_add, handler.on_update, handler.on_delete))
            )
        for _ in range(self.workers):
            self.sim.process(self._worker(self.queue))
        self.sim.log("controller.started", controller=self.name, workers=self.workers)

    def stop(self) -> None:
        """Remove the handlers and shut the queue down; the workers finish. Shared informers keep running."""
        if not self.running:
            return
        self.running = False
        for informer, registration in self._registered:
            informer.remove_event_handler(registration)
        self._registered.clear()
        self.queue.shutdown()
        self.sim.log("controller.stopped", controller=self.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(running={self.running}, queue={self.queue!r})"


__all__ = [
    "CONTROLLER_NAMESPACE",
    "Controller",
    "ReconcileError",
    "controller_user",
    "object_of",
]
