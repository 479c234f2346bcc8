"""Unit tests for the server's limits (sinosoviet.ui.server_guard): upload budgets. tests/browser/test_hardening.py
tries them on a real server."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from sinosoviet.ui.server_guard import (
    MB,
    budget_uploads,
    server_upload_budget,
    session_upload_budget,
    upload_refusal,
)

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
