"""Benchmark of the demo company generator: wall time and peak memory per scale.

    .venv/bin/python benchmarks/bench_generate.py [tiny small medium large] [--seed 42] [--out benchmarks/out]

Each scale runs in a fresh interpreter so its peak RSS (getrusage ru_maxrss) is its own.
Prints a markdown table row per scale: time, peak memory, output size, shipment lines, calls.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
from pathlib import Path
from ingestion.demo.generate import generate
started = time.perf_counter()
generate(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), False)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def shipment_lines(out: Path) -> int:
    path = out / "onec" / "trade" / "Document_РеализацияТоваровУслуг.jsonl"
    with path.open("rb") as f:
        return sum(chunk.count(b'"LineNumber"') for chunk in iter(lambda: f.read(1 << 24), b""))


def calls(out: Path) -> int:
    """One call = its IVR leg (inbound) or its leg dialled from an extension (outbound)."""
    count = 0
    for path in sorted((out / "mango").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            next(f)
            for row in f:
                fields = row.split(";")
                count += fields[10] == "ivr" or fields[3] != ""
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scales", nargs="*", default=["tiny", "small", "medium"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    print("| scale | wall time, s | peak RSS, MiB | output, MiB | shipment lines | calls |")
    print("|---|---|---|---|---|---|")
    for scale in args.scales:
        out = args.out / f"generate_{scale}"
        result = subprocess.run([sys.executable, "-c", CHILD, str(out), scale, str(args.seed)], cwd=ROOT,
                                check=True, capture_output=True, text=True)
        measured = json.loads(result.stdout.strip().splitlines()[-1])
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
        print(f"| {scale} | {measured['seconds']:.1f} | {measured['peak_mib']:.0f} | {size:.0f} | "
              f"{shipment_lines(out):,} | {calls(out):,} |", flush=True)


if __name__ == "__main__":
    main()
