"""A tiny loopback reverse proxy for CI stage 4 (.ci/run): stands in for deploy/nginx.conf.

    python tests/accounts/ci_loopback_proxy.py LISTEN_HOST:PORT UPSTREAM_HOST:PORT

Forwards every request to the upstream and appends the client's address to X-Forwarded-For as
nginx's $proxy_add_x_forwarded_for does. All CI clients are on loopback, so a request may name the
address the proxy should pretend to have seen in an `X-CI-Client` header (dropped before
forwarding); without it the real peer address is used. Standard library only.
"""
import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "content-length", "x-ci-client",
}


def _split(address: str) -> tuple[str, int]:
    host, _sep, port = address.rpartition(":")
    return host, int(port)


class Proxy(BaseHTTPRequestHandler):
    upstream: tuple[str, int]
    protocol_version = "HTTP/1.1"

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        client = (self.headers.get("X-CI-Client") or self.client_address[0]).strip()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"x-forwarded-for"}}
        forwarded = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except OSError:
                self.send_error(502, "upstream unreachable")
                return
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        finally:
            connection.close()

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def main(listen: str, upstream: str) -> None:
    Proxy.upstream = _split(upstream)
    server = ThreadingHTTPServer(_split(listen), Proxy)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:3])
