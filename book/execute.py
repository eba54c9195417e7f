"""Execute chapters in place, top to bottom in a fresh kernel, so their stored outputs are what nbval compares.

Usage: python book/execute.py chapters/*.ipynb   (what `make execute` runs)

Cells run with the chapters' folder as working directory, as in the book build and under nbval. Timing metadata
and widget state are not stored, so re-executing an unchanged chapter changes no byte of it except where an
output really changed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    ).execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - started


def main(paths: list[str]) -> None:
    for name in paths:
        seconds = execute(Path(name))
        print(f"executed {name} in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
