"""Bytes → original text. Nothing is dropped silently: undecodable input is an error.

Detects UTF-8 (with or without BOM), UTF-16 (BOM, or the zero-byte pattern of
CJK text without one) and GB18030 (a superset of GBK and GB2312).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from policykg.errors import InputError
from policykg.model import Source

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = len(_CONTROL.findall(text[:20000]))
    return bad > max(3, len(text[:20000]) // 200)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding). Raise InputError naming ``name`` when it is not text."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise InputError(f"{name}: the file is empty; give a gazette or policy text (UTF-8, GB18030/GBK or UTF-16)")
    candidates: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.append("utf-8-sig")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates.append("utf-16")
    else:
        sample = data[:4000]
        if b"\x00" in sample:
            # UTF-16 without BOM: ASCII characters (newlines, digits) leave zero bytes on one side
            zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
            candidates += ["utf-16-le", "utf-16-be"] if zeros_odd >= zeros_even else ["utf-16-be", "utf-16-le"]
        candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _looks_binary(text):
            continue
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    raise InputError(
        f"{name}: not readable as text (tried {', '.join(candidates)}); it looks binary. "
        "Convert it to UTF-8 text first (for PDF: pdftotext; for Word: libreoffice --convert-to txt)."
    )


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
    data = p.read_bytes()
    text, enc = decode_bytes(data, str(p))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sha = hashlib.sha256(data).hexdigest()
    warnings = []
    if enc != "utf-8":
        warnings.append(f"{p.name}: decoded as {enc}")
    return Source(id=source_id_for(p, sha), path=str(p), text=text, encoding=enc, sha256=sha,
                  warnings=tuple(warnings))
