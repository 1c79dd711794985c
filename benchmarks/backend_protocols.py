#!/usr/bin/env python3
"""Darkroom in front of real inference-server protocols, with real-size images (issues 5 and 14).

For each protocol in --protocols, starts --servers `darkroom sim-backend --protocol P --seconds S --png-bytes B`
processes (each runs one request at a time, like A1111 and ComfyUI, and answers PNGs of B bytes, as a real
server does: about 1.5 MB for a 1024x1024 portrait) and `darkroom serve` with one `--backend P=URL` per server.
Then it measures, from the servers' own accounting (`GET /internal/gpu-stats`: when each request held the GPU):

- one job at a time on an idle system (--single runs): the time from submit until the client sees `succeeded`
  over SSE, minus the server's busy time for that job: what Darkroom adds to one user's wait;
- a burst of --jobs-per-server x servers jobs submitted at once: throughput from the first submit to the last
  completion against the physical limit (servers / S), and the GPU's idle time between consecutive jobs on
  each server (the next busy interval's start minus the last one's end): what Darkroom costs the fleet.

Python 3 standard library only; stops every process it started by PID.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embedded_acceptance import TERMINAL, Server, http_json, timestamp  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/darkroom")
    parser.add_argument("--protocols", default="a1111,comfyui")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0.5, help="--seconds of each sim-backend")
    parser.add_argument("--png-bytes", type=int, default=1_500_000, help="--png-bytes of each sim-backend (0: small)")
    parser.add_argument("--jobs-per-server", type=int, default=20)
    parser.add_argument("--single", type=int, default=10, help="one-at-a-time jobs on the idle system")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", help="also write the results here")
    return parser.parse_args()


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def gpu_stats(url):
    with urllib.request.urlopen(url + "/internal/gpu-stats", timeout=30) as response:
        return json.loads(response.read())


def wait_by_sse(base, job_id, timeout):
    """Reads the job's event stream until a terminal state; returns that state and when it arrived."""
    with urllib.request.urlopen(f"{base}/v1/jobs/{job_id}/events", timeout=timeout) as stream:
        event = None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "state":
                state = json.loads(line[5:])["state"]
                if state in TERMINAL:
                    return state, time.time()
    raise RuntimeError(f"the event stream of {job_id} ended without a terminal state")


def single_jobs(base, servers, count, timeout):
    """`count` jobs one at a time; each one's added latency is the client's time minus the server's busy time."""
    added, png_sizes = [], []
    for index in range(count):
        before = [len(gpu_stats(url)["busy_intervals"]) for url in servers]
        started = time.time()
        status, job = http_json("POST", base + "/v1/jobs", {"prompt": f"single portrait {index}"})
        if status != 202:
            sys.exit(f"submit refused: {status} {job}")
        state, seen = wait_by_sse(base, job["id"], timeout)
        if state != "succeeded":
            sys.exit(f"single job ended {state}")
        new = [interval for url, seen_before in zip(servers, before)
               for interval in gpu_stats(url)["busy_intervals"][seen_before:]]
        if len(new) != 1:
            sys.exit(f"expected one busy interval for the single job, found {len(new)}")
        added.append(seen - started - (new[0][1] - new[0][0]))
        _, finished = http_json("GET", f"{base}/v1/jobs/{job['id']}")
        with urllib.request.urlopen(base + finished["images"][0]["url"], timeout=timeout) as image:
            png_sizes.append(len(image.read()))
    return added, png_sizes


