"""Unit tests for the server's limits (sinosoviet.ui.server_guard): upload budgets, the rerun limiter, and the
requests answered before Streamlit's routes. tests/browser/test_hardening.py tries them on a real server."""

from __future__ import annotations

import asyncio
import tomllib

import pytest
from starlette.exceptions import HTTPException
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from sinosoviet.ui.server_guard import (
    MB,
    MESSAGE_BURST,
    RerunLimiter,
    TokenBucket,
    budget_uploads,
    dropped_query,
    limit_messages,
    note_dropped_query,
    query_is_dropped,
    refusal_for,
    server_upload_budget,
    session_upload_budget,
    upload_refusal,
)
from tests.conftest import REPO_ROOT, run_async

LIMIT_MB = 20


# -- Uploads --------------------------------------------------------------------------------------------------


def test_a_session_may_hold_one_file_of_the_limit_and_a_little():
    """Test that the session's budget is one file at the server's limit plus one megabyte, and the server's
    ten sessions' worth."""
    assert session_upload_budget(LIMIT_MB) == 21 * MB
    assert server_upload_budget(LIMIT_MB) == 210 * MB
    assert upload_refusal(0, 0, LIMIT_MB * MB, LIMIT_MB) is None
    assert upload_refusal(LIMIT_MB * MB, LIMIT_MB * MB, MB, LIMIT_MB) is None


def test_a_second_full_size_file_in_a_session_is_refused_with_413():
    """Test that a file taking its session past its budget is refused as too large, saying what to do."""
    refusal = upload_refusal(19 * MB, 19 * MB, 19 * MB, LIMIT_MB)
    assert refusal.status_code == 413
    assert "may hold at most 21 MB" in refusal.detail
    assert "remove a file" in refusal.detail


def test_a_full_server_refuses_with_503_and_says_when_to_try_again():
    """Test that a file taking the server past its budget is refused as temporarily unavailable, with a
    Retry-After, even when its own session holds nothing."""
    refusal = upload_refusal(0, 200 * MB, 15 * MB, LIMIT_MB)
    assert refusal.status_code == 503
    assert int(refusal.headers["Retry-After"]) > 0
    assert "Try again in a few minutes" in refusal.detail


def _file(file_id: str, size: int) -> UploadedFileRec:
    return UploadedFileRec(file_id, f"{file_id}.csv", "text/csv", b"x" * size)


def test_the_budget_counts_what_a_session_stores_and_forgets_what_it_removed():
    """Test that Streamlit's own upload store, budgeted, takes a replacement once the old file is removed (as
    the page's uploader does), refuses a file beside it, and counts a file sent again under its id once."""
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    budget_uploads(manager)
    manager.add_file("reader", _file("first", 15 * MB))
    with pytest.raises(HTTPException) as refused:
        manager.add_file("reader", _file("second", 15 * MB))
    assert refused.value.status_code == 413
    manager.add_file("reader", _file("first", 16 * MB))  # the same file again, as a retry sends it
    manager.remove_file("reader", "first")
    manager.add_file("reader", _file("second", 15 * MB))
    assert [file.file_id for file in manager.get_files("reader", ["first", "second"])] == ["second"]


# -- Reruns ---------------------------------------------------------------------------------------------------


def test_the_token_bucket_lets_a_burst_through_then_a_steady_rate():
    """Test that the bucket grants `capacity` requests at once, none more until it refills at `per_s`."""
    bucket = TokenBucket(capacity=3, per_s=2, tokens=3, updated=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.wait_s(0.0) == pytest.approx(0.5)
    assert bucket.take(0.5)
    assert not bucket.take(0.5)
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]  # never more than its capacity


class Client:
    """Stands in for a websocket client, which the limiter follows by weak reference."""


def _rerun() -> BackMsg:
    message = BackMsg()
    message.rerun_script.query_string = ""
    return message


def test_a_flood_of_reruns_reaches_streamlit_as_its_burst_and_then_one_batch():
    """Test that 1,000 reruns sent at once pass as the burst, then the rest (the newest, past the cap) are
    handed on together once the bucket refills, in the order sent; other messages are never held."""
    handed_on: list[tuple[int, str]] = []
    turns = [0]  # how many times the event loop has come round: messages handed on in one go share a turn

    def count_turns() -> None:
        turns[0] += 1
        asyncio.get_running_loop().call_soon(count_turns)

    def handle_backmsg(session_id: str, message: BackMsg, client: object | None = None) -> None:
        handed_on.append((turns[0], message.WhichOneof("type")))

    async def flood():
        count_turns()
        limiter, client = RerunLimiter(handle_backmsg, burst=5, per_s=20), Client()
        for _ in range(1_000):
            limiter("session", _rerun(), client=client)
        heartbeat = BackMsg(app_heartbeat=True)
        limiter("session", heartbeat, client=client)
        assert [kind for _, kind in handed_on] == ["rerun_script"] * 5 + ["app_heartbeat"]
        await asyncio.sleep(0.2)

    run_async(flood())
    reruns = [turn for turn, kind in handed_on if kind == "rerun_script"]
    assert len(reruns) == 5 + 64  # the burst, then the 64 newest held
    assert len(set(reruns[5:])) == 1, "the held reruns go on together"
    assert reruns[5] > reruns[0], "the held reruns wait for the bucket"


