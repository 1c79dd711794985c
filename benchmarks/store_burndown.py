#!/usr/bin/env python3
"""The store-level burn-down beside pgqueuer's, on one PostgreSQL, the same day (issue 14).

Runs `darkroom bench --burn-down` (insert N jobs, then K consumers claim --batch at a time and complete each,
no HTTP; on SQLite and on a fresh PostgreSQL database it creates) and then `pgqueuer_burndown.py` (pgqueuer's
own drain benchmark shape) with the same N, K and batch against the same server, and prints both lines and the
ratio. Needs `python3 -m pip install pgqueuer asyncpg` for the second part.

    python3 benchmarks/store_burndown.py --binary .build/release/darkroom \\
        --dsn postgres://postgres@127.0.0.1:5432/postgres --jobs 20000 --consumers 16 --batch 10
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/darkroom")
    parser.add_argument("--dsn", required=True, help="a PostgreSQL server's URL (any database on it)")
    parser.add_argument("--jobs", type=int, default=20_000)
    parser.add_argument("--consumers", type=int, default=16)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=600)
    return parser.parse_args()


def with_database(dsn, name, extra_query=""):
    parts = urllib.parse.urlsplit(dsn)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, extra_query, ""))


def psql(dsn, sql):
    subprocess.run(["psql", dsn, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)


def main():
    args = parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    database = f"darkroom_burn_down_{os.getpid()}"
    admin = with_database(args.dsn, "postgres")
    psql(admin, f"CREATE DATABASE {database}")
    try:
        with tempfile.TemporaryDirectory() as directory:
            report = os.path.join(directory, "darkroom.json")
            # One connection per consumer, plus a few for the inserters.
            url = with_database(args.dsn, database, f"pool_size={args.consumers + 4}")
            subprocess.run([args.binary, "bench", "--burn-down", "--jobs", str(args.jobs), "--clients",
                            str(args.consumers), "--batch", str(args.batch), "--database-url", url,
                            "--json", report], check=True, timeout=args.timeout)
            with open(report) as file:
                darkroom = {run["store"]: run for run in json.load(file)["runs"]}
            pgqueuer_report = os.path.join(directory, "pgqueuer.json")
            subprocess.run([sys.executable, os.path.join(here, "pgqueuer_burndown.py"), "--dsn", admin,
                            "--jobs", str(args.jobs), "--consumers", str(args.consumers),
                            "--batch-size", str(args.batch), "--json", pgqueuer_report],
                           check=True, timeout=args.timeout)
            with open(pgqueuer_report) as file:
                pgqueuer = json.load(file)
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    ours = darkroom["postgres"]["burn_down_jobs_per_second"]
    theirs = pgqueuer["burn_down_jobs_per_second"]
    print(f"PostgreSQL burn-down, {args.jobs} jobs, {args.consumers} consumers, batch {args.batch}: "
          f"Darkroom {ours:.0f} jobs/s, pgqueuer {theirs:.0f} jobs/s ({ours / theirs:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