def burst(base, servers, count, timeout):
    """`count` jobs at once; returns them finished, and the GPU's idle gaps between consecutive jobs."""
    before = [len(gpu_stats(url)["busy_intervals"]) for url in servers]
    answers = [http_json("POST", base + "/v1/jobs", {"prompt": f"portrait {index}"}) for index in range(count)]
    ids = {job["id"] for status, job in answers if status == 202}
    if len(ids) != count:
        sys.exit(f"only {len(ids)} of {count} submits were accepted")
    deadline = time.time() + timeout
    while True:
        _, page = http_json("GET", base + "/v1/jobs?limit=500")
        jobs = [job for job in page["jobs"] if job["id"] in ids]
        if len(jobs) == count and all(job["state"] in TERMINAL for job in jobs):
            break
        if time.time() > deadline:
            sys.exit(f"timed out after {timeout} s")
        time.sleep(0.05)
    gaps = []
    for url, seen_before in zip(servers, before):
        intervals = gpu_stats(url)["busy_intervals"][seen_before:]
        gaps += [(nxt[0] - prev[1]) for prev, nxt in zip(intervals, intervals[1:])]
    return jobs, gaps


def measure(args, protocol):
    processes = []
    try:
        command = [args.binary, "sim-backend", "--protocol", protocol, "--host", "127.0.0.1", "--port", "0",
                   "--seconds", str(args.seconds)]
        if args.png_bytes > 0:
            command += ["--png-bytes", str(args.png_bytes)]
        for _ in range(args.servers):
            processes.append(Server(command))
        servers = [gpu.wait_ready(30) for gpu in processes]
        backends = [flag for url in servers for flag in ("--backend", f"{protocol}={url}")]
        with tempfile.TemporaryDirectory(prefix="darkroom-protocols-") as data_dir:
            server = Server([args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir]
                            + backends)
            processes.append(server)
            base = server.wait_ready(30)
            added, png_sizes = single_jobs(base, servers, args.single, args.timeout)
            jobs, gaps = burst(base, servers, args.servers * args.jobs_per_server, args.timeout)
    finally:
        for process in reversed(processes):
            process.stop()
    failed = [job for job in jobs if job["state"] != "succeeded"]
    if failed:
        sys.exit(f"{len(failed)} jobs did not succeed, e.g. {failed[0]}")
    elapsed = max(timestamp(job["finished_at"]) for job in jobs) - min(timestamp(job["created_at"]) for job in jobs)
    return {
        "protocol": protocol, "jobs": len(jobs), "throughput": len(jobs) / elapsed,
        "efficiency": len(jobs) / elapsed / (args.servers / args.seconds),
        "idle_gap_ms": {"median": statistics.median(gaps) * 1000, "p99": percentile(gaps, 0.99) * 1000,
                        "max": max(gaps) * 1000, "count": len(gaps)},
        "single_added_ms": {"median": statistics.median(added) * 1000, "min": min(added) * 1000,
                            "max": max(added) * 1000, "count": len(added)},
        "png_bytes": statistics.median(png_sizes),
    }


def main():
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build` or pass --binary")
    limit = args.servers / args.seconds
    print(f"{args.servers} simulated servers per protocol, {args.seconds} s per 1024x1024 8-step image, "
          f"PNG answers of {args.png_bytes or 'a few thousand'} bytes; physical limit {limit:.3f} jobs/s")
    results = []
    for protocol in args.protocols.split(","):
        result = measure(args, protocol)
        results.append(result)
        gap, single = result["idle_gap_ms"], result["single_added_ms"]
        print(f"{protocol:8} {result['jobs']} jobs  {result['throughput']:.3f} jobs/s  "
              f"efficiency {result['efficiency']:.3f}  GPU idle between jobs: median {gap['median']:.1f} ms, "
              f"p99 {gap['p99']:.1f} ms, max {gap['max']:.1f} ms ({gap['count']} gaps)  "
              f"one job on an idle system: +{single['median']:.1f} ms median "
              f"(min {single['min']:.1f}, max {single['max']:.1f}; {single['count']} jobs, "
              f"PNG {result['png_bytes']:.0f} bytes)")
    if args.json:
        with open(args.json, "w") as output:
            json.dump({"servers": args.servers, "seconds": args.seconds, "png_bytes": args.png_bytes,
                       "results": results}, output, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
