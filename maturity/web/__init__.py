"""The evaluation platform: rounds, submissions, evidence, verification and publication in a
database, behind an HTTP API with roles scoped by the unit hierarchy (``maturity serve``).

Layering: this package sits above the CLI and calls the library through one adapter,
:mod:`maturity.web.engine`; nothing in the library imports it. Writes go through services
(``*/services.py``), reads through selectors (``*/selectors.py``), and every selector filters
rows with :func:`maturity.web.access.scoped`, the one place that knows who may see what.
"""
