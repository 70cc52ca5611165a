"""Fixtures of the Excel tests; the helpers they share live in ``xlsx_testing.py`` beside
this file (test modules are not importable by each other under ``--import-mode=importlib``,
so this folder is put on the path)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
