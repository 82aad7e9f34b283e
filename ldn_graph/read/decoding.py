"""What a file's bytes are, and how its text is encoded.

Magic numbers name the files that are not what their extension says (a PDF or an image
named .txt, an archive, a program); binary data without NUL bytes is told from text by
its share of control bytes. Text is decoded by its BOM, as UTF-16 by the parity of its
NUL bytes, as UTF-8 (also when a little damaged: then with a note naming where), or else
as Windows-1252. HTML first by its ``<meta charset>``.
"""

from __future__ import annotations

import codecs
import re

from ldn_graph.errors import InputError

# What a file's first bytes say it is, for files whose extension says otherwise.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "a PDF"),
    (b"PK\x03\x04", "zip", "a ZIP archive (such as a .docx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old-style Office file (.doc)"),
    (b"{\\rtf", "rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "image", "a PNG image"),
    (b"\xff\xd8\xff", "image", "a JPEG image"),
    (b"GIF8", "image", "a GIF image"),
    (b"\x1f\x8b", "gzip", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "archive", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "archive", "zstd-compressed data"),
    (b"Rar!\x1a\x07", "archive", "a RAR archive"),
    (b"\x7fELF", "program", "a program (ELF executable)"),
)
_BZIP2_RE = re.compile(rb"BZh[1-9]1AY&SY")  # "BZh" alone may open a text
FIX_BY_KIND = {
    "pdf": "rename it to .pdf",
    "zip": "rename it to .docx if it is a Word document",
    "ole": "open it in Word and save it as .docx",
    "rtf": "save it as .docx or .txt",
    "image": "give the text itself (run OCR on an image first)",
    "gzip": "decompress it first",
    "archive": "extract the document from it first",
    "program": "give the text itself",
}

# Bytes no text file holds in numbers: C0 controls other than tab, LF, VT, FF, CR and ESC,
# and DEL. Compressed or executable data is about 11% of them; text, none or a few.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_BINARY_SAMPLE = 64 * 1024
_BINARY_SHARE = 0.02
_BINARY_MIN = 16  # a few stray controls in a short file are not a verdict
# At most this share of a file's bytes may be invalid UTF-8 for it to be read as damaged
# UTF-8 (with U+FFFD for the invalid bytes) rather than as Windows-1252.
_MAX_INVALID_UTF8 = 0.001
_ASCII = bytes(range(128))


def decode_text(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode bytes of a text document: BOMs first, then UTF-16 by NUL parity, then UTF-8,
    then Windows-1252; and a note for the report when the text is damaged UTF-8.

    UTF-8 with at most 0.1 % invalid bytes (one bad byte in a long file) is decoded as
    UTF-8, each invalid sequence a U+FFFD, and the note names where; before, one invalid
    byte made the whole file Windows-1252 ("Crohn’s" became "Crohnâ€™s"). A file whose
    non-ASCII bytes are all invalid UTF-8 (no multi-byte character at all) is Windows-1252,
    as before. Binary data without NUL bytes is refused by its share of control bytes.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {encoding} text ({exc.reason}); re-save it as UTF-8") from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows NULs in every other byte; anything else is binary.
        head = data[:4096]
        even = head[0::2].count(0) / max(len(head[0::2]), 1)
        odd = head[1::2].count(0) / max(len(head[1::2]), 1)
        guess = "utf-16-le" if odd > 0.7 and even < 0.1 else "utf-16-be" if even > 0.7 and odd < 0.1 else None
        if guess:
            try:
                return data.decode(guess), None
            except UnicodeDecodeError:
                pass
        elif head.count(0) * 100 <= len(head):
            # a stray NUL or two in UTF-8 text (pasted from a PDF, say): text, NULs cleaned
            try:
                return data.decode("utf-8"), None
            except UnicodeDecodeError:
                pass
        raise InputError(_binary_message(name))
    refuse_binary(data, name)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    damage = _utf8_damage(data)
    if damage is None:
        return data.decode("cp1252", errors="replace"), None
    offsets = ", ".join(str(start) for start in damage[:5])
    more = f" and {len(damage) - 5} more" if len(damage) > 5 else ""
    note = (f"{name}: not valid UTF-8 at byte offset{'s' if len(damage) > 1 else ''} {offsets}{more}; "
            "read as UTF-8 with each invalid byte sequence shown as U+FFFD (\ufffd)")
    return data.decode("utf-8", errors="replace"), note


def _binary_message(name: str) -> str:
    return f"{name}: looks like a binary file, not text; give a .txt, .md, .html, .docx or .pdf file"


def refuse_binary(data: bytes, name: str) -> None:
    """Refuse data that is not text though it has no NUL byte (compressed or executable
    data renamed .txt): too many control bytes near its start."""
    head = data[:_BINARY_SAMPLE]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(_BINARY_SHARE * len(head), _BINARY_MIN):
        raise InputError(_binary_message(name))


def _utf8_damage(data: bytes) -> list[int] | None:
    """Where ``data`` is not UTF-8 (the offset of each invalid sequence), when it is UTF-8
    with a little damage; None when it is something else (too many invalid bytes, or no
    valid multi-byte character at all)."""
    limit = _MAX_INVALID_UTF8 * len(data)
    view = memoryview(data)
    starts: list[int] = []
    invalid = pos = 0
    while pos < len(data):
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)  # a view: no copy of the rest
            break
        except UnicodeDecodeError as exc:
            starts.append(pos + exc.start)
            invalid += exc.end - exc.start
            if invalid > limit:
                return None
            pos += exc.end
    non_ascii = len(data) - len(data.translate(None, _ASCII))
    return starts if non_ascii > invalid else None


def decode_html(data: bytes, path: str) -> tuple[str, str | None]:
    """Decode an HTML page by its ``<meta charset>``, else as :func:`decode_text`."""
    head = data[:2048].decode("ascii", errors="ignore")
    m = re.search(r"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", head, re.I)
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        refuse_binary(data, path)
        try:
            return data.decode(m.group(1)), None
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, path)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, description) from a file's magic bytes, or None for anything else."""
    for magic, kind, description in _SIGNATURES:
        if data.startswith(magic):
            return kind, description
    if _BZIP2_RE.match(data):
        return "archive", "bzip2-compressed data"
    return None
