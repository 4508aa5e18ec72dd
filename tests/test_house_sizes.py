"""The house's size rules: no module in src/ over 600 lines, no function over 100 (issue 23)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "corroborator"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_house_no_module_over_600_lines() -> None:
    modules = _modules()
    too_long = {
        str(p.relative_to(SRC)): n for p in modules if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert len(modules) > 100 and not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"


def long_functions(tree: ast.AST, where: str) -> dict[str, int]:
    """Functions (methods and nested ones included) over the limit, by place, with their lengths."""
    out: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                out[f"{where}:{node.lineno} {node.name}"] = length
    return out


def test_house_no_function_over_100_lines() -> None:
    too_long: dict[str, int] = {}
    for path in _modules():
        too_long |= long_functions(ast.parse(path.read_text(), filename=str(path)), str(path.relative_to(SRC)))
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines: {too_long}"


def test_house_size_check_finds_a_planted_long_method() -> None:
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    tree = ast.parse(f"class A:\n    def long(self) -> None:\n{body}\n    def short(self) -> None:\n        pass\n")
    assert long_functions(tree, "planted") == {"planted:2 long": MAX_FUNCTION_LINES + 1}
