"""`python -m corroborator` runs the CLI."""

from corroborator.cli import main

main()
