"""Read a report file (plain text, HTML or text-based PDF) into normalised text.

Everything that can go wrong with a user's file ends here as one
:class:`~undercount.errors.UserInputError` whose message names the rule, the
file and a fix: empty, too large, binary, an unsupported container (DOCX, ZIP,
images), text that mixes encodings, a PDF without a text layer or with a
password. Nothing is fetched from the network: HTML is cleaned by trafilatura
with its offline extractor, PDF text comes from pypdf.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

from charset_normalizer import from_bytes

from undercount.errors import UserInputError
from undercount.ingest.narrative._text import normalise_text

MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted (20 MiB): a report, not an archive."""

Format = Literal["text", "html", "pdf"]
_MAGIC: dict[bytes, str] = {
    b"PK\x03\x04": "a ZIP container (DOCX, XLSX, ODT?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_HTML_SNIFF = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I
)
_TAGS = re.compile(rb"<(?:p|div|span|a|br|h[1-6]|article|section)\b", re.I)


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A decoded, normalised document and how it was read."""

    text: str
    format: Format
    encoding: str | None
    title: str | None
    date: str | None
    n_bytes: int
    n_pages: int | None
    sha256: str
    warnings: tuple[str, ...]


def read_document(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    fmt: Format | None = None,
    max_bytes: int = MAX_BYTES,
) -> ReadDocument:
    """Read ``source`` (a path or the file's bytes) and return normalised text.

    Parameters
    ----------
    source
        Path to a ``.txt``/``.html``/``.pdf`` file, or its raw bytes.
    name
        Name used in messages (defaults to the path).
    fmt
        Force a format instead of sniffing it from the bytes and the suffix.
    max_bytes
        Size limit; larger files are refused rather than read.

    Raises
    ------
    UserInputError
        If the file is missing, empty, too large, binary, mixes encodings, or is
        a PDF without extractable text.
    """
    label = name or (str(source) if not isinstance(source, bytes) else "<bytes>")
    data = _load(source, label, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    suffix = Path(label).suffix.lower()
    kind = fmt or _sniff(data, suffix, label)
    notes: list[str] = []
    title = date = encoding = None
    pages: int | None = None
    if kind == "pdf":
        raw, pages, notes = _pdf_text(data, label)
        text = normalise_text(raw, unwrap=True)
    else:
        raw, encoding = decode_bytes(data, label)
        if kind == "html":
            raw, title, date = _html_text(raw)
            text = normalise_text(raw, unwrap=False)
        else:
            text = normalise_text(raw)
    if not text.strip():
        raise UserInputError(
            f"no readable text in {label!r} ({kind}): the file holds no words "
            "after decoding; supply the report as text, HTML or a PDF with a text layer"
        )
    _check_text_quality(text, label)
    return ReadDocument(
        text, kind, encoding, title, date, len(data), pages, sha, tuple(notes)
    )


def _load(source: str | Path | bytes, label: str, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            raise UserInputError(
                f"report file not found: {label!r}; check the path (a file, "
                "not a folder)"
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise UserInputError(_too_big(label, size, max_bytes))
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise UserInputError(_too_big(label, len(data), max_bytes))
    if not data.strip():
        raise UserInputError(
            f"report file is empty: {label!r} has {len(data)} bytes of content; "
            "supply a file with the report's text"
        )
    return data


def _too_big(label: str, size: int, limit: int) -> str:
    return (
        f"report file too large: {label!r} is {size / 1048576:.1f} MiB, the limit is "
        f"{limit / 1048576:.0f} MiB; split the document or extract the relevant pages"
    )


def _sniff(data: bytes, suffix: str, label: str) -> Format:
    head = data[:8]
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise UserInputError(
                f"unsupported file type: {label!r} looks like {what}; save the "
                "report as plain text, HTML or PDF"
            )
    if suffix in (".html", ".htm", ".xhtml") or _HTML_SNIFF.match(data[:2048]):
        return "html"
    if suffix == ".pdf":
        raise UserInputError(
            f"not a PDF: {label!r} has a .pdf suffix but no PDF header; check "
            "the file or rename it"
        )
    if len(_TAGS.findall(data[:20000])) >= 5:
        return "html"
    return "text"


def decode_bytes(data: bytes, label: str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else guess.

    Raises
    ------
    UserInputError
        If the bytes are binary or part UTF-8 and part another encoding.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UserInputError(
                f"cannot decode {label!r} as UTF-16 although it starts with a "
                f"UTF-16 byte-order mark ({exc.reason} at byte {exc.start}); "
                "re-save it as UTF-8"
            ) from None
    nul_share = data.count(b"\x00") / len(data)
    if nul_share > 0.01:
        raise UserInputError(
            f"binary file: {label!r} contains NUL bytes ({nul_share:.0%} of it), "
            "so it is not a text report; supply plain text, HTML or PDF"
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    has_utf8_multibyte = re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data) is not None
    if has_utf8_multibyte and _valid_utf8_runs(data) >= 2:
        line = data[:first_bad].count(b"\n") + 1
        raise UserInputError(
            f"mixed text encodings in {label!r}: valid UTF-8 text plus bytes that are "
            f"not UTF-8 (first at byte {first_bad}, line {line}); re-save the whole "
            "file in one encoding (UTF-8)"
        )
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UserInputError(
            f"cannot detect the text encoding of {label!r} (binary or corrupt?); "
            "re-save it as UTF-8 text"
        )
    return str(best), best.encoding


def _valid_utf8_runs(data: bytes) -> int:
    """Count well-formed multi-byte UTF-8 sequences (evidence of UTF-8 parts)."""
    return len(re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data))


def _check_text_quality(text: str, label: str) -> None:
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch != "\n"))
    letters = sum(1 for ch in sample if ch.isalpha())
    if bad / len(sample) > 0.05 or letters / len(sample) < 0.3:
        raise UserInputError(
            f"not readable text: {label!r} decodes to {letters / len(sample):.0%} "
            f"letters and {bad} replacement or control characters; is it binary? "
            "Supply plain text, HTML or a PDF with a text layer"
        )


class _TextCollector(HTMLParser):
    """Fallback HTML-to-text: visible text, block elements as line breaks.

    Page furniture is skipped with everything inside it: navigation (``nav``,
    any element with ``role="navigation"``, ``"banner"``, ``"contentinfo"``,
    ``"search"`` or ``"complementary"``), ``aside``, ``form``, page-level
    ``header`` and ``footer``, and non-text elements (``script``, ``style``...).
    A ``header`` inside ``article`` or ``main`` is kept: it holds the headline.
    Menus and footers carry figures that are not the report's ("99 people
    killed" in a list of other stories).
    """

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "article",
            "main",
            "section",
            "blockquote",
            "header",
            "footer",
            "td",
            "title",
        ]
    )
    _SKIP = frozenset(
        [
            "script",
            "style",
            "noscript",
            "template",
            "svg",
            "head",
            "nav",
            "aside",
            "form",
            "footer",
            "iframe",
            "button",
            "select",
        ]
    )
    _SKIP_ROLES = frozenset(
        ["navigation", "banner", "contentinfo", "search", "complementary", "menu"]
    )
    _CONTENT = frozenset(["article", "main"])
    _VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[str] = []  # open elements (for header inside article)
        self._skip_tag: str | None = None  # the skipped element being read
        self._skip_depth = 0  # its nesting depth (a nav inside a nav...)

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in self._SKIP:
            return True
        role = next((v for k, v in attrs if k == "role" and v), "")
        if role.strip().lower() in self._SKIP_ROLES:
            return True
        return tag == "header" and not any(t in self._CONTENT for t in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag not in self._VOID and self._skipped(tag, attrs):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag not in self._VOID:
            self._open.append(tag)
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is None and tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            elif tag in ("body", "html"):
                self._skip_tag = None  # an element left open: stop skipping
            return
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self.parts.append(data.replace("\n", " "))


def _html_text(html: str) -> tuple[str, str | None, str | None]:
    """Main text, title and date of an HTML page (boilerplate removed)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    text: str | None = None
    title = date = None
    try:
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            favor_recall=True,
            deduplicate=False,
        )
        meta = trafilatura.extract_metadata(html)
        if meta is not None:
            title, date = meta.title, meta.date
    except Exception:  # trafilatura parses untrusted markup; fall back, never crash
        text = None
    if not text or len(text) < 40:
        collector = _TextCollector()
        collector.feed(html)
        collector.close()
        text = "".join(collector.parts)
    elif title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    text = re.sub(r"\n(?!\n)", "\n\n", text)
    return text, title, date


def _pdf_text(data: bytes, label: str) -> tuple[str, int, list[str]]:
    """Text of each page of a PDF, pages separated by blank lines."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UserInputError(
                    f"encrypted PDF: {label!r} needs a password; save an unprotected "
                    "copy or export its text"
                )
            pages: list[str] = []
            for number, page in enumerate(reader.pages, start=1):
                try:
                    pages.append(page.extract_text() or "")
                except Exception:  # a broken page must not sink the document
                    notes.append(f"page {number}: text could not be extracted")
                    pages.append("")
    except UserInputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UserInputError(
            f"unreadable PDF: {label!r} ({type(exc).__name__}: {exc}); re-export the "
            "PDF or supply the text"
        ) from None
    if not any(p.strip() for p in pages):
        raise UserInputError(
            f"PDF without a text layer: {label!r} has {len(pages)} page(s) but no "
            "extractable text (a scan?); run OCR first or supply the text"
        )
    empty = [str(i) for i, p in enumerate(pages, start=1) if not p.strip()]
    if empty:
        notes.append(f"pages without text: {', '.join(empty[:20])}")
    return "\n\n".join(pages), len(pages), notes
