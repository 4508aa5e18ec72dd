"""Native libraries that crash depending on import order are caught here, in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ORDERS = [
    "import corroborator.stories.index; import onnxruntime",
    "import corroborator.stories; import corroborator.compare.alignment.features; import onnxruntime",
    "import onnxruntime; import corroborator.stories.index",
]


@pytest.mark.parametrize("code", ORDERS)
def test_imports_native_libraries_in_any_order(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{code!r} exited {done.returncode}: {done.stderr[-500:]}"


def test_the_ingest_parent_and_the_story_assigner_do_not_import_spacy(tmp_path: Path) -> None:
    # spaCy costs ~70 MB and ~0.7 s to import; the ingest parent only stores and assigns (issue 13: ingest
    # --all under 1 GB), so it must come in only where text is parsed.
    code = (
        "import sys\n"
        "from corroborator.pipeline import _make_assigner\n"
        "from corroborator.settings import Settings\n"
        "from corroborator.store import open_store\n"
        f"_make_assigner(open_store({str(tmp_path / 'x.db')!r}), Settings())\n"
        "import corroborator.stories, corroborator.text.sentences, corroborator.check\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
