"""The live clock: in serve mode the simulated cluster keeps time with the wall clock, times a speed factor.

A daemon thread wakes every ``tick`` wall seconds and runs the simulation up to ``start + elapsed × speed``
(``Simulation.run(until=...)``) under the model's lock, so ``kubectl get pods -w`` sees Pending, then
ContainerCreating, then Running as the kubelets and controllers get there. One step never runs more than
``max_step`` simulated seconds, so the lock is released often enough for requests; if the model cannot keep up the
clock falls behind rather than blocking clients (``lag`` says by how much).

The simulation itself stays deterministic (every component runs on simulated time); only *when* a request lands
between two simulated instants depends on the wall clock. Notebooks and tests that need exact outcomes serve with
``speed=0``: no clock thread, time moves only when the caller runs the cluster.
"""

from __future__ import annotations

import threading
import time
from typing import Any


class LiveClock:
    """Advance ``cluster.sim`` with wall time × ``speed`` (see the module docstring)."""

    def __init__(
        self,
        cluster: Any,
        lock: threading.RLock,
        speed: float = 1.0,
        *,
        tick: float = 0.02,
        max_step: float | None = None,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive for a live clock, got {speed!r}")
        self.sim = cluster.sim
        self.lock = lock
        self.speed = float(speed)
        self.tick = tick
        self.max_step = max_step if max_step is not None else max(1.0, 5 * tick * self.speed)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._wall0 = 0.0
        self._sim0 = 0.0
        self.errors: list[str] = []

    @property
    def target(self) -> float:
        """The simulated time the wall clock says it is now."""
        return self._sim0 + (time.monotonic() - self._wall0) * self.speed

    @property
    def lag(self) -> float:
        """How many simulated seconds the model is behind the wall clock."""
        return max(0.0, self.target - self.sim.now)

    def start(self) -> None:
        if self._thread is not None:
            return
        with self.lock:
            self._sim0 = self.sim.now
        self._wall0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="k8smodel-clock", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            with self.lock:
                now = self.sim.now
                until = min(self.target, now + self.max_step)
                if until <= now:
                    continue
                try:
                    self.sim.run(until)
                except Exception as err:  # a model bug must not stop time silently: keep it, and go on
                    self.errors.append(f"{type(err).__name__}: {err}")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


__all__ = ["LiveClock"]
