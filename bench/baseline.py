"""An earlier revision's code, for a bench to run beside this checkout's: its ``src/`` extracted with
``git archive`` under build/, and a hash of a code tree to key cached results by.

No ``sys.path`` changes here (unlike ``common``): a bench's subprocess runs the baseline with
``PYTHONPATH`` set to the extracted ``src/``, and importing this must not put the checkout's in front.
"""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def code_key(src: Path) -> str:
    """A short hash of every source, data and model file under ``src``: what a cached result came from."""
    h = hashlib.sha1()
    for p in sorted(src.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".json", ".txt", ".npz") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(src)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def extract(rev: str) -> Path:
    """The ``src/`` of ``rev``, extracted once under build/ (outside bench/: the layer tests walk bench/)."""
    root = REPO / "build" / f"baseline-{rev}"
    if not (root / "src").exists():
        root.mkdir(parents=True, exist_ok=True)
        data = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src"], check=True, capture_output=True).stdout
        with tempfile.TemporaryFile() as tmp:
            tmp.write(data)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                tar.extractall(root, filter="data")
    return root / "src"
