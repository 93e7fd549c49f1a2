"""Reading a streamed HTTP response body with a cap on its decoded size.

The HTTP client decodes a body with no bound on its total size (httpx 0.28 even inflated each network chunk at
once: 64 KiB of a gzip bomb became 64 MB). Here the body is read raw and inflated at most `PIECE` bytes per step,
and reading stops at the cap, so memory never holds more than the cap plus one piece, whatever the compression
ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

__all__ = ["ACCEPT_ENCODING", "TooLarge", "UnsupportedEncoding", "read_capped"]

ACCEPT_ENCODING = "gzip, deflate"
"""What the client asks for: the encodings decoded here (a server must not send others)."""
PIECE = 1 << 16


class TooLarge(Exception):
    """The decoded body is longer than the cap; everything read so far has been dropped."""


class UnsupportedEncoding(Exception):
    """The body came in a Content-Encoding that was not asked for."""


class _Inflater:
    """gzip (several members allowed) or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, encoding: str) -> None:
        self._wbits = 31 if encoding in ("gzip", "x-gzip") else 15
        self._z = zlib.decompressobj(self._wbits)
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._z.decompress(data, PIECE)
            except zlib.error:
                if not (self._first and self._wbits == 15):
                    raise
                self._z = zlib.decompressobj(-15)  # raw deflate without the zlib header
                out = self._z.decompress(data, PIECE)
            self._first = False
            if out:
                yield out
            data = self._z.unconsumed_tail
            if not data and self._z.eof and self._z.unused_data:  # the next gzip member
                data = self._z.unused_data
                self._z = zlib.decompressobj(self._wbits)

    def flush(self) -> bytes:
        return self._z.flush(PIECE)


async def read_capped(raw: AsyncIterator[bytes], encoding: str | None, limit: int) -> bytearray:
    """The decoded body of `raw` (undecoded chunks), or TooLarge as soon as it passes `limit` bytes.

    The body grows in one bytearray: past a few hundred kB the allocator maps it on its own pages, so dropping it
    hands the memory back to the system (a list of small chunks would stay in the heap).
    """
    name = (encoding or "identity").strip().lower()
    if name not in ("identity", "gzip", "x-gzip", "deflate"):
        raise UnsupportedEncoding(name)
    inflater = None if name == "identity" else _Inflater(name)
    body = bytearray()
    try:
        async for chunk in raw:
            pieces = [chunk] if inflater is None else inflater.feed(chunk)
            for piece in pieces:
                if len(body) + len(piece) > limit:
                    raise TooLarge
                body += piece
        if inflater is not None:
            tail = inflater.flush()
            if len(body) + len(tail) > limit:
                raise TooLarge
            body += tail
    except (TooLarge, zlib.error):
        del body  # give the memory back before the error travels up
        raise
    return body
