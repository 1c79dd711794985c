#!/usr/bin/env python3
"""Throughput through the real inference-server protocols against their physical limit (issue 5).

For each protocol in --protocols, starts --servers `darkroom sim-backend --protocol P --seconds S` processes
(each runs one request at a time, like A1111 and ComfyUI) and `darkroom serve` with one `--backend P=URL`
per server; submits --jobs-per-server x servers jobs (1024x1024, 8 steps) at once and measures throughput from
the first submit to the last completion against the physical limit, servers / S. The gap is what Darkroom's
side of the protocol costs per job: the HTTP round trips, A1111's progress polling or ComfyUI's WebSocket,
/history and /view, and decoding and storing the PNG.

Python 3 standard library only; stops every process it started by PID.
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embedded_acceptance import TERMINAL, Server, http_json, timestamp  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/darkroom")
    parser.add_argument("--protocols", default="a1111,comfyui")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0.5, help="--seconds of each sim-backend")
    parser.add_argument("--jobs-per-server", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300)
    return parser.parse_args()


def measure(args, protocol):
    processes = []
    try:
        backends = []
        for _ in range(args.servers):
            gpu = Server([args.binary, "sim-backend", "--protocol", protocol, "--host", "127.0.0.1", "--port", "0",
                          "--seconds", str(args.seconds)])
            processes.append(gpu)
        for gpu in processes:
            backends += ["--backend", f"{protocol}={gpu.wait_ready(30)}"]
        with tempfile.TemporaryDirectory(prefix="darkroom-protocols-") as data_dir:
            server = Server([args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir]
                            + backends)
            processes.append(server)
            base = server.wait_ready(30)
            count = args.servers * args.jobs_per_server
            answers = [http_json("POST", base + "/v1/jobs", {"prompt": f"portrait {index}"}) for index in range(count)]
            ids = {job["id"] for status, job in answers if status == 202}
            if len(ids) != count:
                sys.exit(f"only {len(ids)} of {count} submits were accepted")
            deadline = time.time() + args.timeout
            while True:
                _, page = http_json("GET", base + "/v1/jobs?limit=500")
                jobs = [job for job in page["jobs"] if job["id"] in ids]
                if len(jobs) == count and all(job["state"] in TERMINAL for job in jobs):
                    break
                if time.time() > deadline:
                    sys.exit(f"timed out after {args.timeout} s")
                time.sleep(0.05)
    finally:
        for process in reversed(processes):
            process.stop()
    failed = [job for job in jobs if job["state"] != "succeeded"]
    if failed:
        sys.exit(f"{len(failed)} jobs did not succeed, e.g. {failed[0]}")
    elapsed = max(timestamp(job["finished_at"]) for job in jobs) - min(timestamp(job["created_at"]) for job in jobs)
    return len(jobs), len(jobs) / elapsed


def main():
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build` or pass --binary")
    limit = args.servers / args.seconds
    print(f"{args.servers} simulated servers per protocol, {args.seconds} s per 1024x1024 8-step image; "
          f"physical limit {limit:.3f} jobs/s")
    for protocol in args.protocols.split(","):
        count, throughput = measure(args, protocol)
        print(f"{protocol:8} {count} jobs  {throughput:.3f} jobs/s  efficiency {throughput / limit:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
