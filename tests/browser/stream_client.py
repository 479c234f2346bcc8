"""A reader's connection to a Streamlit server without a browser: the websocket the page opens, the rerun
messages it sends and the end of a run it waits for. Used by the tests of the server's limits and by
bench/flood.py, which floods a server with reruns and times another reader's.

The frontend opens `/_stcore/stream` offering the subprotocols `streamlit` and a token (the XSRF token, or a
placeholder when it has none); the server picks `streamlit`. It then asks for a run with a `rerun_script`
BackMsg carrying the page's address and widget values, and the server answers with ForwardMsgs: a
`new_session` when a run starts and a `script_finished` when it ends. A client that stops reading would be
disconnected once the server's send queue fills, which would end a flood early, so every message is read
(and only counted) on a task of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

STREAM_PATH = "/_stcore/stream"
# What the frontend offers when it has no XSRF token yet; a valid token matters only for signed-in users.
SUBPROTOCOLS = ("streamlit", "PLACEHOLDER_AUTH_TOKEN")


def rerun_message(query_string: str = "", page_name: str = "") -> bytes:
    """A rerun request as the page sends it, with no widget values: the default page when `page_name` is ''."""
    message = BackMsg()
    message.rerun_script.query_string = query_string
    message.rerun_script.page_name = page_name
    return message.SerializeToString()


class StreamClient:
    """One session's websocket: sends reruns, counts the runs the server starts and finishes."""

    def __init__(self, websocket: ClientConnection) -> None:
        self._websocket = websocket
        self.session_id: str | None = None
        self.runs_started = 0
        self.runs_finished = 0  # ended successfully, not stopped early for a newer rerun
        self.closed = False
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    @asynccontextmanager
    async def open(cls, base_url: str) -> AsyncIterator[StreamClient]:
        """Connect to the server at `base_url` (http://host:port) as a new session."""
        address = "ws" + base_url.removeprefix("http") + STREAM_PATH
        # No keepalive pings: a flooded server can be too busy to answer one for minutes, and a browser would
        # wait for it too.
        async with connect(
            address, origin=base_url, subprotocols=SUBPROTOCOLS, max_size=None, ping_interval=None
        ) as websocket:
            client = cls(websocket)
            try:
                yield client
            finally:
                client._reader.cancel()
                # Dropped, not closed: a flooded server may take minutes to read as far as a closing handshake.
                websocket.transport.abort()

    async def _read(self) -> None:
        try:
            async for data in self._websocket:
                self._count(data)
                async with self._changed:
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            self.closed = True
            async with self._changed:
                self._changed.notify_all()

    def _count(self, data: bytes) -> None:
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.runs_started += 1
            self.session_id = message.new_session.initialize.session_id or self.session_id
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.runs_finished += 1

    async def wait_until(self, condition: Callable[[], bool], timeout_s: float) -> bool:
        """Wait until `condition` holds (True) or the connection closes or `timeout_s` runs out (False)."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: condition() or self.closed), timeout_s)
            except TimeoutError:
                return False
        return condition()

    async def send_rerun(self, query_string: str = "", page_name: str = "") -> None:
        await self._websocket.send(rerun_message(query_string, page_name))

    async def rerun(self, timeout_s: float, query_string: str = "", page_name: str = "") -> float | None:
        """Ask for a run and wait for it to finish: the seconds it took, or None if it did not in time."""
        finished, began = self.runs_finished, time.monotonic()
        await self.send_rerun(query_string, page_name)
        if await self.wait_until(lambda: self.runs_finished > finished, timeout_s):
            return time.monotonic() - began
        return None

    async def flood(self, reruns: int) -> None:
        """Send `reruns` rerun requests as fast as the connection takes them."""
        message = rerun_message()
        for _ in range(reruns):
            await self._websocket.send(message)
