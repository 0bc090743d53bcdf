"""Bytes → original text. Nothing is dropped silently: what is not text is an error naming the file
and what to do; what is text with a flaw is read, with a warning saying what was done.

* Files that are not text are recognised by their first bytes (PDF, Word/Excel/WPS, RTF, images,
  archives, programs) and refused with the command that converts them.
* Encodings: UTF-8 (with or without BOM), UTF-16/32 (BOM, or the zero-byte pattern of CJK text
  without one), GB18030 (a superset of GBK and GB2312) and Big5. A legacy decoding is kept only
  when the text it gives is plausible Chinese (nearly every character in the common repertoire of
  GB2312 or Big5): Big5 bytes read as GBK, or Latin-1 read as GB18030, give rare characters.
* Flaws read with a warning: a file cut in the middle of a character (the partial character is
  dropped), lines in different encodings (each line in its own), a few undecodable bytes (replaced
  by U+FFFD), HTML saved from a browser (tags, scripts and styles removed).
* Files over ``POLICYKG_MAX_FILE_MB`` (default 16 MB) are refused: split them into documents.
"""
from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from policykg.errors import InputError
from policykg.model import Source

DEFAULT_MAX_FILE_MB = 16
#: share of non-ASCII characters that must be common Chinese characters or symbols for a legacy decoding
PLAUSIBLE = 0.85
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CONVERT = "convert it to UTF-8 text first"
_OFFICE = "libreoffice --headless --convert-to txt:Text FILE (or save it as 纯文本 .txt from Word/WPS)"
#: (first bytes, what the file is, what to do)
_NOT_TEXT: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "extract its text with `pdftotext -enc UTF-8 FILE FILE.txt` (a scan needs OCR)"),
    (b"PK\x03\x04", "a ZIP container (Word .docx, Excel .xlsx, WPS or OpenDocument)", _OFFICE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (Word .doc, Excel .xls or WPS)", _OFFICE),
    (b"{\\rtf", "an RTF document", _OFFICE),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it and save the text as UTF-8"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it and save the text as UTF-8"),
    (b"GIF8", "a GIF image", "run OCR on it and save the text as UTF-8"),
    (b"II*\x00", "a TIFF image", "run OCR on it and save the text as UTF-8"),
    (b"MM\x00*", "a TIFF image", "run OCR on it and save the text as UTF-8"),
    (b"\x1f\x8b", "a gzip archive", "unpack it (gunzip) and give the text files inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and give the text files inside"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it and give the text files inside"),
    (b"\x7fELF", "a program (ELF)", "give a gazette or policy text"),
    (b"%!PS", "a PostScript document", "convert it with `ps2pdf` and `pdftotext -enc UTF-8`"),
    (b"SQLite format 3\x00", "an SQLite database", "export its text"),
)


class Decoded(NamedTuple):
    text: str
    encoding: str
    warnings: tuple[str, ...]


def max_file_bytes() -> int:
    try:
        mb = float(os.environ.get("POLICYKG_MAX_FILE_MB", DEFAULT_MAX_FILE_MB))
    except ValueError:
        mb = DEFAULT_MAX_FILE_MB
    return int(mb * 1024 * 1024)


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """The GB2312 repertoire and Big5's symbols and frequent characters (level 1)."""
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA1, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
    chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK punctuation
    chars.update(chr(c) for c in range(0x2000, 0x2070))  # general punctuation
    chars.update("\ufeff\u00a0")
    return frozenset(chars)


