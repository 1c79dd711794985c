#!/usr/bin/env python3
"""pgqueuer's burn-down on this machine: enqueue N jobs, then K consumers drain them; jobs per second.

The reference point for Darkroom's own store-level burn-down, run on the same PostgreSQL the same day. The
shape is the drain strategy of pgqueuer's own benchmark (tools/benchmark.py in github.com/janbjorge/pgqueuer,
`DrainStrategy.setup` and `DrainStrategy.run`, run as `python3 tools/benchmark.py --strategy drain`):

- setup: all N jobs go into the queue before any consumer starts, with payload b"" and priority 0, each on
  one of two entrypoints ("syncfetch", "asyncfetch") at random. pgqueuer enqueues them in one
  `Queries.enqueue` call (one INSERT ... UNNEST statement); --enqueue-batch-size splits that into calls
  of that many jobs. pgqueuer does not time its enqueue; this script times it separately.
- run: K `PgQueuer` instances, each on its own asyncpg connection (`AsyncpgDriver`, its default "apg"
  driver), each with a no-op handler on both entrypoints, run with `batch_size` (jobs claimed per dequeue)
  and `mode=QueueExecutionMode.drain`, so each returns once the queue is empty and its jobs are acknowledged.
  The clock starts after the connections are open and stops when every consumer has returned; the rate
  is N / that time: dequeue and acknowledgement only, enqueue not counted. pgqueuer's defaults are 50,000
  jobs, 5 consumers and batch size 10; so are this script's.

It creates a fresh database (pgqueuer_bench_<pid>) on the server of --dsn, installs pgqueuer's schema there
with `Queries.install()` (what `pgq install` runs), checks that every job ran once and the queue is empty,
and drops the database at the end. It runs on uvloop when importable, as pgqueuer's benchmark does (uvloop
is a dependency of pgqueuer). Needs `python3 -m pip install pgqueuer asyncpg`; nothing else beyond the
standard library.

    python3 benchmarks/pgqueuer_burndown.py --dsn postgres://postgres@127.0.0.1:5432/postgres \\
        --jobs 20000 --consumers 16 --batch-size 10 --json pgqueuer.json
"""

import argparse
import asyncio
import json
import os
import random
import sys
import time
import urllib.parse

import asyncpg
import pgqueuer
from pgqueuer import PgQueuer
from pgqueuer.db import AsyncpgDriver
from pgqueuer.models import Job
from pgqueuer.queries import Queries
from pgqueuer.types import QueueExecutionMode

ENTRYPOINTS = ("syncfetch", "asyncfetch")  # the two of pgqueuer's benchmark; 1.6 runs async handlers only


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", default=os.environ.get("DARKROOM_DATABASE_URL"),
                        help="a PostgreSQL server to create the benchmark database on (default $DARKROOM_DATABASE_URL)")
    parser.add_argument("--jobs", type=int, default=50_000)
    parser.add_argument("--consumers", type=int, default=5, help="PgQueuer instances, one connection each")
    parser.add_argument("--batch-size", type=int, default=10, help="jobs each consumer claims per dequeue")
    parser.add_argument("--enqueue-batch-size", type=int, default=0,
                        help="jobs per enqueue call (default 0: all in one call, as pgqueuer's benchmark)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before the run gives up")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    if not args.dsn:
        parser.error("--dsn (or $DARKROOM_DATABASE_URL) is required")
    return args


def with_database(dsn, name):
    """The DSN with its database replaced by `name`."""
    parts = urllib.parse.urlsplit(dsn)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


async def enqueue(dsn, jobs, batch_size):
    """Enqueues the jobs through pgqueuer's `Queries.enqueue`; returns the seconds it took."""
    entrypoints = random.sample(ENTRYPOINTS * jobs, k=jobs)
    batch_size = batch_size or jobs
    connection = await asyncpg.connect(dsn)
    try:
        queries = Queries(AsyncpgDriver(connection))
        start = time.perf_counter()
        for first in range(0, jobs, batch_size):
            batch = entrypoints[first:first + batch_size]
            await queries.enqueue(batch, [b""] * len(batch), [0] * len(batch))
        return time.perf_counter() - start
    finally:
        await connection.close()


async def burn_down(dsn, consumers, batch_size):
    """Drains the queue with `consumers` PgQueuer instances; returns the seconds and the jobs handled."""
    handled = 0

    async def handler(job: Job) -> None:
        nonlocal handled
        handled += 1

    connections = [await asyncpg.connect(dsn) for _ in range(consumers)]
    try:
        instances = []
        for connection in connections:
            instance = PgQueuer(AsyncpgDriver(connection))
            for name in ENTRYPOINTS:
                instance.entrypoint(name)(handler)
            instances.append(instance)
        start = time.perf_counter()
        await asyncio.gather(*(instance.run(batch_size=batch_size, mode=QueueExecutionMode.drain)
                               for instance in instances))
        return time.perf_counter() - start, handled
    finally:
        await asyncio.gather(*(connection.close(timeout=5) for connection in connections), return_exceptions=True)


async def measure(args, dsn):
    connection = await asyncpg.connect(dsn)
    try:
        await Queries(AsyncpgDriver(connection)).install()
        server = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    enqueue_seconds = await enqueue(dsn, args.jobs, args.enqueue_batch_size)
    burn_seconds, handled = await burn_down(dsn, args.consumers, args.batch_size)
    connection = await asyncpg.connect(dsn)
    try:
        remaining = sum(row.count for row in await Queries(AsyncpgDriver(connection)).queue_size())
    finally:
        await connection.close()
    if handled != args.jobs or remaining:
        raise RuntimeError(f"handled {handled} of {args.jobs} jobs, {remaining} left in the queue")
    return {
        "pgqueuer": pgqueuer.__version__, "asyncpg": asyncpg.__version__,
        "postgresql": server, "event_loop": type(asyncio.get_running_loop()).__module__,
        "jobs": args.jobs, "consumers": args.consumers, "batch_size": args.batch_size,
        "enqueue_batch_size": args.enqueue_batch_size or args.jobs,
        "enqueue_seconds": enqueue_seconds, "enqueue_jobs_per_second": args.jobs / enqueue_seconds,
        "burn_down_seconds": burn_seconds, "burn_down_jobs_per_second": args.jobs / burn_seconds,
    }


async def main_async(args):
    name = f"pgqueuer_bench_{os.getpid()}"
    admin = await asyncpg.connect(args.dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            return await asyncio.wait_for(measure(args, with_database(args.dsn, name)), args.timeout)
        except asyncio.TimeoutError:
            raise RuntimeError(f"no result within --timeout {args.timeout:g} s") from None
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def main():
    args = parse_args()
    try:
        from uvloop import run
    except ImportError:
        run = asyncio.run
    try:
        result = run(main_async(args))
    except RuntimeError as error:
        sys.exit(f"pgqueuer_burndown: {error}")
    jobs, consumers = result["jobs"], result["consumers"]
    print(f"pgqueuer {result['pgqueuer']}: enqueue {jobs} jobs in {result['enqueue_seconds']:.2f} s "
          f"({result['enqueue_jobs_per_second']:.0f} jobs/s); burn-down with {consumers} consumers: "
          f"{result['burn_down_jobs_per_second']:.0f} jobs/s ({jobs} jobs in {result['burn_down_seconds']:.2f} s)")
    if args.json:
        with open(args.json, "w") as output:
            json.dump(result, output, indent=2)
            output.write("\n")


if __name__ == "__main__":
    sys.exit(main())
