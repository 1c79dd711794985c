#!/usr/bin/env python3
"""Chaos soak of the cluster: processes killed, PostgreSQL stopped, and nothing lost or made twice.

Starts on loopback a private PostgreSQL (initdb in a temporary directory), 2 gateways and 3 workers of
simulated GPUs sharing one image directory. --clients users each submit a job (8 steps at 1024x1024 by default)
with its own Idempotency-Key, follow it to its end by reading it every 0.2 s, and submit the next, until --jobs
are done; requests alternate between the gateways, and a submit is sent again with the same key on any answer
but 200/202 (honouring Retry-After, at most 1 s). Meanwhile a random gateway or worker is SIGKILLed and
restarted every --kill-every seconds (0.6-1.4 times that), and once, when 40 % of the jobs are done,
PostgreSQL is stopped (`pg_ctl stop -m fast`) for --pg-stop seconds.

When every job is accepted and finished, it checks from the database and the image directory:
  - every key made exactly one job, and that job is the one the client was told;
  - every job succeeded once, with its images on disk, each a PNG whose SHA-256 is the recorded one;
  - after a retention sweep (a worker started with --stray-age 1), no temporary file (`.dat.nosync...`) and no
    image that no job refers to is left.
It reports requests that waited longer than --hung-after seconds for an answer (or got none), the latency of
the 503 answers (all, and those during the PostgreSQL stop), jobs run more than once and rescued (lease lost),
each killed process's time to listen again, and the time from PostgreSQL's restart to the next accepted job.
Exits 1 when a check fails.

Must run as root (PostgreSQL's server runs as the `postgres` user) or as a user that can run initdb itself.
Python 3 standard library only; stops every process it started by PID.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from embedded_acceptance import Server  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/darkroom")
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--sim-gpus", type=int, default=2, help="simulated GPUs per worker")
    parser.add_argument("--sim-seconds", type=float, default=0.5)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--kill-every", type=float, default=5.0)
    parser.add_argument("--pg-stop", type=float, default=5.0, help="seconds PostgreSQL stays stopped; 0: never")
    parser.add_argument("--hung-after", type=float, default=7.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", help="also write the report as JSON to this file")
    return parser.parse_args()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class PrivatePostgres:
    """A PostgreSQL server of the soak's own, on a free loopback port."""

    def __init__(self, directory):
        versions = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
        self.bin = f"/usr/lib/postgresql/{versions[-1]}/bin"
        self.directory = directory
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        shutil.chown(directory, "postgres", "postgres")
        self._run(["initdb", "-D", f"{directory}/data", "-U", "postgres", "-A", "trust", "--no-sync"])
        self.start()

    def _run(self, command):
        command = [f"{self.bin}/{command[0]}"] + command[1:]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self._run(["pg_ctl", "-D", f"{self.directory}/data", "-l", f"{self.directory}/log", "-w", "-o",
                   f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=300", "start"])

    def stop(self):
        self._run(["pg_ctl", "-D", f"{self.directory}/data", "-m", "fast", "-w", "stop"])

    def query(self, sql):
        """Rows of `sql` as lists of strings (psql's unaligned output)."""
        output = subprocess.run(["psql", self.url, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in output.splitlines() if line]


class Member:
    """A gateway or worker that can be killed and started again with the same arguments."""

    def __init__(self, name, command):
        self.name = name
        self.command = command
        self.lock = threading.Lock()
        self.server = Server(command)
        self.server.wait_ready(60)

    def kill_and_restart(self):
        """SIGKILL, start again, and return the seconds until it listens."""
        with self.lock:
            os.kill(self.server.process.pid, signal.SIGKILL)
            self.server.process.wait()
            started = time.time()
            self.server = Server(self.command)
            self.server.wait_ready(60)
            return time.time() - started

    def stop(self):
        with self.lock:
            self.server.stop()


class Soak:
    def __init__(self, args, directory):
        self.args = args
        self.images = os.path.join(directory, "images")
        os.makedirs(os.path.join(directory, "pg"))
        self.postgres = PrivatePostgres(os.path.join(directory, "pg"))
        subprocess.run([args.binary, "migrate", "--database-url", self.postgres.url, "--log-level", "warning"],
                       check=True)
        self.ports = [free_port(), free_port()]
        self.gateways = [Member(f"gateway-{i}", [
            args.binary, "gateway", "--database-url", self.postgres.url, "--host", "127.0.0.1", "--port", str(port),
            "--image-dir", self.images, "--auth", "off"]) for i, port in enumerate(self.ports)]
        self.workers = [Member(f"worker-{i}", self.worker_command(f"w{i}")) for i in range(args.workers)]
        self.lock = threading.Lock()
        self.next_job = 0
        self.finished = 0
        self.accepted = {}           # key -> job id the client was told
        self.answers = []            # (sent at, seconds, status)
        self.restarts = []           # (member name, seconds to listen again)
        self.pg_window = None        # (stopped at, started at)
        self.first_accept_after_pg = None
        self.done = threading.Event()

    def worker_command(self, name, extra=()):
        return [self.args.binary, "worker", "--database-url", self.postgres.url, "--name", name,
                "--sim-gpus", str(self.args.sim_gpus), "--sim-seconds", str(self.args.sim_seconds),
                "--metrics-port", "0", "--image-dir", self.images, *extra]

    def call(self, method, path, index, body=None, key=None):
        """One request to a gateway (chosen by `index`), recorded; returns (status, payload, Retry-After)."""
        base = f"http://127.0.0.1:{self.ports[index % 2]}"
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
        sent = time.time()
        status, payload, retry_after = None, None, None
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            status, retry_after = error.code, error.headers.get("Retry-After")
        except (OSError, ValueError, http.client.HTTPException):
            # Also a body cut short (IncompleteRead): the gateway was killed while it answered.
            status = "no answer"
        with self.lock:
            self.answers.append((sent, time.time() - sent, status))
        return status, payload, retry_after

    def submit(self, index):
        """Submits job `index` until a gateway accepts it (same key each time); returns its id."""
        key = f"soak-{index}"
        body = json.dumps({"prompt": f"soak portrait {index}", "steps": self.args.steps, "seed": index}).encode()
        tries = 0
        while True:
            sent = time.time()
            status, payload, retry_after = self.call("POST", "/v1/jobs", index + tries, body, key)
            tries += 1
            if status in (200, 202):
                with self.lock:
                    self.accepted[key] = payload["id"]
                    window = self.pg_window
                    if window and window[1] and sent >= window[1] and self.first_accept_after_pg is None:
                        self.first_accept_after_pg = time.time() - window[1]
                return payload["id"]
            time.sleep(min(float(retry_after or 0.2), 1.0))

    def follow(self, index, job_id):
        """Reads the job every 0.2 s, through either gateway, until it has ended."""
        reads = 0
        while True:
            status, payload, _ = self.call("GET", f"/v1/jobs/{job_id}", index + reads)
            reads += 1
            if status == 200 and payload["state"] in ("succeeded", "failed", "canceled", "expired"):
                return
            time.sleep(0.2)

    def client(self):
        """A user: submits a job, follows it to its end, then the next, until --jobs are taken."""
        while True:
            with self.lock:
                index = self.next_job
                self.next_job += 1
            if index >= self.args.jobs:
                return
            self.follow(index, self.submit(index))
            with self.lock:
                self.finished += 1

    def chaos(self, rng):
        members = self.gateways + self.workers
        while not self.done.wait(rng.uniform(0.6, 1.4) * self.args.kill_every):
            with self.lock:
                progress = self.finished / self.args.jobs
            if self.args.pg_stop > 0 and self.pg_window is None and progress >= 0.4:
                stopped = time.time()
                self.postgres.stop()
                with self.lock:
                    self.pg_window = (stopped, None)
                time.sleep(self.args.pg_stop)
                self.postgres.start()
                with self.lock:
                    self.pg_window = (stopped, time.time())
                continue
            member = rng.choice(members)
            self.restarts.append((member.name, member.kill_and_restart()))

    def wait_finished(self, timeout=900):
        deadline = time.time() + timeout
        while time.time() < deadline:
            rows = self.postgres.query("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")
            if rows[0][0] == "0":
                return True
            time.sleep(1)
        return False

    def verify_jobs(self):
        problems = []
        rows = self.postgres.query(
            "SELECT idempotency_key, id, state, attempt, lease_lost_count, coalesce(images::text, '[]') FROM jobs")
        by_key = {}
        for key, job_id, state, attempt, lease_lost, images in rows:
            by_key.setdefault(key, []).append((job_id, state, int(attempt), int(lease_lost), json.loads(images)))
        duplicates = sum(1 for jobs in by_key.values() if len(jobs) > 1)
        missing = [key for key in self.accepted if key not in by_key]
        told_other = [key for key, job_id in self.accepted.items() if key in by_key
                      and by_key[key][0][0] != job_id]
        jobs = [job for jobs in by_key.values() for job in jobs]
        not_succeeded = [job for job in jobs if job[1] != "succeeded"]
        bad_images = 0
        for _, _, _, _, images in jobs:
            for image in images:
                path = os.path.join(self.images, image["name"])
                try:
                    with open(path, "rb") as file:
                        data = file.read()
                except OSError:
                    bad_images += 1
                    continue
                if not data.startswith(PNG_SIGNATURE) or hashlib.sha256(data).hexdigest() != image["sha256"]:
                    bad_images += 1
        if duplicates:
            problems.append(f"{duplicates} keys made more than one job")
        if missing:
            problems.append(f"{len(missing)} accepted jobs are not in the database")
        if told_other:
            problems.append(f"{len(told_other)} keys name another job than the client was told")
        if not_succeeded:
            problems.append(f"{len(not_succeeded)} jobs did not succeed: {not_succeeded[:3]}")
        if bad_images:
            problems.append(f"{bad_images} images missing or not matching their SHA-256")
        return problems, {
            "jobs_in_database": len(jobs), "keys": len(by_key), "duplicated_keys": duplicates,
            "lost": len(missing), "not_succeeded": len(not_succeeded), "bad_images": bad_images,
            "run_more_than_once": sum(1 for job in jobs if job[2] > 1),
            "rescued": sum(1 for job in jobs if job[3] > 0),
        }

    def strays(self):
        """Temporary files and images no job refers to."""
        referenced = {image["name"] for row in self.postgres.query("SELECT coalesce(images::text, '[]') FROM jobs")
                      for image in json.loads(row[0])}
        names = os.listdir(self.images) if os.path.isdir(self.images) else []
        temporary = [name for name in names if name.startswith(".dat.nosync")]
        orphans = [name for name in names if name.endswith(".png") and name not in referenced]
        return temporary, orphans

    def sweep(self):
        """Runs one worker with --stray-age 1 (its first sweep runs at start); returns the strays before and after."""
        before = self.strays()
        time.sleep(1.5)
        sweeper = Server(self.worker_command("sweeper", ["--stray-age", "1"]))
        try:
            sweeper.wait_ready(60)
            deadline = time.time() + 60
            after = self.strays()
            while (after[0] or after[1]) and time.time() < deadline:
                time.sleep(0.5)
                after = self.strays()
        finally:
            sweeper.stop()
        return before, after

    def stop(self):
        for member in self.gateways + self.workers:
            member.stop()
        try:
            self.postgres.stop()
        except subprocess.CalledProcessError:
            pass


def report(args, soak, verified, sweep, elapsed):
    answers = soak.answers
    hung = [a for a in answers if a[1] > args.hung_after]
    refused = [a[1] for a in answers if a[2] == 503]
    window = soak.pg_window
    during = [a[1] for a in answers if a[2] == 503 and window and window[1] and window[0] <= a[0] <= window[1]]
    restarts = {}
    for name, seconds in soak.restarts:
        restarts.setdefault(name.split("-")[0], []).append(seconds)
    result = {
        "jobs": args.jobs, "elapsed_seconds": round(elapsed, 1), "kills": len(soak.restarts),
        "postgres_stopped_seconds": args.pg_stop if window else 0,
        "requests": len(answers), "hung_requests": len(hung),
        "answers_by_status": {str(k): sum(1 for a in answers if a[2] == k) for k in {a[2] for a in answers}},
        "503_p50_ms": round(1000 * percentile(refused, 0.5), 1) if refused else None,
        "503_p99_ms": round(1000 * percentile(refused, 0.99), 1) if refused else None,
        "503_during_stop_p99_ms": round(1000 * percentile(during, 0.99), 1) if during else None,
        "first_accept_after_postgres_seconds": round(soak.first_accept_after_pg, 2)
        if soak.first_accept_after_pg is not None else None,
        "restart_to_listening_seconds": {role: {"count": len(v), "median": round(statistics.median(v), 2),
                                                "max": round(max(v), 2)} for role, v in restarts.items()},
        **verified[1],
        "strays_before_sweep": {"temporary": len(sweep[0][0]), "orphan": len(sweep[0][1])},
        "strays_after_sweep": {"temporary": len(sweep[1][0]), "orphan": len(sweep[1][1])},
    }
    problems = list(verified[0])
    if hung:
        problems.append(f"{len(hung)} requests waited over {args.hung_after} s for an answer")
    if sweep[1][0] or sweep[1][1]:
        problems.append(f"strays left after the sweep: {len(sweep[1][0])} temporary, {len(sweep[1][1])} orphan")
    result["problems"] = problems
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump(result, file, indent=2)
    return problems


def main():
    args = parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not an executable; build it with `swift build` or pass --binary")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="darkroom-soak-") as directory:
        os.chmod(directory, 0o755)
        soak = Soak(args, directory)
        try:
            started = time.time()
            chaos = threading.Thread(target=soak.chaos, args=(rng,), daemon=True)
            chaos.start()
            clients = [threading.Thread(target=soak.client) for _ in range(args.clients)]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            soak.done.set()
            chaos.join()
            if not soak.wait_finished():
                print("jobs still queued or running after 15 minutes", file=sys.stderr)
            elapsed = time.time() - started
            verified = soak.verify_jobs()
            for member in soak.gateways + soak.workers:
                member.stop()
            sweep = soak.sweep()
            problems = report(args, soak, verified, sweep, elapsed)
        finally:
            soak.stop()
    if problems:
        print("FAILED: " + "; ".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
