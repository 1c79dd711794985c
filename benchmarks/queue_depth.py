#!/usr/bin/env python3
"""Queue depth: the gateway's memory and the per-request costs with 1,000, 10,000 and 100,000 jobs queued.

For each store (SQLite, and PostgreSQL when --database-url is given) it starts the front process so that
submitted jobs stay queued: `darkroom serve` on a fresh data directory with one simulated GPU that takes an
hour per image (it holds one job; every other one waits), or `darkroom gateway` on a fresh database. It fills the queue through `POST /v1/jobs` up to each depth, then measures:

- the front process's resident memory (VmRSS now, VmHWM its peak so far) from /proc;
- submit latency (one more `POST /v1/jobs`, which answers with the job's queue position), `GET /v1/queue`
  and `GET /v1/jobs/{id}` of the newest job (its position counts the jobs ahead of it);
- claim latency: a worker with one simulated GPU runs for a few seconds (for SQLite, `darkroom serve` on the
  same data directory, as the embedded store has one process; for PostgreSQL, `darkroom worker`) and its
  `darkroom_claim_duration_seconds{outcome="claimed"}` histogram gives the mean time of a claim query.

Python 3 standard library only; every process it starts is stopped by PID, every database it creates dropped.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_scaling import psql  # noqa: E402
from embedded_acceptance import Server  # noqa: E402

REQUEST = {"prompt": "a studio portrait, soft window light", "width": 256, "height": 256, "steps": 1}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/darkroom")
    parser.add_argument("--database-url", default=os.environ.get("DARKROOM_DATABASE_URL"),
                        help="a PostgreSQL server to create a benchmark database on (default $DARKROOM_DATABASE_URL)")
    parser.add_argument("--depths", default="1000,10000,100000", help="comma-separated queue depths, rising")
    parser.add_argument("--fill-threads", type=int, default=8)
    parser.add_argument("--samples", type=int, default=50, help="timed requests of each kind per depth")
    parser.add_argument("--claim-seconds", type=float, default=4, help="how long the worker runs per depth")
    return parser.parse_args()


class Client:
    """One keep-alive HTTP connection per thread to the front process."""

    def __init__(self, base):
        self.netloc = urllib.parse.urlparse(base).netloc
        self.local = threading.local()

    def request(self, method, path, body=None):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection(self.netloc, timeout=30)
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        return response.status, payload

    def submit(self):
        """Submits one job; returns its id and its position (the queued jobs ahead of it)."""
        status, payload = self.request("POST", "/v1/jobs", REQUEST)
        if status != 202:
            raise RuntimeError(f"submit answered {status}: {payload[:300]!r}")
        job = json.loads(payload)
        return job["id"], job["position"]


def fill(client, count, threads):
    """Submits `count` jobs over `threads` connections; returns the last id and the rate."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        ids = list(pool.map(lambda _: client.submit(), range(count)))
    return ids[-1] if ids else None, count / max(time.monotonic() - started, 1e-9)