def plausibility(text: str, sample: int = 200_000) -> float:
    """Share of the non-ASCII characters that are common Chinese characters or symbols (1.0 for ASCII)."""
    common = _common()
    wide = [c for c in text[:sample] if c > "\x7f"]
    if not wide:
        return 1.0
    return sum(1 for c in wide if c in common) / len(wide)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = len(_CONTROL.findall(text[:20000]))
    return bad > max(3, len(text[:20000]) // 200)


def _not_text(data: bytes) -> tuple[str, str] | None:
    head = data[:1024].lstrip(b" \t\r\n\x00")
    for magic, what, fix in _NOT_TEXT:
        if head.startswith(magic):
            return what, fix
    return None


def _decode_tail_cut(data: bytes, encoding: str, name: str, unit: int) -> tuple[str, list[str]]:
    """Strict decoding; a file cut inside its last character loses that partial character (warned)."""
    warnings: list[str] = []
    cut = len(data) % unit
    if cut:
        data = data[:-cut]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end != len(data) or len(data) - exc.start >= 4:  # not an incomplete last character
            raise
        text = data[: exc.start].decode(encoding)
        cut += len(data) - exc.start
    if cut:
        warnings.append(f"{name}: the file ends in the middle of a character ({cut} byte(s) dropped); "
                        "was it cut off?")
    return text, warnings


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when ASCII characters (newlines, digits) leave zero bytes on one side."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if max(even, odd) < 0.05 * half or min(even, odd) > max(even, odd) / 4:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _legacy(data: bytes) -> tuple[str, str, float] | None:
    """The most plausible strict legacy decoding: (text, encoding, plausibility), or None."""
    best = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if best is None or score > best[2]:
            best = (text, enc, score)
    return best


def _line_by_line(data: bytes, name: str) -> Decoded | None:
    """A file whose lines are in different encodings (UTF-8 and a legacy one), or UTF-8 with a few bad
    bytes: each line decoded on its own. None when no line is UTF-8 Chinese."""
    lines = data.split(b"\n")
    utf8: dict[int, str] = {}
    for i, raw in enumerate(lines):
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        utf8[i] = s
    if sum(1 for s in utf8.values() if len(_CJK.findall(s)) >= 2) == 0:
        return None
    bad = [i for i in range(len(lines)) if i not in utf8]
    legacy = _legacy(b"\n".join(lines[i] for i in bad))
    enc = legacy[1] if legacy and legacy[2] >= PLAUSIBLE else None
    out, in_legacy, replaced = [], [], []
    for i, raw in enumerate(lines):
        if i in utf8:
            out.append(utf8[i])
            continue
        s = None
        if enc:
            try:
                s = raw.decode(enc)
            except UnicodeDecodeError:
                s = None
            if s is not None and plausibility(s) < PLAUSIBLE:
                s = None
        if s is None:
            s = raw.decode("utf-8", errors="replace")
            replaced.append(i + 1)
        else:
            in_legacy.append(i + 1)
        out.append(s)
    warnings = []
    if in_legacy:
        warnings.append(f"{name}: mixed encodings: {len(in_legacy)} line(s) in {enc.upper()}, the rest in UTF-8 "
                        f"(first at line {in_legacy[0]}); save the file in one encoding (UTF-8)")
    if replaced:
        warnings.append(f"{name}: {len(replaced)} line(s) hold bytes that are not text (line "
                        f"{', '.join(map(str, replaced[:5]))}{' …' if len(replaced) > 5 else ''}); "
                        "they were replaced by U+FFFD")
    return Decoded("\n".join(out), "utf-8" if not in_legacy else f"utf-8+{enc}", tuple(warnings))


def decode_bytes(data: bytes, name: str = "<bytes>") -> Decoded:
    """The text of ``data`` with its encoding and warnings; InputError naming ``name`` when it is not text."""
    empty = f"{name}: the file is empty; give a gazette or policy text (UTF-8, GB18030/GBK, Big5 or UTF-16)"
    if not data or not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise InputError(empty)
    kind = _not_text(data)
    if kind:
        raise InputError(f"{name}: this is {kind[0]}, not a text file; {kind[1]}")
    decoded = _decode(data, name)
    if not decoded.text.strip(" \t\r\n\u3000\ufeff\u200b\u200c\u200d\u2060\xa0\x0b\x0c"):
        raise InputError(empty.replace("the file is empty", "the file holds only whitespace"))
    if _looks_binary(decoded.text):
        raise InputError(f"{name}: not readable as text (decoded as {decoded.encoding}, it is full of control "
                         f"characters); it looks binary: {_CONVERT}")
    return decoded


def _decode(data: bytes, name: str) -> Decoded:
    for bom, enc, unit in ((b"\xef\xbb\xbf", "utf-8-sig", 1), (b"\xff\xfe\x00\x00", "utf-32", 4),
                           (b"\x00\x00\xfe\xff", "utf-32", 4), (b"\xff\xfe", "utf-16", 2), (b"\xfe\xff", "utf-16", 2)):
        if data.startswith(bom):
            try:
                text, warnings = _decode_tail_cut(data, enc, name, unit)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {enc.upper()} byte-order mark but is not {enc.upper()} "
                                 f"(byte {exc.start}); {_CONVERT}") from None
            return Decoded(text, "utf-8" if enc == "utf-8-sig" else enc, tuple(warnings))
    tried = []
    wide = _utf16_without_bom(data[:4000])
    if wide:
        tried.append(wide)
        try:
            text, warnings = _decode_tail_cut(data, wide, name, 2)
            if plausibility(text) >= PLAUSIBLE and not _looks_binary(text):
                return Decoded(text, wide, tuple(warnings))
        except UnicodeDecodeError:
            pass
    tried.append("utf-8")
    try:
        text, warnings = _decode_tail_cut(data, "utf-8", name, 1)
        return Decoded(text, "utf-8", tuple(warnings))
    except UnicodeDecodeError:
        pass
    tried += ["gb18030", "big5"]
    legacy = _legacy(data)
    if legacy and legacy[2] >= PLAUSIBLE:
        return Decoded(legacy[0], legacy[1], ())
    mixed = _line_by_line(data, name)
    if mixed:
        return mixed
    if legacy is None:  # a file cut inside its last legacy character
        for enc in ("gb18030", "big5"):
            try:
                text, warnings = _decode_tail_cut(data, enc, name, 1)
            except UnicodeDecodeError:
                continue
            if plausibility(text) >= PLAUSIBLE:
                return Decoded(text, enc, tuple(warnings))
    raise InputError(
        f"{name}: not readable as text (tried {', '.join(tried)}: none gives plausible text); "
        f"it looks binary or is in another encoding: {_CONVERT} (e.g. iconv -f ENCODING -t UTF-8)")


