"""A small HTTP/1.1 load generator over TLS, for the fault tests (no wrk on a fresh machine).

`Load(site, paths, connections).run(seconds)` or, around a fault, `with Load(...) as load:`
opens `connections` keep-alive connections to nginx and sends GETs for `paths` in turn
on each until stopped, and records every outcome: the status codes, and any connection
that was refused, reset or timed out.

Like a browser (RFC 9112, 9.3.1), a GET sent on a reused keep-alive connection that the
server closed before answering a single byte is sent again once on a new connection:
that is how every client treats an idle connection closed at the wrong moment, and not
an error a reader sees. Anything else is recorded as it happened.
"""

import asyncio
import collections
import ssl
import threading
import time
from urllib.parse import urlsplit


class Load:
    def __init__(self, site, paths, connections=20, base=None, timeout=30.0, connect_timeout=30.0):
        self.base = urlsplit(base or site.url)
        self.paths = list(paths)
        self.connections = connections
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self.context = ssl.create_default_context(cafile=site.ca_file)
        self.outcomes = collections.Counter()
        self.by_path = collections.Counter()  # (path, status)
        self.errors = []  # (kind, detail) of the first few errors, for the assertion message
        self.stop = threading.Event()
        self.thread = None

    # -- running ---------------------------------------------------------------------------

    def run(self, seconds=None, requests_per_connection=None):
        asyncio.run(self._main(seconds, requests_per_connection))
        return self

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=120)

    def wait_for_requests(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while self.total < count and time.monotonic() < deadline:
            time.sleep(0.05)

    # -- results ---------------------------------------------------------------------------

    @property
    def total(self):
        return sum(self.outcomes.values())

    def statuses(self):
        return {k: v for k, v in self.outcomes.items() if isinstance(k, int)}

    def failures(self):
        """Everything a reader would call an error: 5xx answers, refused/reset/timed-out connections,
        answers cut short."""
        return {k: v for k, v in self.outcomes.items() if not isinstance(k, int) or k >= 500}

    # -- the work --------------------------------------------------------------------------

    async def _main(self, seconds, per_connection):
        deadline = None if seconds is None else time.monotonic() + seconds
        await asyncio.gather(*(self._connection(i, deadline, per_connection) for i in range(self.connections)))

    async def _open(self):
        return await asyncio.wait_for(
            asyncio.open_connection(
                self.base.hostname, self.base.port, ssl=self.context, server_hostname=self.base.hostname
            ),
            self.connect_timeout,
        )

    def _record(self, kind, detail=""):
        self.outcomes[kind] += 1
        if not isinstance(kind, int) or kind >= 500:
            if len(self.errors) < 10:
                self.errors.append((kind, detail))

    async def _connection(self, index, deadline, per_connection):
        streams = None
        sent = 0
        while not self.stop.is_set() and (deadline is None or time.monotonic() < deadline):
            if per_connection is not None and sent >= per_connection:
                break
            path = self.paths[(index + sent) % len(self.paths)]
            sent += 1
            for attempt in (1, 2):
                reused = streams is not None
                try:
                    if streams is None:
                        streams = await self._open()
                    status, keep = await asyncio.wait_for(self._get(*streams, path), self.timeout)
                except _Truncated as truncated:
                    await self._close(streams)
                    streams = None
                    self._record("truncated", f"{path}: {truncated}")
                    self.by_path[path, "truncated"] += 1
                except _ClosedBeforeAnswer as closed:
                    await self._close(streams)
                    streams = None
                    if reused and attempt == 1:
                        continue  # an idle keep-alive connection closed under us: once more, new connection
                    self._record("closed", str(closed))
                except ConnectionRefusedError as error:
                    self._record("refused", str(error))
                except (ConnectionResetError, BrokenPipeError, ssl.SSLError, asyncio.IncompleteReadError) as error:
                    await self._close(streams)
                    streams = None
                    self._record("reset", f"{type(error).__name__}: {error}")
                except TimeoutError:
                    await self._close(streams)
                    streams = None
                    self._record("timeout", path)
                except OSError as error:
                    await self._close(streams)
                    streams = None
                    self._record("oserror", f"{type(error).__name__}: {error}")
                except Exception as error:  # noqa: BLE001 - recorded, never the end of the run
                    await self._close(streams)
                    streams = None
                    self._record("broken", f"{type(error).__name__}: {error}")
                else:
                    self._record(status, path)
                    self.by_path[path, status] += 1
                    if not keep:
                        await self._close(streams)
                        streams = None
                break
        await self._close(streams)

    async def _close(self, streams):
        if streams is None:
            return
        writer = streams[1]
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 2)
        except (OSError, ssl.SSLError, TimeoutError):
            pass

    async def _get(self, reader, writer, path):
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.base.hostname}\r\nUser-Agent: gwangju-fault-test\r\n"
            "Accept-Encoding: identity\r\n\r\n".encode()
        )
        try:
            await writer.drain()
            line = await reader.readline()
        except (ConnectionResetError, BrokenPipeError) as error:
            raise _ClosedBeforeAnswer(str(error)) from None
        if not line:
            raise _ClosedBeforeAnswer("EOF before the status line")
        status = int(line.split()[1])
        headers = {}
        while True:
            header = await reader.readline()
            if header in (b"\r\n", b"\n"):
                break
            if not header:
                raise asyncio.IncompleteReadError(b"", None)
            name, _, value = header.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        try:
            if "content-length" in headers:
                await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await reader.readline()).split(b";")[0], 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
        except (asyncio.IncompleteReadError, ValueError, ConnectionResetError) as error:
            # The status line came, the whole body did not: what a reader sees as a broken page.
            raise _Truncated(f"status {status}, body cut short ({type(error).__name__})") from None
        keep = headers.get("connection", "").lower() != "close"
        return status, keep


class _ClosedBeforeAnswer(Exception):
    pass


class _Truncated(Exception):
    pass
