"""Bounded fuzz test: random mutations of the example's content and data files never crash
`binhdan check` or `mkdocs build`, every failure names a file, and a failed build leaves the
published site as it was (tests/fuzzing.py does the rounds).

The seed is fixed so that CI is repeatable; set BINHDAN_FUZZ_SEED and BINHDAN_FUZZ_SECONDS to
explore further (a finding prints the seed, round, file and mutation to reproduce it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import TODAY, Built, copy_example

FUZZER = Path(__file__).resolve().parent / "fuzzing.py"


def test_random_mutations_never_crash_check_or_build(example: Built, tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")  # warm: after the example fixture's build
    seed = os.environ.get("BINHDAN_FUZZ_SEED", "20261206")
    seconds = float(os.environ.get("BINHDAN_FUZZ_SECONDS", "45"))
    done = subprocess.run([sys.executable, str(FUZZER), str(project), seed, str(seconds)],
                          capture_output=True, text=True, timeout=seconds + 600,
                          env={**os.environ, "BINHDAN_TODAY": TODAY})
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    findings = [line for line in lines if "finding" in line]
    assert done.returncode == 0 and not findings, "\n\n".join(
        [json.dumps(finding, ensure_ascii=False, indent=1) for finding in findings]
        + [done.stderr[-3000:]])
    totals = lines[-1]
    assert totals["rounds"] >= 20 and totals["builds"] >= 5, totals
