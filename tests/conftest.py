"""Tests marked ``pure_python`` watch the model's internals from outside: they replace a module function of a fast
path (to count its calls, or to force the general path) and compare. Compiled code calls such a function directly
(k8smodel/_native.py), so where the model runs compiled each of them runs in a fresh interpreter on the sources
(``K8SMODEL_PURE_PYTHON=1``), and passes or fails there; tests/test_native.py holds the compiled model equal to the
sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pure_python: replaces functions of the model; runs on the sources")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if pyfuncitem.get_closest_marker("pure_python") is None:
        return None
    from k8smodel import _native

    if not _native.status()["compiled"]:
        return None  # the sources run here: the test runs as it is
    env = {**os.environ, "K8SMODEL_PURE_PYTHON": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", pyfuncitem.nodeid]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0 or " passed" not in out.stdout:
        pytest.fail(f"on the sources (K8SMODEL_PURE_PYTHON=1):\n{out.stdout[-6000:]}\n{out.stderr[-2000:]}")
    return True
