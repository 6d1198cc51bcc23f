"""uvicorn's HTTP protocol, with the archive's security headers on its own error answers.

uvicorn answers a request it cannot parse (a malformed request line, headers over its size
limit) itself, before the app sees it, with a bare `400`. `SecureH11Protocol` is uvicorn's h11
protocol with those answers carrying the same security headers as every app response; the CLI
serves through it (`peel-web serve`, `uvicorn.run(http=SecureH11Protocol)`).
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from webapp.headers import SECURITY_HEADERS


class SecureH11Protocol(H11Protocol):
    """uvicorn's h11 protocol; its own 400 answers carry the security headers."""

    def send_400_response(self, msg: str) -> None:
        body = msg.encode("ascii", "replace")
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
            *((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
        ]
        try:
            output = self.conn.send(h11.Response(status_code=400, headers=headers,
                                                 reason=b"Bad Request"))
            output += self.conn.send(h11.Data(data=body))
            output += self.conn.send(h11.EndOfMessage())
        except h11.LocalProtocolError:
            # h11 refuses to answer in some broken states: write the answer by hand.
            head = b"".join(k + b": " + v + b"\r\n" for k, v in headers)
            output = b"HTTP/1.1 400 Bad Request\r\n" + head + b"\r\n" + body
        self.transport.write(output)
        self.transport.close()
