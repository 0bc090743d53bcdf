"""What the facade returns: plain frozen models with their evidence, never driver rows."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Evidence:
    """Where an answer comes from: the document and the exact original text."""

    source: str
    start: int
    end: int
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    quote: Optional[str] = None

    def short_quote(self, n: int = 60) -> str:
        q = (self.quote or "").replace("\n", "")
        return q if len(q) <= n else q[: n - 1] + "…"


@dataclass(frozen=True)
class DepartmentAnswer:
    agency: str  # as written
    canonical: Optional[str]
    role: str  # lead | responsible
    task_id: str
    task_title: str
    evidence: Evidence


@dataclass(frozen=True)
class CitingTask:
    task_id: str
    task_title: str
    cited: str
    relation: str
    leads: tuple[str, ...]
    evidence: Evidence


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(o) for o in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    return obj
