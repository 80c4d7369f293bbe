"""``python -m indicia.cli``."""

from indicia.cli import main

main()