def test_each_connection_has_its_own_bucket():
    """Test that one client's flood does not hold back another's reruns."""
    handed_on: list[object] = []

    async def two_clients():
        limiter = RerunLimiter(lambda session_id, message, client=None: handed_on.append(client), burst=2)
        flooder, reader = Client(), Client()
        for _ in range(50):
            limiter("flooder", _rerun(), client=flooder)
        limiter("reader", _rerun(), client=reader)
        assert handed_on.count(reader) == 1

    run_async(two_clients())


def _websocket_messages(count: int):
    """An ASGI `receive` that gives a websocket's connect, then `count` messages from its client."""
    messages = iter([{"type": "websocket.connect"}] + [{"type": "websocket.receive", "bytes": b"m"}] * count)

    async def receive() -> dict:
        return next(messages)

    return receive


def test_a_websocket_sending_past_its_limit_is_ended_before_streamlit_reads_more():
    """Test that past `MESSAGE_BURST` messages at once the app is told its client has gone (and so reads no
    more, and the server drops the connection)."""
    limited = limit_messages(_websocket_messages(MESSAGE_BURST + 5), clock=lambda: 0.0)

    async def read(count: int) -> list[str]:
        return [(await limited())["type"] for _ in range(count)]

    kinds = run_async(read(MESSAGE_BURST + 2))
    assert kinds == ["websocket.connect"] + ["websocket.receive"] * MESSAGE_BURST + ["websocket.disconnect"]


def test_a_page_sending_a_few_messages_a_second_is_never_cut_off():
    """Test that ten messages a second, for longer than the burst lasts, all reach the app."""
    now = [0.0]

    def clock() -> float:
        now[0] += 0.1
        return now[0]

    limited = limit_messages(_websocket_messages(3 * MESSAGE_BURST), clock=clock)

    async def read(count: int) -> list[str]:
        return [(await limited())["type"] for _ in range(count)]

    assert "websocket.disconnect" not in run_async(read(3 * MESSAGE_BURST + 1))


def test_the_app_config_folds_reruns_instead_of_starting_a_thread_for_each():
    """Test that runner.fastReruns is off: under a flood, fast reruns start a script thread per request."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["fastReruns"] is False


# -- Requests -------------------------------------------------------------------------------------------------


REFUSED_PATHS = (
    "/_stcore/metrics",
    "/_stcore/metrics/",
    "/app/static/" + "a" * 5000,
    "/app/static/" + "é" * 130,
    "/app/static/" + "a/" * 600,
)
PASSED_PATHS = (
    "/",
    "/explore",
    "/_stcore/health",
    "/_stcore/upload_file/session/file",
    "/app/static/world_110m.json",
    "/app/static/" + "a" * 255,
    "/_stcore/metrics-not",
)


@pytest.mark.parametrize("base", ["", "/app-base/"])
def test_metrics_and_impossible_static_paths_are_answered_404(base):
    """Test that the metrics endpoint and a static path no file can have (a name over 255 bytes, a path over
    1 KB, in any script) are answered 404 before Streamlit's routes, under any base path."""
    prefix = "/" + base.strip("/") if base.strip("/") else ""
    for path in REFUSED_PATHS:
        response = refusal_for(prefix + path, base)
        assert response is not None, path
        assert response.status_code == 404, path


def test_ordinary_requests_go_through():
    """Test that pages, health, uploads and real static files reach Streamlit's routes."""
    for path in PASSED_PATHS:
        assert refusal_for(path) is None, path


def test_a_dropped_link_is_noted_for_its_session_until_its_next_request():
    """Test that a query Streamlit would drop whole (past 1,000 fields) is noted with its size for the session
    that sent it, and forgotten when that session next asks with a query Streamlit keeps."""
    long_query = "&".join(f"x{n}=1" for n in range(1_001))
    assert query_is_dropped(long_query)
    assert not query_is_dropped("kind=telegram&zoom=all")
    note_dropped_query("reader", long_query)
    note_dropped_query("other", "kind=telegram")
    assert dropped_query("reader") == (len(long_query), 1_001)
    assert dropped_query("other") is None
    note_dropped_query("reader", "kind=telegram")
    assert dropped_query("reader") is None
