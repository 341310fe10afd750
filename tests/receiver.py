"""A local webhook receiver for tests: answers each request from a script of responses and records what
it received, so a test can check signatures, retries and exactly-once delivery."""

import http.server
import json
import threading
from collections import defaultdict


class Receiver:
    def __init__(self, failures_per_message: int = 0, status: int = 500, headers: dict | None = None):
        self.failures_per_message = failures_per_message
        self.failure_status = status
        self.failure_headers = headers or {}
        self.requests: list[dict] = []
        self.seen = defaultdict(int)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.lock:
                    message_id = headers.get("webhook-id", "")
                    receiver.seen[message_id] += 1
                    fail = receiver.seen[message_id] <= receiver.failures_per_message
                    status = receiver.failure_status if fail else 200
                    receiver.requests.append(
                        {"path": self.path, "headers": headers, "body": body, "status": status}
                    )
                self.send_response(status)
                for name, value in (receiver.failure_headers if fail else {}).items():
                    self.send_header(name, value)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def accepted(self, path: str | None = None) -> list[dict]:
        return [r for r in self.requests if r["status"] == 200 and (path is None or r["path"] == path)]

    def events(self, path: str | None = None) -> list[dict]:
        return [json.loads(r["body"]) for r in self.accepted(path)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
