"""Drives `darkroom serve --auth on` through the real `webuiapi` client with HTTP basic auth, as A1111 scripts
do against a WebUI started with --api-auth, and prints a JSON report.

Usage: webuiapi_auth.py BASE_URL TENANT KEY

IntegrationTests/TenantCommandsTests.swift checks the report.
"""

import json
import sys
from urllib.parse import urlparse

import requests
import webuiapi

base, tenant, key = sys.argv[1], sys.argv[2], sys.argv[3]
address = urlparse(base)
report = {}

anonymous = requests.get(f"{base}/sdapi/v1/sd-models", timeout=30)
report["anonymous_status"] = anonymous.status_code
report["anonymous_challenge"] = anonymous.headers.get("WWW-Authenticate")

api = webuiapi.WebUIApi(host=address.hostname, port=address.port)
api.set_auth(tenant, key)
result = api.txt2img(prompt="a portrait", width=512, height=512, steps=4, seed=7)
report["images"] = len(result.images)
report["size"] = list(result.image.size)
report["seed"] = result.info.get("seed")
report["models"] = [model["model_name"] for model in api.get_sd_models()]
report["progress_state"] = api.get_progress()["state"]["job_count"]

wrong = webuiapi.WebUIApi(host=address.hostname, port=address.port)
wrong.set_auth("someone-else", key)
refused = requests.get(f"{base}/sdapi/v1/sd-models", auth=("someone-else", key), timeout=30)
report["wrong_user_status"] = refused.status_code

print(json.dumps(report))
