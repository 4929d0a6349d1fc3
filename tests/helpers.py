"""Helpers shared by the tests (imported as ``helpers``; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "putuo-2022-16.txt"
DATA = Path(__file__).resolve().parent / "data"


def shared_dir() -> Path:
    """``../shared`` next to the checkout (CI has it there too), or $POLICYKG_SHARED."""
    env = os.environ.get("POLICYKG_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def fold(s: str) -> str:
    """The same full-width fold the parser applies (for comparing gold strings)."""
    from policykg.ingest.normalise import fold as _fold

    return _fold(s)


def policykg_exe() -> list[str]:
    exe = shutil.which("policykg", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "policykg"]


def run_cli(*args: str, check: bool = False, input: bytes | None = None, env: dict | None = None,
            cwd: str | Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the installed ``policykg`` command for real."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([*policykg_exe(), *args], capture_output=True, input=input, env=full_env,
                          cwd=cwd, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"policykg {' '.join(args)} exited {proc.returncode}:\n{proc.stderr.decode()}")
    return proc


def sparql_json(store: Path, sparql: str) -> list[dict[str, str]]:
    """Run a query through `policykg query --format json` and return plain rows."""
    proc = run_cli("query", sparql, "--store", str(store), "--format", "json", check=True)
    data = json.loads(proc.stdout.decode("utf-8"))
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