def timed_ms(call, samples):
    durations = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def memory_mb(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def mean_claim_ms(metrics_text):
    total = count = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("darkroom_claim_duration_seconds_sum") and 'outcome="claimed"' in line:
            total = float(line.split()[-1])
        if line.startswith("darkroom_claim_duration_seconds_count") and 'outcome="claimed"' in line:
            count = float(line.split()[-1])
    return (total / count * 1000, int(count)) if count else (None, 0)


def scrape(base):
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        return response.read().decode()


class Store:
    """Starts the front process (no GPU free) and, on demand, a worker with one fast simulated GPU."""

    def __init__(self, args, kind):
        self.args = args
        self.kind = kind
        self.directory = tempfile.mkdtemp(prefix=f"darkroom-depth-{kind}-")
        self.database = None
        if kind == "postgres":
            self.database = "darkroom_depth_" + uuid.uuid4().hex[:10]
            psql(args.database_url, f"CREATE DATABASE {self.database}")
            self.url = urllib.parse.urlparse(args.database_url)._replace(path="/" + self.database).geturl()
        self.front = self._start_front()

    def _start_front(self):
        binary = self.args.binary
        if self.kind == "sqlite":
            command = [binary, "serve", "--port", "0", "--sim-gpus", "1", "--sim-seconds", "3600",
                       "--data-dir", self.directory]
        else:
            command = [binary, "gateway", "--database-url", self.url, "--port", "0",
                       "--image-dir", self.directory, "--auth", "off"]
        server = Server(command + ["--log-level", "notice"])
        self.base = server.wait_ready(60)
        return server

    def measure_claims(self):
        """Runs a one-GPU worker for --claim-seconds; returns (mean claim ms, claims)."""
        binary = self.args.binary
        # 12.8 s per 1024x1024, 8-step image is 0.1 s for the 256x256, 1-step jobs queued here: a few dozen
        # claims, each at about the depth measured.
        simulated = ["--sim-gpus", "1", "--sim-seconds", "12.8", "--log-level", "notice"]
        if self.kind == "sqlite":
            # One process owns the embedded file: the front steps aside while a serve with a fast GPU runs.
            self.front.stop()
            worker = Server([binary, "serve", "--port", "0", "--data-dir", self.directory] + simulated)
        else:
            worker = Server([binary, "worker", "--database-url", self.url, "--metrics-port", "0",
                             "--image-dir", self.directory, "--name", "depth-probe"] + simulated)
        try:
            metrics_base = worker.wait_ready(60)
            time.sleep(self.args.claim_seconds)
            return mean_claim_ms(scrape(metrics_base))
        finally:
            worker.stop()
            if self.kind == "sqlite":
                self.front = self._start_front()

    def close(self):
        self.front.stop()
        if self.database:
            psql(self.args.database_url, f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        shutil.rmtree(self.directory, ignore_errors=True)


def queued(client):
    """The queue's depth from `GET /v1/queue`, read after its figures' one-second cache has expired."""
    time.sleep(1.2)
    _, payload = client.request("GET", "/v1/queue")
    return json.loads(payload)["queued"]


def run_store(args, kind, depths):
    store = Store(args, kind)
    rows = []
    try:
        for depth in depths:
            client = Client(store.base)
            _, rate = fill(client, max(0, depth - queued(client)), args.fill_threads)
            last_id, _ = client.submit()
            at_depth = queued(client)
            rss, peak = memory_mb(store.front.process.pid)
            submit_ms = timed_ms(client.submit, args.samples)
            queue_ms = timed_ms(lambda: client.request("GET", "/v1/queue"), args.samples)
            job_ms = timed_ms(lambda: client.request("GET", f"/v1/jobs/{last_id}"), args.samples)
            claim_ms, claims = store.measure_claims()
            rows.append((kind, at_depth, rss, peak, submit_ms, queue_ms, job_ms, claim_ms, claims, rate))
            print(f"{kind}: {at_depth} queued, RSS {rss:.1f} MB (peak {peak:.1f}), submit {submit_ms:.2f} ms, "
                  f"queue {queue_ms:.2f} ms, job {job_ms:.2f} ms, claim {claim_ms or float('nan'):.3f} ms "
                  f"over {claims} claims; filled at {rate:.0f} jobs/s", flush=True)
    finally:
        store.close()
    return rows


def main():
    # SIGTERM unwinds like Ctrl-C, so the `finally` blocks stop the servers and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build -c release` or pass --binary")
    depths = [int(depth) for depth in args.depths.split(",")]
    kinds = ["sqlite"] + (["postgres"] if args.database_url else [])
    rows = []
    for kind in kinds:
        rows += run_store(args, kind, depths)
    print()
    print("| store | queued | front RSS MB | peak RSS MB | submit p50 ms | GET /v1/queue p50 ms "
          "| GET /v1/jobs/{id} p50 ms | claim mean ms (claims) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, depth, rss, peak, submit_ms, queue_ms, job_ms, claim_ms, claims, _ in rows:
        claim = f"{claim_ms:.3f} ({claims})" if claim_ms is not None else "none"
        print(f"| {kind} | {depth} | {rss:.1f} | {peak:.1f} | {submit_ms:.2f} | {queue_ms:.2f} | {job_ms:.2f} "
              f"| {claim} |")


if __name__ == "__main__":
    main()
