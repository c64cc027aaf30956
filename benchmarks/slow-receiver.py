#!/usr/bin/env python3
"""Slow callback receiver for benchmarks/callback-isolation.sh: every POST is read and then held open HOLD seconds
before a 200. GET /stats answers {"received": n, "open": n} so the script can wait for deliveries to be in flight.
Usage: slow-receiver.py PORT HOLD_SECONDS"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, hold = int(sys.argv[1]), float(sys.argv[2])
lock = threading.Lock()
stats = {"received": 0, "open": 0}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            stats["received"] += 1
            stats["open"] += 1
        try:
            time.sleep(hold)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the sender gave up (its timeout); nothing to answer
        finally:
            with lock:
                stats["open"] -= 1

    def do_GET(self):
        with lock:
            body = json.dumps(stats).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
