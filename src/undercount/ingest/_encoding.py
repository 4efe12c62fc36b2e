"""Text encoding of a list file: configured, or detected from a sample of its bytes.

Detection order (first match wins):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE, UTF-32 LE/BE;
2. UTF-16 without a BOM, recognised by NUL bytes in every other position;
3. valid UTF-8 (plain ASCII is UTF-8);
4. Windows-1256 (Arabic Windows) when most non-ASCII characters it yields are Arabic;
5. otherwise the best guess of ``charset-normalizer`` on the sample.

A file that is mostly control characters or NUL bytes is refused as binary. Bytes
that are invalid in the chosen encoding further on do not stop the import: they are
decoded with the ``undercount-bad-bytes`` handler into lone surrogates, and the
reader quarantines the row that contains them (see :func:`has_bad_bytes`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from undercount.errors import UserInputError

__all__ = [
    "BAD_BYTES",
    "ERRORS",
    "Detected",
    "detect_encoding",
    "has_bad_bytes",
    "show_bad_bytes",
]

#: Name of the codec error handler that marks undecodable bytes.
ERRORS = "undercount-bad-bytes"

#: ``BAD_BYTES[0]`` counts undecodable byte runs met so far (any file).
BAD_BYTES = [0]

_SURROGATE = re.compile("[\udc00-\udcff]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _mark_bad_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    BAD_BYTES[0] += 1
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(0xDC00 + b) for b in bad), exc.end


codecs.register_error(ERRORS, _mark_bad_bytes)


def has_bad_bytes(text: str) -> bool:
    """Whether ``text`` holds bytes that were invalid in the file's encoding."""
    return _SURROGATE.search(text) is not None


def show_bad_bytes(text: str) -> str:
    """``text`` with each undecodable byte shown as ``\\xNN`` (safe to store)."""
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


@dataclass(frozen=True, slots=True)
class Detected:
    """The encoding to use and why it was chosen."""

    encoding: str
    reason: str


def _utf16_without_bom(sample: bytes) -> str | None:
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even = sample[0 : 2 * pairs : 2].count(0)
    odd = sample[1 : 2 * pairs : 2].count(0)
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _is_utf8(sample: bytes, at_eof: bool) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is not an error.
        return (
            not at_eof
            and exc.start >= len(sample) - 3
            and exc.reason.startswith("unexpected end")
        )
    return True


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = sum(
        1 for ch in text if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\ufffd"
    )
    return bad > 0.1 * len(text)


def detect_encoding(sample: bytes, *, at_eof: bool, where: str) -> Detected:
    """Choose the encoding of a text file from its first bytes.

    Parameters
    ----------
    sample
        The first bytes of the file (about 1 MiB is plenty).
    at_eof
        Whether ``sample`` is the whole file.
    where
        The file, for error messages.

    Raises
    ------
    UserInputError
        When the bytes look binary or no text encoding fits them.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return Detected(name, "byte-order mark")
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return Detected(utf16, "NUL bytes in alternate positions (UTF-16 without BOM)")
    if _is_utf8(sample, at_eof):
        text = sample.decode("utf-8", errors="replace")
        if _looks_binary(text):
            raise UserInputError(
                f"{where} does not look like a text file (mostly control characters "
                "or NUL bytes); check that it is the right file, or pass --encoding"
            )
        return Detected("utf-8", "valid UTF-8")
    as_1256 = sample.decode("cp1256", errors="replace")
    if _looks_binary(as_1256):
        raise UserInputError(
            f"{where} does not look like a text file (mostly control characters or "
            "NUL bytes); check that it is the right file, or pass --encoding"
        )
    non_ascii = [ch for ch in as_1256 if ord(ch) > 127]
    arabic = sum(1 for ch in non_ascii if _ARABIC.match(ch))
    if non_ascii and arabic >= 0.6 * len(non_ascii):
        return Detected("cp1256", "not UTF-8; mostly Arabic letters in Windows-1256")
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise UserInputError(
            f"cannot tell the text encoding of {where}; pass --encoding (e.g. "
            "'cp1256' for Arabic Windows files, 'utf-16', 'latin-1')"
        )
    return Detected(codecs.lookup(best.encoding).name, "guessed by charset-normalizer")
