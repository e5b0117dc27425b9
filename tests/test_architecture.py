"""The stages import only downwards, renderers decide no facts, and no module cycles.

The contracts live in pyproject.toml ([tool.importlinter]); docs/architecture.md draws them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    tool = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or \
        shutil.which("lint-imports")
    if tool is None:
        pytest.skip("import-linter is not installed (pip install '.[test]')")
    r = subprocess.run([tool, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 kept, 0 broken" in r.stdout
