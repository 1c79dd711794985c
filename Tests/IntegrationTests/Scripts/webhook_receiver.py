"""A webhook receiver that checks Standard Webhooks signatures on its own, with Python's hmac module.

Usage: webhook_receiver.py PORT_FILE SECRET FAILURES [SUCCESSES]

It listens on 127.0.0.1 (a free port, written to PORT_FILE), answers the first FAILURES requests with 500 and
the rest with 204, prints one JSON line per request, and exits after SUCCESSES successes (default 1) or 60 s.
IntegrationTests/WebhookDeliveryTests.swift and MetricsUnderLoadTests.swift read the lines.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, secret, failures = sys.argv[1], sys.argv[2], int(sys.argv[3])
successes = int(sys.argv[4]) if len(sys.argv) > 4 else 1
key = base64.b64decode(secret.removeprefix("whsec_")) if secret.startswith("whsec_") else secret.encode()
seen = []
lock = threading.Lock()


def signature_valid(headers, body):
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [part.split(",", 1)[1] for part in headers.get("webhook-signature", "").split() if part.startswith("v1,")]
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            status = 500 if len(seen) < failures else 204
            seen.append(status)
        payload = json.loads(body)
        line = json.dumps({
            "id": self.headers.get("webhook-id"),
            "timestamp": self.headers.get("webhook-timestamp"),
            "signature_valid": signature_valid(self.headers, body),
            "status": status,
            "type": payload["type"],
            "job_id": payload["data"]["id"],
            "job_state": payload["data"]["state"],
        })
        # One whole line at a time: print's text and its newline are two writes, which requests answered on
        # other threads at the same moment could come between.
        with lock:
            print(line, flush=True)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
        if seen.count(204) == successes:
            threading.Thread(target=self.server.shutdown).start()

    def log_message(self, *arguments):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(port_file + ".tmp", "w") as file:
    file.write(str(server.server_address[1]))
# The rename makes the port file appear whole.
os.rename(port_file + ".tmp", port_file)
# A hang guard: the callers' jobs finish well within it (MetricsUnderLoadTests' last webhook comes after ~80 s).
deadline = threading.Timer(240, server.shutdown)
deadline.daemon = True
deadline.start()
server.serve_forever()
