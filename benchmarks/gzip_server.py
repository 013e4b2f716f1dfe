"""Serve a built book as a real host does: text responses gzip-compressed.

``python -m http.server`` sends every file uncompressed, which makes a page weigh about three
times what a reader downloads from any web host. The standard library has no compressing
server, so this handler adds ``Content-Encoding: gzip`` to the static server's text responses.
Used by ``benchmarks/lighthouse.sh`` and by the transfer budget test (``tests/test_budget.py``).

    python benchmarks/gzip_server.py HTML_DIR PORT
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import sys
import threading

# Types hosts compress; images other than SVG, fonts in WOFF2 and PDFs are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


@functools.lru_cache(maxsize=512)
def _compressed(path: str, modified: float) -> bytes:
    with open(path, "rb") as file:
        return gzip.compress(file.read(), compresslevel=6)  # the usual default of web servers


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        if not (
            os.path.isfile(path) and kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            return super().do_GET()
        body = _compressed(path, os.path.getmtime(path))
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


def server(directory: str, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1 (port 0: any free port)."""
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=directory))


def start(directory: str) -> http.server.ThreadingHTTPServer:
    """Serve ``directory`` from a background thread; ``shutdown()`` then ``server_close()`` stop it."""
    running = server(directory)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    return running


if __name__ == "__main__":
    server(sys.argv[1], int(sys.argv[2])).serve_forever()
