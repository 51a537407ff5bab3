"""`serve`: a local preview of output/ that answers like a static host (language 404 pages)."""

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class StaticSiteHandler(SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):
        if code == 404:
            lang = self.path.strip("/").split("/", 1)[0]
            page = Path(self.directory) / lang / "404.html"
            page = page if lang and page.is_file() else Path(self.directory) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # quiet: the preview prints its own summary
        pass


def make_server(output_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(StaticSiteHandler, directory=str(output_dir))
    return ThreadingHTTPServer((host, port), handler)
