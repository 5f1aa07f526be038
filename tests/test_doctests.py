"""The examples in the package's docstrings run, and say what the code does."""

import doctest
import importlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sayso"


def modules_with_examples() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_docstring_example_gives_what_it_shows():
    failed, attempted = [], 0
    for name in modules_with_examples():
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, report=False)
        attempted += result.attempted
        if result.failed:
            failed.append(f"{name}: {result.failed} of {result.attempted}")
    assert not failed, failed
    assert attempted >= 40  # examples marked +SKIP (those that need a corpus or a server) are not counted
