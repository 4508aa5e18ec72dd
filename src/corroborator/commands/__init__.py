"""CLI command modules; see corroborator.cli."""
