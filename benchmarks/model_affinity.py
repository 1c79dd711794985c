#!/usr/bin/env python3
"""What model affinity buys when switching LoRAs costs time (issue 5).

Starts `darkroom serve` with --sim-gpus simulated GPUs whose model switch costs --switch-seconds
(`--sim-switch-seconds`), submits --jobs jobs at once alternating between two LoRAs, and measures throughput
from the first submit to the last completion, and how many times a GPU had to switch LoRA. It does this twice:
with affinity off (`--affinity-window 0`, plain FIFO) and on (the default window, 30 s), and prints both next to
the physical limit without switches (slots / service time).

Python 3 standard library only; stops every process it started by PID.
"""

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embedded_acceptance import TERMINAL, Server, http_json, timestamp  # noqa: E402

LORAS = [[{"name": "AWPortrait-Z", "strength": 1.0}], [{"name": "Anime-Z", "strength": 1.0}]]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/darkroom")
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--sim-seconds", type=float, default=0.4)
    parser.add_argument("--switch-seconds", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=300)
    return parser.parse_args()


def run(args, window):
    with tempfile.TemporaryDirectory(prefix="darkroom-affinity-") as data_dir:
        server = Server([args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir,
                         "--sim-gpus", str(args.slots), "--sim-seconds", str(args.sim_seconds),
                         "--sim-switch-seconds", str(args.switch_seconds), "--affinity-window", str(window)])
        try:
            base = server.wait_ready(30)

            def submit(index):
                body = {"prompt": f"portrait {index}", "loras": LORAS[index % 2]}
                return http_json("POST", base + "/v1/jobs", body)

            # Submitted in order, so FIFO alternates LoRAs and every claim without affinity is a switch.
            answers = [submit(index) for index in range(args.jobs)]
            refused = [answer for answer in answers if answer[0] != 202]
            if refused:
                sys.exit(f"{len(refused)} submits were refused, e.g. {refused[0]}")
            ids = {job["id"] for _, job in answers}
            deadline = time.time() + args.timeout
            while True:
                _, page = http_json("GET", base + "/v1/jobs?limit=500")
                jobs = [job for job in page["jobs"] if job["id"] in ids]
                if len(jobs) == len(ids) and all(job["state"] in TERMINAL for job in jobs):
                    break
                if time.time() > deadline:
                    sys.exit(f"timed out after {args.timeout} s")
                time.sleep(0.05)
        finally:
            server.stop()
    failed = [job for job in jobs if job["state"] != "succeeded"]
    if failed:
        sys.exit(f"{len(failed)} jobs did not succeed, e.g. {failed[0]}")
    elapsed = max(timestamp(job["finished_at"]) for job in jobs) - min(timestamp(job["created_at"]) for job in jobs)
    switches = 0
    for backend in {job["backend"] for job in jobs}:
        ran = sorted((job for job in jobs if job["backend"] == backend), key=lambda job: job["started_at"])
        lora_names = [job["request"]["loras"][0]["name"] for job in ran]
        switches += sum(1 for before, after in zip(lora_names, lora_names[1:]) if before != after)
    return len(jobs) / elapsed, switches


def main():
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build` or pass --binary")
    limit = args.slots / args.sim_seconds
    print(f"{args.jobs} jobs alternating 2 LoRAs, {args.slots} simulated GPUs, {args.sim_seconds} s per image, "
          f"{args.switch_seconds} s per LoRA switch")
    print(f"physical limit without switches  {limit:.3f} jobs/s")
    for label, window in [("affinity off (window 0 s) ", 0), ("affinity on  (window 30 s)", 30)]:
        throughput, switches = run(args, window)
        print(f"{label}  {throughput:.3f} jobs/s  efficiency {throughput / limit:.3f}  LoRA switches {switches}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
