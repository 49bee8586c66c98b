"""Command line of the demo company: generate it, advance it, serve it over 1C OData.

    python -m ingestion.demo generate --scale small --seed 42 --out data/demo [--dirty]
    python -m ingestion.demo advance --data data/demo --days 1
    python -m ingestion.demo serve --data data/demo --port 8090
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

SCALES = ("scenario", "tiny", "small", "medium", "large")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ingestion.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="generate the company's source data into a folder")
    gen.add_argument("--scale", choices=SCALES, default="small")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--dirty", action="store_true", help="inject the documented data faults")

    adv = sub.add_parser("advance", help="let the company live N more days (new, re-posted, deleted documents)")
    adv.add_argument("--data", type=Path, required=True)
    adv.add_argument("--days", type=int, default=1)

    srv = sub.add_parser("serve", help="serve the generated infobases over the 1C standard.odata interface")
    srv.add_argument("--data", type=Path, required=True)
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8090)
    srv.add_argument("--user", default=os.environ.get("ONEC_USER", "odata"))
    srv.add_argument("--password", default=os.environ.get("ONEC_PASSWORD", "odata"))

    args = parser.parse_args(argv)
    if args.command == "generate":
        from ingestion.demo.generate import generate

        generate(args.out, scale=args.scale, seed=args.seed, dirty=args.dirty)
    elif args.command == "advance":
        from ingestion.demo.advance import advance

        advance(args.data, days=args.days)
    else:
        from ingestion.demo.server import serve

        serve(args.data, host=args.host, port=args.port, user=args.user, password=args.password)


if __name__ == "__main__":
    main()
