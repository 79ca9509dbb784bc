"""Run every benchmark and write bench/results.json.

    python -m bench            # all
    python -m bench ingest     # one
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCHES = ["ingest", "long_lines", "api_batch", "scoring"]
ROOT = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    chosen = argv or BENCHES
    results = {}
    for name in chosen:
        started = time.time()
        print(f"== bench {name}", flush=True)
        completed = subprocess.run(
            [sys.executable, "-m", f"bench.{name}"], capture_output=True, text=True, check=False
        )
        sys.stderr.write(completed.stderr[-4000:])
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if completed.returncode != 0 or not lines:
            print(f"bench {name} failed (exit {completed.returncode})", file=sys.stderr)
            return 1
        results[name] = json.loads(lines[-1]) | {"wall_seconds": round(time.time() - started, 1)}
        print(lines[-1], flush=True)
    out = ROOT / "results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps(previous | results, indent=2) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
