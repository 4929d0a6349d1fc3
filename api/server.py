"""Running the app under uvicorn: in the foreground (``policykg serve``) or in a
background thread on a free local port (tests, benchmarks, notebooks)::

    with KnowledgeGraph("store") as kg, BackgroundServer(create_app(kg)) as server:
        httpx.get(server.url + "/sparql", params={"query": "ASK {}"})
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn


def serve(app, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
          access_log: bool = True) -> None:
    """Serve ``app`` until interrupted."""
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=access_log, lifespan="on",
                timeout_graceful_shutdown=5)


class BackgroundServer:
    """uvicorn in a daemon thread; ``url`` is ``http://127.0.0.1:PORT`` once entered."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, log_level: str = "warning",
                 startup_timeout: float = 60.0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> "BackgroundServer":
        # proto=IPPROTO_TCP, so asyncio sets TCP_NODELAY on the connections (else Nagle + delayed ACK
        # add 40 ms to every response)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        config = uvicorn.Config(self.app, log_level=self.log_level, access_log=False, lifespan="on",
                                timeout_graceful_shutdown=5)
        self._server = uvicorn.Server(config)

        def run() -> None:
            try:
                self._server.run(sockets=[sock])
            except BaseException as e:  # noqa: BLE001 - reported to the caller below
                self._error = e
            finally:
                sock.close()

        self._thread = threading.Thread(target=run, name=f"uvicorn-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the API server did not start on {self.url}"
                                   + (f": {self._error!r}" if self._error else ""))
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=20)

    def __exit__(self, *exc) -> None:
        self.stop()
