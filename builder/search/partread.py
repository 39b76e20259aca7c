"""A search part's record (`merge.PART_FILE`) read as a stream, so that a year's merge holds
one word of each part at a time instead of every part's words.

The record is gzip of canonical CBOR (`merge.part_record`): a map whose keys come in the
canonical order, `pages`, `sorts`, `words`, `fields`, `filters`, `version`. `PartReader` decodes
the pages and sort values at once (a few hundred bytes a page), hands out the words one by one
(`words`: each part's words are in Pagefind's order, which is Python's order of the texts), and
decodes the rest once the words are read (`rest`). What it reads is what `cbor2.loads` of the
whole record would give, item for item.
"""

from __future__ import annotations

import heapq
import io
import itertools
import zlib
from collections.abc import Iterator, Sequence

import cbor2

_PIECE = 1 << 14  # bytes inflated at a time (a buffer of this size a part)
_BEFORE_WORDS = ("pages", "sorts")
_AFTER_WORDS = ("fields", "filters", "version")


class _Inflating(io.RawIOBase):
    """The bytes of a gzip file (one member), inflated as they are read, `_PIECE` at a time.
    Read through `io.BufferedReader`: the CBOR decoder's many small reads are then served
    from its buffer (through `gzip.GzipFile` they cost three times the merge's time)."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._at = 0
        self._inflate = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._left:
            if self._inflate.unconsumed_tail:
                self._left = self._inflate.decompress(self._inflate.unconsumed_tail, _PIECE)
            elif self._at < len(self._data):
                piece = self._data[self._at : self._at + _PIECE]
                self._at += _PIECE
                self._left = self._inflate.decompress(piece, _PIECE)
            else:  # all read in: what zlib still holds, then the end
                self._left = self._inflate.flush()
                if not self._left and not self._inflate.eof:
                    raise EOFError("a part record cut short")
                if not self._left:
                    return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


class PartReader:
    """One part record (`data`, its gzip bytes), read in order: `pages` and `sorts` when made,
    then `words()` once, then `rest()`. Raises ValueError, EOFError or `cbor2.CBORError` when
    the record is not laid out as described above."""

    def __init__(self, data: bytes) -> None:
        self._stream = io.BufferedReader(_Inflating(data), _PIECE)
        self._decoder = cbor2.CBORDecoder(self._stream)
        if self._head(5) != len(_BEFORE_WORDS) + 1 + len(_AFTER_WORDS):
            raise ValueError("a part record with other keys")
        found = {}
        for key in _BEFORE_WORDS:
            self._key(key)
            found[key] = self._decoder.decode()
        self.pages: list[object] = found["pages"]
        self.sorts: dict[str, list[str | None]] = found["sorts"]
        self._key("words")
        self._words = self._head(4)

    def words(self) -> Iterator[list[object]]:
        """The part's words (`merge._word_slices`), one at a time, in order; raises ValueError
        when one is not after the one before."""
        previous = ""
        for number in range(self._words):
            word = self._decoder.decode()
            if number and not previous < word[0]:
                raise ValueError(f"a part's words out of order ({previous!r}, {word[0]!r})")
            previous = word[0]
            yield word
        self._words = 0

    def rest(self) -> dict[str, object]:
        """The keys after the words (`fields`, `filters`, `version`), once they are read."""
        if self._words:
            raise ValueError("the part's words are not read yet")
        rest = {}
        for key in _AFTER_WORDS:
            self._key(key)
            rest[key] = self._decoder.decode()
        self._stream.close()
        return rest

    def _key(self, expected: str) -> None:
        key = self._decoder.decode()
        if key != expected:
            raise ValueError(f"a part record with {key!r} where {expected!r} was expected")

    def _head(self, major: int) -> int:
        """The length in the head of the CBOR array (4) or map (5) read next."""
        first = self._stream.read(1)
        if not first:
            raise EOFError("a part record cut short")
        info = first[0] & 31
        if first[0] >> 5 != major or info > 27:
            raise ValueError(f"a CBOR head jixiao does not read ({first[0]:#x})")
        if info < 24:
            return info
        size = 1 << (info - 24)
        extra = self._stream.read(size)
        if len(extra) != size:
            raise EOFError("a part record cut short")
        return int.from_bytes(extra, "big")


def _keyed(number: int, offset: int, reader: PartReader) -> Iterator[tuple[str, int, int, list]]:
    for word in reader.words():
        yield word[0], number, offset, word  # type: ignore[misc]


def merged_words(
    readers: Sequence[tuple[int, PartReader]],
) -> Iterator[tuple[str, list[tuple[int, list]]]]:
    """Every word of the parts, in order, with its (page offset, entry) in each part that has
    it, in part order: one word of each part read at a time."""
    streams = [_keyed(number, offset, reader) for number, (offset, reader) in enumerate(readers)]
    merged = heapq.merge(*streams)
    for text, group in itertools.groupby(merged, key=lambda item: item[0]):
        yield text, [(offset, word) for _, _, offset, word in group]
