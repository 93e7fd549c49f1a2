"""The compact JSON writer: what json.dumps wrote, faster, and never a text that cannot be sent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpers import seed
from mcp_server_clockify.jsontext import compact, compact_bytes


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {"a": None, "b": [1, 2.5, True, False], "c": 'é€😀\n\t"\\\u2028</script>\x00\x1f'},
        [2**70, -(2**70), 0.1, 1.0, -0.0, 1.5e300],
        "plain",
        [],
        {},
    ],
)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert compact(value) == _dumps(value)
    assert compact_bytes(value) == _dumps(value).encode()


def test_the_sandbox_data_is_written_exactly_as_before() -> None:
    data = seed()
    assert compact(data) == _dumps(data)


def test_a_lone_surrogate_is_written_as_its_escape_and_reads_back_the_same() -> None:
    value = {"description": json.loads('"bad \\ud800 text"'), "name": "é"}
    text = compact(value)
    text.encode()  # sendable: raises UnicodeEncodeError if a surrogate is left
    assert "\\ud800" in text
    assert json.loads(text) == value
