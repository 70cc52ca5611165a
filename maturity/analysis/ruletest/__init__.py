"""YAML rule tests: collected from files, run against the engine."""
