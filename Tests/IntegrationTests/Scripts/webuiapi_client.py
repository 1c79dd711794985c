"""Drives `darkroom serve` through the real `webuiapi` client from PyPI, unchanged, and prints a JSON report.

Usage: webuiapi_client.py BASE_URL CALLERS

Parts: the client's txt2img, get_progress, interrupt, get_sd_models, get_loras, get_options and
set_options; CALLERS concurrent txt2img callers (one client each); progress and interrupt of a long job;
a caller that hangs up while its job is queued, and one that hangs up while its job runs.
IntegrationTests/WebUIClientTests.swift checks the report.
"""

import json
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


def jobs(state):
    return requests.get(f"{base}/v1/jobs", params={"state": state, "limit": 500}, timeout=10).json()["jobs"]


def wait_for(what, predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(what)


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
running = wait_for("the long job reports progress",
                   lambda: (lambda p: p if p["state"]["job_count"] == 1 and p["state"]["sampling_step"] > 0 else None)(
                       api.get_progress()))
report["running_progress"] = running
report["interrupt"] = api.interrupt()
thread.join(timeout=60)
report["interrupted_images"] = len(long_result["result"].images) if "result" in long_result else None
report["interrupted_job_state"] = requests.get(f"{base}/v1/jobs/{running['current_task']}", timeout=10).json()["state"]

# 4. A caller that hangs up while its job is queued cancels it. Both GPUs are kept busy by two long calls.
blockers = [threading.Thread(target=lambda: client().txt2img(prompt="blocker", steps=100)) for _ in range(2)]
for blocker in blockers:
    blocker.start()
wait_for("both GPUs are busy", lambda: len(jobs("running")) == 2)
body = json.dumps({"prompt": "a caller that hangs up"}).encode()
connection = socket.create_connection((address.hostname, address.port))
connection.sendall(b"POST /sdapi/v1/txt2img HTTP/1.1\r\nHost: darkroom\r\nContent-Type: application/json\r\n"
                   + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
queued = wait_for("the hung-up caller's job is queued", lambda: jobs("queued"))
connection.close()
hung_up = queued[0]["id"]
report["hung_up_state"] = wait_for(
    "the hung-up caller's job is canceled",
    lambda: (lambda state: state if state != "queued" else None)(
        requests.get(f"{base}/v1/jobs/{hung_up}", timeout=10).json()["state"]))
for job in jobs("running"):
    requests.post(f"{base}/v1/jobs/{job['id']}/cancel", timeout=10)
for blocker in blockers:
    blocker.join(timeout=60)

# 5. A caller that hangs up while its job runs does not stop it: the job finishes and keeps its image.
body = json.dumps({"prompt": "a running job whose caller hangs up", "steps": 24}).encode()
connection = socket.create_connection((address.hostname, address.port))
connection.sendall(b"POST /sdapi/v1/txt2img HTTP/1.1\r\nHost: darkroom\r\nContent-Type: application/json\r\n"
                   + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
running_job = wait_for("the job runs", lambda: jobs("running"))[0]["id"]
connection.close()
report["hung_up_running_state"] = wait_for(
    "the job of the caller that hung up ends",
    lambda: (lambda state: state if state not in ("queued", "running") else None)(
        requests.get(f"{base}/v1/jobs/{running_job}", timeout=10).json()["state"]))

print(json.dumps(report))
