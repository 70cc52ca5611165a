"""``python -m maturity``: the same command line as ``maturity``."""

from maturity.cli import main

main(prog_name="maturity")
