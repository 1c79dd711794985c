"""Drives `darkroom serve` through the real `webuiapi` client from PyPI, unchanged, and prints a JSON report.

Usage: webuiapi_client.py BASE_URL CALLERS

Parts: the client's txt2img, get_progress, interrupt, get_sd_models, get_loras, get_options and
set_options; CALLERS concurrent txt2img callers (one client each); progress and interrupt of a long job;
a caller that hangs up while its job is queued, and one that hangs up while its job runs.
IntegrationTests/WebUIClientTests.swift checks the report.
"""

import json
import queue
import socket
import sys
import threading
import time
from urllib.parse import urlparse

import requests
import webuiapi

base = sys.argv[1]
callers = int(sys.argv[2])
address = urlparse(base)
report = {}


def client():
    return webuiapi.WebUIApi(host=address.hostname, port=address.port)


class QueueEvents:
    """Darkroom's event stream of the whole queue (/v1/queue/events), read on a thread, so every wait below
    waits for the event it needs instead of polling. Subscribed once the response headers arrive."""

    def __init__(self):
        self.events = queue.Queue()
        self.response = requests.get(f"{base}/v1/queue/events", stream=True, timeout=(10, None))
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        name, data = None, []
        for line in self.response.iter_lines(decode_unicode=True):
            if line == "" and data:
                self.events.put((name, json.loads("\n".join(data))))
                name, data = None, []
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())

    def wait_for(self, what, predicate, seconds=60):
        """The first event, from here on, whose (name, data) satisfies predicate."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                name, data = self.events.get(timeout=max(0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(what) from None
            if predicate(name, data):
                return data

    def job_entering(self, what, prompt, state):
        """The job with this prompt, when it enters state."""
        return self.wait_for(what, lambda name, job: name == "state" and job["request"]["prompt"] == prompt
                             and job["state"] == state)

    def end_of(self, what, job_id, leaving):
        """The state job_id enters next, other than those in leaving."""
        return self.wait_for(what, lambda name, job: name == "state" and job["id"] == job_id
                             and job["state"] not in leaving)["state"]


def hang_up_after(job_state, prompt, steps):
    """Sends a txt2img call on a raw connection and closes it once its job enters job_state; the job's id."""
    body = json.dumps({"prompt": prompt, "steps": steps}).encode()
    connection = socket.create_connection((address.hostname, address.port))
    connection.sendall(b"POST /sdapi/v1/txt2img HTTP/1.1\r\nHost: darkroom\r\nContent-Type: application/json\r\n"
                       + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    job = events.job_entering(f"the job of '{prompt}' is {job_state}", prompt, job_state)
    connection.close()
    return job["id"]


events = QueueEvents()

# 1. The calls a WebUI script makes, unchanged.
api = client()
result = api.txt2img(prompt="a portrait <lora:AWPortrait-Z:1>", width=1024, height=1024, steps=8)
report["single"] = {
    "images": len(result.images),
    "size": list(result.image.size),
    "seed": result.info["seed"],
    "all_seeds": result.info["all_seeds"],
    "infotext": result.info["infotexts"][0],
    "parameters_prompt": result.parameters["prompt"],
}
report["models"] = [model["model_name"] for model in api.get_sd_models()]
report["loras"] = [lora["name"] for lora in api.get_loras()]
report["options_model"] = api.get_options()["sd_model_checkpoint"]
api.set_options({"sd_model_checkpoint": report["models"][0]})
report["idle_progress"] = api.get_progress()
report["idle_interrupt"] = api.interrupt()

# 2. Many synchronous callers at once, each with its own client.
sizes, errors = [], []
lock = threading.Lock()


def call(index):
    try:
        image = client().txt2img(prompt=f"portrait {index}", width=1024, height=1024, steps=8).image
        with lock:
            sizes.append(list(image.size))
    except Exception as error:  # noqa: BLE001 - every failure is reported, none is fatal
        with lock:
            errors.append(repr(error))


started = time.monotonic()
threads = [threading.Thread(target=call, args=(index,)) for index in range(callers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
report["concurrent"] = {"ok": len(sizes), "errors": errors, "sizes_ok": all(size == [1024, 1024] for size in sizes),
                        "seconds": time.monotonic() - started}

# 3. Progress of a long job, then interrupt: the call returns with the images made so far (none).
long_result = {}


def long_call():
    long_result["result"] = client().txt2img(prompt="long portrait", width=1024, height=1024, steps=100)


thread = threading.Thread(target=long_call)
thread.start()
long_job = events.job_entering("the long job runs", "long portrait", "running")["id"]
events.wait_for("the long job advances", lambda name, data: name == "progress" and data["id"] == long_job)
report["running_progress"] = api.get_progress()
report["interrupt"] = api.interrupt()
thread.join(timeout=60)
report["interrupted_images"] = len(long_result["result"].images) if "result" in long_result else None
report["interrupted_job_state"] = requests.get(f"{base}/v1/jobs/{long_job}", timeout=10).json()["state"]

# 4. A caller that hangs up while its job is queued cancels it. Both GPUs are kept busy by two calls that would
# run 25 s each (2048×2048, 100 steps): far longer than a hang-up takes to be noticed, even on a loaded machine.
blockers = [threading.Thread(target=lambda: client().txt2img(prompt="blocker", width=2048, height=2048, steps=100))
            for _ in range(2)]
for blocker in blockers:
    blocker.start()
busy = [events.job_entering("a GPU is busy", "blocker", "running")["id"] for _ in blockers]
hung_up = hang_up_after("queued", "a caller that hangs up", 8)
report["hung_up_state"] = events.end_of("the hung-up caller's job ends", hung_up, leaving=["queued"])
for job_id in busy:
    requests.post(f"{base}/v1/jobs/{job_id}/cancel", timeout=10)
for blocker in blockers:
    blocker.join(timeout=60)

# 5. A caller that hangs up while its job runs does not stop it: the job finishes and keeps its image.
running_job = hang_up_after("running", "a running job whose caller hangs up", 24)
report["hung_up_running_state"] = events.end_of("the job ends", running_job, leaving=["queued", "running"])

print(json.dumps(report))
