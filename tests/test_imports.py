"""Native libraries that crash depending on import order are caught here, in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest

ORDERS = [
    "import corroborator.stories.index; import onnxruntime",
    "import corroborator.stories; import corroborator.compare.pair_features; import onnxruntime",
    "import onnxruntime; import corroborator.stories.index",
]


@pytest.mark.parametrize("code", ORDERS)
def test_imports_native_libraries_in_any_order(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{code!r} exited {done.returncode}: {done.stderr[-500:]}"
