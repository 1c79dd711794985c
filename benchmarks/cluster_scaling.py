#!/usr/bin/env python3
"""Cluster mode on PostgreSQL: throughput as workers are added, and how fast an idle worker starts a job.

For each worker count in --workers, starts on loopback a fresh database (created with psql on the server of
--database-url), `darkroom migrate`, one gateway and that many `darkroom worker --sim-gpus 2` processes;
submits jobs-per-slot x slots jobs at once and measures throughput from the first submit to the last
completion against the physical limit (slots / service time). Then, with every slot idle, submits one job at
a time and reports the wake latency: the job's started_at minus its created_at (the commit), which the
LISTEN/NOTIFY path should keep far below the 1 s poll interval.

Python 3 standard library only; stops every process it started by PID.
"""

import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embedded_acceptance import TERMINAL, Server, http_json, timestamp  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/darkroom")
    parser.add_argument("--database-url", default=os.environ.get("DARKROOM_DATABASE_URL"),
                        help="a PostgreSQL server to create benchmark databases on (default $DARKROOM_DATABASE_URL)")
    parser.add_argument("--workers", default="1,3", help="comma-separated worker counts to measure")
    parser.add_argument("--slots-per-worker", type=int, default=2)
    parser.add_argument("--sim-seconds", type=float, default=0.5)
    parser.add_argument("--jobs-per-slot", type=int, default=20)
    parser.add_argument("--wake-samples", type=int, default=30)
    return parser.parse_args()


def psql(server_url, sql):
    subprocess.run(["psql", server_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


class Cluster:
    """A database, one gateway and `workers` workers, all on loopback."""

    def __init__(self, args, workers):
        self.server_url = args.database_url
        self.name = "darkroom_bench_" + uuid.uuid4().hex[:10]
        psql(self.server_url, f"CREATE DATABASE {self.name}")
        self.url = urllib.parse.urlparse(self.server_url)._replace(path="/" + self.name).geturl()
        subprocess.run([args.binary, "migrate", "--database-url", self.url, "--log-level", "warning"], check=True)
        self.images = f"/tmp/{self.name}-images"
        self.processes = [Server([args.binary, "gateway", "--database-url", self.url, "--port", "0",
                                  "--image-dir", self.images, "--auth", "off"])]
        for index in range(workers):
            self.processes.append(Server([args.binary, "worker", "--database-url", self.url, "--name", f"w{index}",
                                          "--sim-gpus", str(args.slots_per_worker),
                                          "--sim-seconds", str(args.sim_seconds), "--metrics-port", "0",
                                          "--image-dir", self.images]))
        self.base = self.processes[0].wait_ready(30)
        for process in self.processes[1:]:
            process.wait_ready(30)

    def close(self):
        for process in self.processes:
            process.stop()
        psql(self.server_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        subprocess.run(["rm", "-rf", self.images], check=False)

    def wait_finished(self, ids, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            _, page = http_json("GET", self.base + "/v1/jobs?limit=500")
            jobs = [job for job in page["jobs"] if job["id"] in ids]
            if len(jobs) == len(ids) and all(job["state"] in TERMINAL for job in jobs):
                return jobs
            time.sleep(0.02)
        raise RuntimeError(f"jobs did not finish within {timeout} s")


def measure_throughput(cluster, count):
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(count, 64)) as pool:
        answers = list(pool.map(lambda i: http_json("POST", cluster.base + "/v1/jobs", {"prompt": f"bench {i}"}),
                                range(count)))
    if any(status != 202 for status, _ in answers):
        raise RuntimeError(f"refused submits: {[a for a in answers if a[0] != 202][:1]}")
    jobs = cluster.wait_finished({job["id"] for _, job in answers})
    if any(job["state"] != "succeeded" for job in jobs):
        raise RuntimeError("some jobs did not succeed")
    elapsed = max(timestamp(j["finished_at"]) for j in jobs) - min(timestamp(j["created_at"]) for j in jobs)
    return len(jobs) / elapsed, elapsed


def measure_wake_latency(cluster, samples):
    latencies = []
    for index in range(samples):
        _, job = http_json("POST", cluster.base + "/v1/jobs", {"prompt": f"wake {index}", "steps": 1})
        (finished,) = cluster.wait_finished({job["id"]}, timeout=30)
        latencies.append(timestamp(finished["started_at"]) - timestamp(finished["created_at"]))
    latencies.sort()
    return statistics.median(latencies), latencies[int(len(latencies) * 0.95) - 1]


def main():
    args = parse_args()
    if not args.database_url:
        sys.exit("--database-url (or DARKROOM_DATABASE_URL) is required")
    service = args.sim_seconds
    print(f"service time {service:.3f} s per job (1024x1024, 8 steps), {args.slots_per_worker} slots per worker")
    print("| workers | slots | jobs | elapsed s | throughput jobs/s | limit jobs/s | efficiency |")
    print("|---|---|---|---|---|---|---|")
    wake = None
    for workers in [int(n) for n in args.workers.split(",")]:
        slots = workers * args.slots_per_worker
        cluster = Cluster(args, workers)
        try:
            throughput, elapsed = measure_throughput(cluster, slots * args.jobs_per_slot)
            limit = slots / service
            print(f"| {workers} | {slots} | {slots * args.jobs_per_slot} | {elapsed:.2f} | {throughput:.3f} "
                  f"| {limit:.3f} | {throughput / limit:.3f} |", flush=True)
            wake = measure_wake_latency(cluster, args.wake_samples)
        finally:
            cluster.close()
    print(f"wake latency (idle worker, commit -> start): median {wake[0] * 1000:.1f} ms, "
          f"p95 {wake[1] * 1000:.1f} ms over {args.wake_samples} jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
