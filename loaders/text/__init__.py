"""Reading files into original text, and normalising it with an offset map."""
from loaders.text.reading import read_source, decode_bytes
from loaders.text.normalize import NormText, normalize

__all__ = ["read_source", "decode_bytes", "NormText", "normalize"]
