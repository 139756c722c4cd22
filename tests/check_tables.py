"""The per-check answer tables of every tests/test_checks_*.py module, merged.

Each module exports CHECK_TABLE (and QUESTION_TABLE) of the same shape:
check name -> (correct answers, answers that must lose points).
"""

from __future__ import annotations

import importlib
from pathlib import Path


def all_check_tables() -> dict:
    tables = {}
    for path in sorted(Path(__file__).parent.glob("test_checks_*.py")):
        module = importlib.import_module(path.stem)
        for attr in ("CHECK_TABLE", "QUESTION_TABLE"):
            tables.update(getattr(module, attr, {}))
    return tables
