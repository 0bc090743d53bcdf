"""What an impact report is: plain frozen models (the analyses in :mod:`interface.report` build them,
:mod:`interface.report_render` and :mod:`interface.report_svg` show them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from policykg.answers import DeadlineInfo, Evidence


@dataclass(frozen=True)
class QueryRun:
    """A named query as run: its parameters (match form) and the text the backend executed."""

    name: str
    backend: str
    language: str  # sparql | cypher
    params: dict[str, Any]
    text: str


@dataclass(frozen=True)
class AffectedAgency:
    name: str  # as written in the task
    canonical: Optional[str]
    role: str  # lead | responsible
    successor: Optional[str] = None  # reform: the unit that takes over
    change: Optional[str] = None  # reform: the change's label
    change_date: Optional[str] = None
    kind: Optional[str] = None  # merge | rename | partial
    certain: Optional[bool] = None


@dataclass(frozen=True)
class ImpactItem:
    """One affected task: why, when, who, and what is still due."""

    task_id: str
    task_title: str
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    how: str  # why this task is affected, one line
    direct: bool  # the task itself cites the regulation / names the changed unit / lapses itself
    date: Optional[str]  # when it is affected (change date, last valid day); None = when the change happens
    certain: bool
    agencies: tuple[AffectedAgency, ...]
    deadlines: tuple[DeadlineInfo, ...]
    targets: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True)
class AgencySummary:
    name: str  # as written
    canonical: Optional[str]
    lead: int
    responsible: int
    successor: Optional[str] = None
    change_date: Optional[str] = None
    kind: Optional[str] = None
    certain: Optional[bool] = None
    change: Optional[str] = None  # reform: the change's label


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    how: str
    date: Optional[str] = None
    tasks: int = 0


@dataclass(frozen=True)
class GNode:
    id: str
    label: str
    kind: str  # regulation | document | task | agency | successor | deadline | change | date | more
    layer: int
    title: str = ""  # tooltip
    group: str = ""  # a panel of its own (the reform picture: one per document); "" = the one picture


@dataclass(frozen=True)
class GEdge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False
    weight: int = 1  # drawn thicker for more tasks
    role: str = ""  # lead | responsible: coloured


@dataclass(frozen=True)
class SubGraph:
    nodes: tuple[GNode, ...] = ()
    edges: tuple[GEdge, ...] = ()
    layers: tuple[str, ...] = ()  # a caption per layer
    fixed: tuple[int, ...] = ()  # layers kept in the given order (e.g. dates)


@dataclass(frozen=True)
class ImpactReport:
    kind: str  # repeal | amend | reform | expiry
    subject: str
    title: str
    on: Optional[str]
    summary: tuple[tuple[str, str], ...]
    items: tuple[ImpactItem, ...]
    documents: tuple[DocumentRow, ...]
    agencies: tuple[AgencySummary, ...]
    notes: tuple[str, ...]
    queries: tuple[QueryRun, ...]
    graph: SubGraph = field(default_factory=SubGraph)
    generated: str = ""


@dataclass(frozen=True)
class AgencyProfile:
    """What one agency must do: its tasks (lead / shared), their dated deadlines, and what became of it."""

    query: str  # as asked
    names: tuple[str, ...]  # written names found
    canonical: tuple[str, ...]
    lead: int  # tasks led
    responsible: int  # tasks shared
    documents: tuple[tuple[str, int], ...]  # (document title, tasks)
    tasks: tuple[Any, ...]  # policykg.answers.AgencyTask
    deadlines: tuple[Any, ...]  # policykg.answers.TaskDeadline of its tasks
    successors: tuple[str, ...]  # from the bundled reform file: "市国税局 → 国家税务总局绵阳市税务局 (2018-07-20)"
    queries: tuple[QueryRun, ...] = ()


def doc_label(title: Optional[str], number: Optional[str], doc_id: str) -> str:
    """绵阳市…方案（绵府发〔2016〕13号）: the title with its number, or whichever is known."""
    if title and number:
        return f"{title}（{number}）"
    return title or number or doc_id
