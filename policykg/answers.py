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


# -- query library (issue 4): answers of the named queries beyond departments_for_goal / tasks_citing --

@dataclass(frozen=True)
class CitingDocument:
    """A document citing a regulation, directly or through a corpus document that cites it."""

    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    cited: str  # what this document's citation names (key as written)
    relation: str  # implements | based_on | refers_to | repeals | continues | invalidates
    matched: str  # the cited document that matched the question
    direct: bool  # cited == matched
    evidence: Evidence  # the citation in this document


@dataclass(frozen=True)
class TaskAgency:
    name: str  # as written in the task
    canonical: Optional[str]
    role: str  # lead | responsible


@dataclass(frozen=True)
class DeadlineInfo:
    text: str
    date: Optional[str]  # ISO date; None for relative or recurring deadlines
    kind: str  # due | window_start | window_end | validity | recurring


@dataclass(frozen=True)
class ImpactLink:
    """Why a document is affected: a citation of ``through_doc`` (the document or its parent)."""

    through_doc: str
    relation: str  # implements | based_on | continues
    cited: str
    evidence: Evidence  # the citation's text


@dataclass(frozen=True)
class ImpactedTask:
    task_id: str
    task_title: str
    agencies: tuple[TaskAgency, ...]
    open_deadlines: tuple[DeadlineInfo, ...]
    evidence: Evidence

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.agencies if a.role == "lead")

    @property
    def responsible(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.agencies if a.role == "responsible")


@dataclass(frozen=True)
class ImpactedDocument:
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    links: tuple[ImpactLink, ...]
    tasks: tuple[ImpactedTask, ...]


@dataclass(frozen=True)
class Impact:
    """What a change to (repeal or amendment of) ``regulation`` touches, as of ``on``."""

    regulation: str
    on: Optional[str]  # ISO date the deadlines are open on; None = every deadline
    documents: tuple[ImpactedDocument, ...]

    @property
    def tasks(self) -> tuple[ImpactedTask, ...]:
        return tuple(t for d in self.documents for t in d.tasks)

    @property
    def agencies(self) -> tuple[str, ...]:
        """Every agency (canonical name when known) that leads or shares an affected task."""
        return tuple(sorted({a.canonical or a.name for t in self.tasks for a in t.agencies}))

    @property
    def open_deadlines(self) -> tuple[tuple[str, DeadlineInfo], ...]:
        """(task id, deadline) pairs, by date (undated last)."""
        pairs = [(t.task_id, d) for t in self.tasks for d in t.open_deadlines]
        return tuple(sorted(pairs, key=lambda p: (p[1].date is None, p[1].date or "", p[0])))


@dataclass(frozen=True)
class AgencyTask:
    agency: str  # as written in the task
    canonical: Optional[str]
    agency_id: str
    role: str  # lead | responsible (shared)
    task_id: str
    task_title: str
    evidence: Evidence


@dataclass(frozen=True)
class TaskDeadline:
    task_id: str
    task_title: str
    deadline: DeadlineInfo
    agencies: tuple[TaskAgency, ...]
    evidence: Evidence  # the task's text


@dataclass(frozen=True)
class DocumentInForce:
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    doc_type: Optional[str]
    issue_date: Optional[str]
    valid_until: Optional[str]
    evidence: Evidence  # the opening of the document (quote cut to its first characters)


@dataclass(frozen=True)
class TargetAnswer:
    target_id: str
    metric: Optional[str]
    comparator: Optional[str]
    value: float
    unit: str
    year: Optional[int]
    kind: Optional[str]  # goal | policy_parameter
    text: Optional[str]
    task_id: Optional[str]
    task_title: Optional[str]
    evidence: Evidence


@dataclass(frozen=True)
class SectorAgency:
    agency_id: str
    agency: str
    jurisdiction: Optional[str]
    level: Optional[str]
    sector: str
    sector_label: Optional[str]
    role: Optional[str]  # the generic role asked for, when the question named one (财政部门)
