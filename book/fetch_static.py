"""Put every script the rendered book needs into book/_static/vendor/, so no page asks the internet for it.

Reads book/vendor.toml. npm packages are fetched with the ordinary npm client (`npm pack`) at pinned versions and
verified against their sha512 integrity before they are unpacked; plotly.js is copied from the installed plotly
package. Already-fetched tarballs are reused from .cache/npm/. Run by `make book`; safe to run again.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "book" / "vendor.toml"
OUT = ROOT / "book" / "_static" / "vendor"
CACHE = ROOT / ".cache" / "npm"


def sri(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def tarball_name(package: str, version: str) -> str:
    return f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch_npm(package: str, version: str, integrity: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    tgz = CACHE / tarball_name(package, version)
    if not tgz.exists() or sri(tgz) != integrity:
        if shutil.which("npm") is None:
            sys.exit("fetch_static: npm is needed to fetch the book's widget scripts: apt-get install -y npm")
        subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--pack-destination", str(CACHE), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    got = sri(tgz)
    if got != integrity:
        tgz.unlink()
        sys.exit(f"fetch_static: {package}@{version}: integrity {got} does not match the pinned {integrity}")
    return tgz


def unpack(tgz: Path, files: dict[str, str]) -> None:
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            for source, target in files.items():
                if member.name == source or (source.endswith("/") and member.name.startswith(source)):
                    dest = OUT / (target + member.name[len(source) :] if source.endswith("/") else target)
                    if member.isfile() and not member.name.endswith(".map"):  # source maps: devtools only
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        with tar.extractfile(member) as src:
                            dest.write_bytes(src.read())


def main() -> None:
    spec = tomllib.loads(SPEC.read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    for pkg in spec["npm"]:
        unpack(fetch_npm(pkg["package"], pkg["version"], pkg["integrity"]), pkg["files"])
    for package, relative in spec["python"].items():
        origin = Path(importlib.util.find_spec(package).origin).parent.parent
        shutil.copyfile(origin / relative, OUT / Path(relative).name)
    print(f"fetch_static: {sum(1 for p in OUT.rglob('*') if p.is_file())} files in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
