"""``python -m jincai`` = the ``jincai`` command."""

from jincai.cli import main

main()
