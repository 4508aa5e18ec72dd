"""The import graph, read from the source: no circles, and no layer imports a layer above it.

Every import counts: at module level, inside functions (lazy imports) and under ``if TYPE_CHECKING:``,
because each is a dependency a reader has to hold in mind, and a lazy import that closes a loop is a
circle that only waits for the wrong import order. The layers of ``src/corroborator`` are written once,
below (:data:`LAYERS`), lowest first; a module may import its own layer and the layers under it. Modules
of one package may import each other (that is the cycle test's business, not the layers').

``bench/`` and ``training/`` are scripts that import each other by file name (``sys.path`` holds their
folder): their graph must have no circle either, and a bench imports no trainer except through the
shared modules named in :data:`BENCH_SHARED`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = "corroborator"

# Lowest first. Each entry: a layer's name and the top-level modules or packages of corroborator in it
# ("" is corroborator/__init__.py).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "ground: the data model, settings and errors",
        ("", "errors", "model", "settings", "versioning", "identity", "once"),
    ),
    (
        "signals: reading, storing and the per-article models",
        ("text", "ingest", "store", "fingerprint", "independence", "embed", "entail"),
    ),
    ("claims: claim features, stance and the small classifiers", ("check",)),
    # results.py is the comparison's published shape; Comparison.rewrites() asks compare.lineage.
    ("stages: stories, the comparison of a story, provenance", ("stories", "compare", "results", "provenance")),
    ("runs: the ingest pipeline and the renderers", ("pipeline", "render")),
    ("library: the store-backed API, batch (Spark) and watch", ("api", "scale", "watch")),
    ("skins: the web app and the CLI's commands", ("web", "commands")),
    ("entry points", ("cli", "__main__")),
)
LEVEL = {unit: n for n, (_, units) in enumerate(LAYERS) for unit in units}

# The modules of bench/ that a bench may import: the shared helpers, and devset (the disagreement dev set's
# reader, which bench/disagreements.py reads its records with).
# The dev sets' readers (devset, ledger_devset); baseline: an earlier revision's code; versions_gold: the version
# bench's gold by rule.
BENCH_SHARED = {"baseline", "common", "devset", "ledger_devset", "versions_gold"}
# The modules of training/ that a bench may import: data readers and generators a model was built from,
# which a bench measures on (never a trainer script itself).
TRAINING_SHARED = {"news_perturb", "pairs_data", "story_data", "trees"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(p, SRC): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def imports_of(path: Path, name: str) -> Iterator[tuple[str, int]]:
    """(imported module or module.attribute, line) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                yield f"{module}.{alias.name}", node.lineno  # resolved to the module below


def resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module a dotted import name lands in (``a.b.func`` -> ``a.b``), or None when not ours."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def graph(known: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module -> {module it imports: first line}; a package's parent ``__init__`` is not an edge."""
    edges: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        out = edges.setdefault(name, {})
        for imported, line in imports_of(path, name):
            target = resolve(imported, known)
            if target is not None and target != name:
                out.setdefault(target, line)
    return edges


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_imports_graph_finds_a_planted_cycle() -> None:
    edges = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {}}) == []


def test_imports_graph_every_package_module_has_a_layer() -> None:
    known = package_modules()
    missing = sorted({unit(m) for m in known} - set(LEVEL))
    assert not missing, f"add these to LAYERS in {Path(__file__).name}: {missing}"
    stale = sorted(set(LEVEL) - {unit(m) for m in known})
    assert not stale, f"LAYERS names modules that are gone: {stale}"


def test_imports_graph_src_has_no_circle() -> None:
    found = cycles(graph(package_modules()))
    assert not found, f"import circles in src/corroborator: {found}"


def test_imports_graph_no_layer_imports_a_higher_one() -> None:
    edges = graph(package_modules())
    known = package_modules()
    bad = []
    for module, targets in sorted(edges.items()):
        for target, line in sorted(targets.items()):
            if LEVEL[unit(target)] > LEVEL[unit(module)]:
                where = known[module].relative_to(REPO)
                bad.append(f"{where}:{line} imports {target} ({LAYERS[LEVEL[unit(target)]][0].split(':')[0]})")
    assert not bad, "a lower layer imports a higher one:\n" + "\n".join(bad)


def script_modules(folder: Path) -> dict[str, Path]:
    """bench/ and training/ scripts import each other by bare file name."""
    return {p.stem: p for p in sorted(folder.glob("*.py")) if p.stem != "__init__"}


@pytest.mark.parametrize("folder", ["bench", "training"])
def test_imports_graph_scripts_have_no_circle(folder: str) -> None:
    scripts = script_modules(REPO / folder)
    scripts.update({k: v for k, v in script_modules(REPO / "training").items() if k not in scripts})
    found = cycles(graph(scripts))
    assert not found, f"import circles among the {folder}/ scripts: {found}"


def test_imports_graph_benches_import_only_shared_helpers() -> None:
    benches = script_modules(REPO / "bench")
    training = script_modules(REPO / "training")
    known = {**training, **benches}
    bad = []
    for name, targets in graph(known).items():
        if name not in benches:
            continue
        for target, line in targets.items():
            if target in benches and target not in BENCH_SHARED:
                bad.append(f"bench/{name}.py:{line} imports bench/{target}.py (share it through bench/common.py)")
            elif target not in benches and target not in TRAINING_SHARED:
                bad.append(f"bench/{name}.py:{line} imports training/{target}.py, a trainer (share what it needs)")
    assert not bad, "\n".join(bad)


def test_imports_graph_training_never_imports_a_bench() -> None:
    """(bench/devset.py, the dev set's reader, excepted: the contest ranker is fitted on that dev set.)"""
    benches = script_modules(REPO / "bench")
    training = script_modules(REPO / "training")
    known = {**benches, **training}
    bad = [
        f"training/{name}.py:{line} imports bench/{target}.py"
        for name, targets in graph(known).items()
        if name in training
        for target, line in targets.items()
        if target in benches and target not in training and target != "devset"
    ]
    assert not bad, "training/ builds models without the benches: " + "; ".join(bad)
    assert set(training) >= TRAINING_SHARED, "TRAINING_SHARED names modules that are gone"