class _HtmlText(HTMLParser):
    """The visible text of an HTML page: no head, scripts or styles; block elements end lines."""

    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
             "article", "ul", "ol", "dd", "dt", "blockquote", "pre", "hr", "td", "th", "title"}
    SKIP = {"script", "style", "head", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


_HTML = re.compile(r"\A\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S)


def html_text(html: str) -> str:
    p = _HtmlText()
    p.feed(html)
    p.close()
    text = "".join(p.parts).replace("\xa0", " ")
    lines = [ln.strip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def source_id_for(path: Path, sha: str) -> str:
    """A readable ASCII id: the file stem when it is ASCII, else a hash prefix."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-").lower()
    if len(stem) >= 2 and re.fullmatch(r"[a-z0-9-]+", stem) and not stem.isdigit():
        return stem
    return (f"src{stem}-" if stem else "src-") + sha[:8]


def read_source(path: str | Path) -> Source:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give the text files inside it")
    try:
        size = p.stat().st_size
        if size > max_file_bytes():
            raise InputError(f"{p}: {size / 1048576:.1f} MB is more than policykg reads in one file "
                             f"({max_file_bytes() / 1048576:.0f} MB); split it into its documents, or raise "
                             "POLICYKG_MAX_FILE_MB")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc}); check its permissions") from None
    text, enc, warnings = decode_bytes(data, str(p))
    warnings = list(warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HTML.match(text[:4096]):
        text = html_text(text)
        warnings.append(f"{p.name}: read as a web page (HTML): tags, scripts and styles removed; spans "
                        "count in the text without them")
        if not text.strip():
            raise InputError(f"{p}: a web page without visible text; save the page as text (另存为 .txt)")
    sha = hashlib.sha256(data).hexdigest()
    if enc != "utf-8":
        warnings.append(f"{p.name}: decoded as {enc}")
    return Source(id=source_id_for(p, sha), path=str(p), text=text, encoding=enc, sha256=sha,
                  warnings=tuple(warnings))
