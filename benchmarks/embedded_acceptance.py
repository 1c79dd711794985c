#!/usr/bin/env python3
"""Throughput of the embedded server against the simulator's physical limit (issue 3's acceptance run).

Starts `darkroom serve --port 0 --sim-gpus 3 --sim-seconds 0.5` on a fresh temp data directory, submits
60 jobs (1024x1024, 8 steps) concurrently, waits until all are finished, and prints the throughput from
the first submit to the last completion next to the physical limit, slots / service time.

Exits non-zero if any job did not succeed (or, with --min-efficiency, if the run was less efficient).
Python 3 standard library only.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

TERMINAL = {"succeeded", "failed", "canceled"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/darkroom", help="the darkroom executable")
    parser.add_argument("--jobs", type=int, default=60, help="jobs submitted at once")
    parser.add_argument("--slots", type=int, default=3, help="--sim-gpus of the server")
    parser.add_argument("--sim-seconds", type=float, default=0.5, help="--sim-seconds of the server")
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the run")
    parser.add_argument("--min-efficiency", type=float, default=0.0, help="fail below this efficiency (0 = off)")
    return parser.parse_args()


class Server:
    """A long-running `darkroom` child process (serve, gateway, worker) that logs "Darkroom listening";
    its stderr is drained by a thread so it never blocks."""

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.address = None
        self.log_tail = []
        self.ready = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stderr:
            self.log_tail = (self.log_tail + [line])[-20:]
            if self.address is None and "Darkroom listening" in line:
                match = re.search(r"address=(\S+)", line)
                if match:
                    self.address = match.group(1)
                    self.ready.set()
        self.ready.set()

    def wait_ready(self, timeout):
        if not self.ready.wait(timeout) or self.address is None:
            raise RuntimeError("darkroom did not log its address:\n" + "".join(self.log_tail))
        return self.address

    def stop(self, grace=10):
        """SIGTERM by PID, then SIGKILL if it has not exited within `grace` seconds."""
        if self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()


def http_json(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def timestamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build` or pass --binary")
    service = args.sim_seconds * (args.width * args.height / 1024 ** 2) * (args.steps / 8)
    with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
        server = Server([args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir,
                         "--sim-gpus", str(args.slots), "--sim-seconds", str(args.sim_seconds)])
        try:
            base = server.wait_ready(30)
            body = {"prompt": "benchmark portrait", "width": args.width, "height": args.height, "steps": args.steps}

            def submit(index):
                return http_json("POST", base + "/v1/jobs", dict(body, metadata={"index": index}))

            wall_start = time.time()
            with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
                answers = list(pool.map(submit, range(args.jobs)))
            refused = [answer for answer in answers if answer[0] != 202]
            if refused:
                sys.exit(f"{len(refused)} submits were refused, e.g. {refused[0]}")
            ids = {job["id"] for _, job in answers}

            deadline = time.time() + args.timeout
            while True:
                _, page = http_json("GET", base + "/v1/jobs?limit=500")
                jobs = [job for job in page["jobs"] if job["id"] in ids]
                if len(jobs) == len(ids) and all(job["state"] in TERMINAL for job in jobs):
                    wall_end = time.time()
                    break
                if time.time() > deadline:
                    sys.exit(f"timed out after {args.timeout} s; states: "
                             f"{sorted(job['state'] for job in jobs)}")
                time.sleep(0.05)
        finally:
            server.stop()

    failed = [job for job in jobs if job["state"] != "succeeded"]
    first_submit = min(timestamp(job["created_at"]) for job in jobs)
    last_finish = max(timestamp(job["finished_at"]) for job in jobs if job.get("finished_at"))
    elapsed = last_finish - first_submit
    throughput = len(jobs) / elapsed
    limit = args.slots / service
    efficiency = throughput / limit
    wall = wall_end - wall_start

    print(f"jobs                {len(jobs)} ({len(jobs) - len(failed)} succeeded, {len(failed)} not)")
    print(f"slots               {args.slots}")
    print(f"service time        {service:.3f} s per job ({args.width}x{args.height}, {args.steps} steps)")
    print(f"elapsed             {elapsed:.3f} s  (first created_at -> last finished_at)")
    print(f"elapsed, wall clock {wall:.3f} s  (first submit -> all seen finished, 50 ms polling)")
    print(f"throughput          {throughput:.3f} jobs/s")
    print(f"physical limit      {limit:.3f} jobs/s  (slots / service time)")
    print(f"efficiency          {efficiency:.3f}  (throughput / limit; acceptance wants >= 0.95)")
    if failed:
        print(f"FAILED: {len(failed)} jobs did not succeed, e.g. {failed[0]['id']} {failed[0]['state']} "
              f"{failed[0].get('error')}", file=sys.stderr)
        return 1
    if efficiency < args.min_efficiency:
        print(f"FAILED: efficiency {efficiency:.3f} < {args.min_efficiency}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
