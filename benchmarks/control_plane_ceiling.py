#!/usr/bin/env python3
"""The control plane's CPU per job, server and load generator apart, and the load generator's own ceiling.

`darkroom bench --control-plane` runs its 32 clients on the same cores as the server it measures, so the rate
it reports is bounded by what both processes cost together. This script splits the two (issue 14):

1. `darkroom serve` (zero-work simulated GPUs, one per client, its data directory under $TMPDIR), driven by
   `darkroom bench --control-plane --target`: jobs/s, p99, and the CPU time each process used per job
   (the children's own rusage after they exit, so every thread and the kernel's work on their behalf count).
2. nginx answering every request at once with the bytes Darkroom answered in step 1 (the submit's 202 and a
   job's event stream ending `succeeded`), driven the same way: the rate the load generator reaches when the
   server costs almost nothing, and what the load generator costs per job.

3. With --floor-binary (benchmarks/http-floor, built with `swift build -c release --package-path
   benchmarks/http-floor`): Hummingbird, the HTTP server Darkroom is built on, answering the same two requests
   with the same bytes, each event written on its own as Darkroom writes them: what the HTTP framework alone
   costs per job, with no store, worker or JSON.

It then prints, for the target rate (--rate, default 1,500 jobs/s), the cores the load generator alone needs
and the CPU per job left for the server on this machine's cores, and with the floor, what is left of that for
everything but HTTP. Needs nginx on the PATH (Debian: nginx).

    python3 benchmarks/control_plane_ceiling.py --binary .build/release/darkroom --jobs 10000 \
        --floor-binary benchmarks/http-floor/.build/release/http-floor

Python 3 standard library only; stops every process it started by PID.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embedded_acceptance import Server, http_json  # noqa: E402

REQUEST = {"prompt": "control plane", "width": 256, "height": 256, "steps": 1}
WARMUP_JOBS = 1_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/darkroom", help="the darkroom executable")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--jobs", type=int, default=10_000,
                        help=f"measured jobs per run, after {WARMUP_JOBS:,} warm-up")
    parser.add_argument("--rate", type=float, default=1_500, help="the jobs/s the budget is worked out for")
    parser.add_argument("--skip-darkroom", action="store_true", help="run the nginx ceiling only")
    parser.add_argument("--floor-binary", help="benchmarks/http-floor's executable: also measure Hummingbird alone")
    return parser.parse_args()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process, grace=10):
    """SIGTERM by PID, then SIGKILL; returns the process's CPU seconds (user + system) from its rusage."""
    os.kill(process.pid, signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = status
            return usage.ru_utime + usage.ru_stime
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def bench(args, target, directory, name):
    """Runs the control-plane loop against `target`; returns (its JSON run, its CPU seconds, jobs it started)."""
    report = os.path.join(directory, f"{name}.json")
    process = subprocess.Popen(
        [args.binary, "bench", "--control-plane", "--target", target, "--clients", str(args.clients),
         "--jobs", str(args.jobs), "--warmup-jobs", str(WARMUP_JOBS), "--json", report, "--log-level", "error"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = status
    if status != 0:
        sys.exit(f"darkroom bench against {name} exited with status {status}")
    with open(report) as file:
        run = json.load(file)["runs"][0]
    return run, usage.ru_utime + usage.ru_stime, run["jobs"] + WARMUP_JOBS


def sample_answers(base):
    """The submit's answer and a finished job's whole event stream, as Darkroom sends them."""
    request = urllib.request.Request(base + "/v1/jobs", data=json.dumps(REQUEST).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        submitted = response.read()
    job_id = json.loads(submitted)["id"]
    deadline = time.time() + 30
    while http_json("GET", f"{base}/v1/jobs/{job_id}")[1].get("state") != "succeeded":
        if time.time() > deadline:
            sys.exit(f"the sample job {job_id} did not succeed within 30 s")
        time.sleep(0.05)
    with urllib.request.urlopen(f"{base}/v1/jobs/{job_id}/events", timeout=30) as response:
        events = response.read()
    return submitted, events


def nginx_literal(data):
    """`data` as an nginx quoted string (the answers are one-line JSON and SSE framing, with no `$`, which
    nginx would read as a variable)."""
    if b"$" in data:
        sys.exit("an answer holds a '$', which nginx's return directive cannot send literally")
    return "'" + data.decode().replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def listening(process, port, failure):
    """The base URL once `process` accepts connections on `port`; exits with `failure` if it ends or 10 s pass."""
    deadline = time.time() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                sys.exit(failure)
            time.sleep(0.05)


def start_nginx(directory, submitted, events):
    port = free_port()
    config = os.path.join(directory, "nginx.conf")
    with open(config, "w") as file:
        file.write(f"""daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {directory}/body;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location = /v1/jobs {{ default_type application/json; return 202 {nginx_literal(submitted)}; }}
    location /v1/jobs/ {{ default_type text/event-stream; return 200 {nginx_literal(events)}; }}
  }}
}}
""")
    process = subprocess.Popen(["nginx", "-c", config, "-p", directory], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, listening(process, port, f"nginx did not start; see {directory}/nginx-error.log")


def start_floor(binary, directory, submitted, events):
    """benchmarks/http-floor answering with the captured bytes; returns (process, target)."""
    paths = []
    for name, data in (("submitted", submitted), ("events", events)):
        paths.append(os.path.join(directory, f"floor-{name}"))
        with open(paths[-1], "wb") as file:
            file.write(data)
    port = free_port()
    process = subprocess.Popen([binary, str(port)] + paths, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    return process, listening(process, port, f"{binary} did not start")


def line(name, run, server_cpu, client_cpu, jobs):
    per_job = lambda seconds: f"{1000 * seconds / jobs:.2f}"  # noqa: E731
    print(f"{name:<22} {run['jobs_per_second']:>8.0f} {1000 * run['latency_seconds']['p99']:>8.1f} "
          f"{per_job(server_cpu):>15} {per_job(client_cpu):>15}")


def main():
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build -c release` or pass --binary")
    if shutil.which("nginx") is None:
        sys.exit("nginx is not on the PATH (Debian: apt-get install nginx)")
    cores = os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="darkroom-ceiling-") as directory:
        os.makedirs(os.path.join(directory, "body"))
        server = Server([args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir",
                         os.path.join(directory, "data"), "--sim-gpus", str(args.clients), "--sim-seconds", "0",
                         "--log-level", "notice"])
        try:
            base = server.wait_ready(60)
            submitted, events = sample_answers(base)
            darkroom = None if args.skip_darkroom else bench(args, base, directory, "darkroom")
        finally:
            server_cpu = stop(server.process)
        nginx, target = start_nginx(directory, submitted, events)
        try:
            ceiling = bench(args, target, directory, "nginx")
        finally:
            nginx_cpu = stop(nginx)  # the master's rusage includes its worker's once it has reaped it
        floor = None
        if args.floor_binary:
            hummingbird, target = start_floor(args.floor_binary, directory, submitted, events)
            try:
                floor = bench(args, target, directory, "hummingbird")
            finally:
                floor_cpu = stop(hummingbird)
    print(f"{cores} cores; {args.clients} clients; answers: submit {len(submitted)} bytes, "
          f"event stream {len(events)} bytes")
    print(f"{'server':<22} {'jobs/s':>8} {'p99 ms':>8} {'server ms CPU':>15} {'client ms CPU':>15}")
    if darkroom:
        line("darkroom serve (sqlite)", darkroom[0], server_cpu, darkroom[1], darkroom[2])
    line("nginx, canned answers", ceiling[0], nginx_cpu, ceiling[1], ceiling[2])
    if floor:
        line("Hummingbird, canned", floor[0], floor_cpu, floor[1], floor[2])
    client_per_job = ceiling[1] / ceiling[2]
    client_cores = client_per_job * args.rate
    left = (cores - client_cores) / args.rate
    print(f"At {args.rate:.0f} jobs/s the load generator alone needs {client_cores:.2f} of {cores} cores "
          f"(at its cost per job against nginx); that leaves the server {1000 * left:.2f} ms of CPU per job.")
    if floor:
        http = floor_cpu / floor[2]
        print(f"Hummingbird alone uses {1000 * http:.2f} ms of it; {1000 * (left - http):.2f} ms a job is left for "
              "the store, the worker, the JSON and everything else Darkroom does.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
