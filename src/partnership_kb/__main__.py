"""`python -m partnership_kb` runs the `pkb` CLI."""

from .cli import main

main()
