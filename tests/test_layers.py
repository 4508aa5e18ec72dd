"""The package's layers, read from the source: the skins reach the store only through the library API.

- no module outside ``store/`` imports the store's SQL layer (sql, sqlbase, dialect, tables/, sqlite, postgres,
  migrations, codec);
- no module under ``web/`` or ``commands/`` (the ingest-side commands excepted: they drive the pipeline,
  which is the store's writer) imports ``corroborator.store`` or calls a method on a store object;
- the CLI imports its command modules plainly (no importlib), and no command imports the CLI module;
- the benches and the trainers import library logic from the library, not from the CLI;
- bench/ measures and training/ builds: no trainer in bench/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "corroborator"
BENCH = Path(__file__).resolve().parents[1] / "bench"
TRAINING = Path(__file__).resolve().parents[1] / "training"
SQL_MODULES = ("sql", "sqlbase", "dialect", "tables", "sqlite", "postgres", "migrations", "codec")
SQL_LAYER = {f"corroborator.store.{m}" for m in SQL_MODULES}
# Commands that feed the pipeline (the store's one writer) rather than reading the store for people.
INGEST_SIDE = {"ingest.py", "watch.py", "batch.py", "load.py"}


def modules(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def store_calls(tree: ast.Module) -> list[str]:
    """Calls like ``store.x(...)`` or ``ctx.store.x(...)``: a method of a store object called directly."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (isinstance(owner, ast.Name) and owner.id == "store") or (
                isinstance(owner, ast.Attribute) and owner.attr in ("store", "_store")
            ):
                found.append(f"line {node.lineno}: .{node.func.attr}()")
    return found


def skins() -> Iterator[tuple[Path, ast.Module]]:
    for path, tree in modules(SRC / "web"):
        yield path, tree
    for path, tree in modules(SRC / "commands"):
        if path.name not in INGEST_SIDE:
            yield path, tree


def _sql_layer(names: set[str]) -> set[str]:
    return {n for n in names if n in SQL_LAYER or n.startswith("corroborator.store.tables.")}


def test_layers_sql_only_inside_the_store() -> None:
    bad = {
        str(path.relative_to(SRC)): sorted(_sql_layer(imported(tree)))
        for path, tree in modules(SRC)
        if path.relative_to(SRC).parts[0] != "store" and _sql_layer(imported(tree))
    }
    assert not bad, f"the store's SQL layer imported outside store/: {bad}"


def test_layers_skins_reach_the_store_through_the_api() -> None:
    checked = 0
    for path, tree in skins():
        checked += 1
        names = imported(tree)
        direct = sorted(n for n in names if n == "corroborator.store" or n.startswith("corroborator.store."))
        assert not direct, f"{path.relative_to(SRC)} imports {direct}; use corroborator.api"
        calls = store_calls(tree)
        assert not calls, f"{path.relative_to(SRC)} calls the store directly ({calls}); add a corroborator.api function"
    assert checked >= 10, "the walk should see the web routers and the command modules"


def test_layers_cli_imports_commands_plainly() -> None:
    cli = ast.parse((SRC / "cli.py").read_text(encoding="utf-8"))
    assert "importlib" not in imported(cli)
    for path, tree in modules(SRC / "commands"):
        assert "corroborator.cli" not in imported(tree), f"{path.name} imports the CLI module back"


def test_layers_benches_use_the_library_not_the_cli() -> None:
    for folder in (BENCH, TRAINING):
        for path, tree in modules(folder):
            skin = sorted(n for n in imported(tree) if n.startswith(("corroborator.cli", "corroborator.commands")))
            assert not skin, f"{folder.name}/{path.name} imports {skin}; library logic lives in corroborator.api"


# Files in src/corroborator/data that are written by hand, not built by a script in training/.
HAND_WRITTEN = {"framing_lexicon.json", "conflicts", "words", "quote_outlets.json"}  # written by hand, no script


def test_layers_bench_measures_and_training_builds() -> None:
    """bench/ holds no trainer; training/README.md names the script of every shipped model, and it exists."""
    trainers = sorted(p.name for p in BENCH.glob("*.py") if p.name.startswith(("train_", "export_")))
    assert not trainers, f"model building in bench/: {trainers}; it belongs in training/"
    readme = (TRAINING / "README.md").read_text(encoding="utf-8")
    for shipped in sorted(p.name for p in (SRC / "data").iterdir() if p.name not in HAND_WRITTEN):
        row = next((line for line in readme.splitlines() if f"`{shipped}`" in line), None)
        assert row is not None, f"training/README.md does not say which script builds data/{shipped}"
        scripts = [part.strip("` ") for part in row.split("|")[2].split() if part.endswith(".py`")]
        assert scripts and all((TRAINING / s).exists() for s in scripts), f"{shipped}: {scripts} not in training/"
