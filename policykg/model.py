"""The one domain model every stage takes and returns.

Every fact carries a :class:`Span` into the ORIGINAL text of its source file
(``source.text[span.start:span.end] == span.quote``), so each answer can point
back to the exact sentence it came from. Clean-up (NFKC, 繁→简, joined lines)
lives in derived fields such as ``title`` or ``name``, never in the span.

All classes are frozen; lists are tuples. Identifiers are deterministic (built
from the source id, document number and provision path), so re-loading the same
text yields the same ids and the writers can MERGE on them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from policykg.errors import ExtractionError

# Relations a citation can have, from cue words (see loaders/extract/citations.py).
CITATION_RELATIONS = ("implements", "based_on", "refers_to", "repeals", "continues", "invalidates")
ROLES = ("lead", "responsible")
COMPARATORS = (">=", ">", "<=", "<", "=", "approx")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of the original text of source ``source_id``."""

    source_id: str
    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ExtractionError(f"bad span {self.start}:{self.end} in {self.source_id}")


@dataclass(frozen=True, slots=True)
class Source:
    """A file as read: its decoded original text and how it was decoded."""

    id: str
    path: str
    text: str
    encoding: str
    sha256: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgencyRef:
    """An agency (or generic role) as written in a document.

    ``name`` keeps the written form (Traditional stays Traditional);
    ``canonical`` is the authority-file name when the alias data knows it;
    ``generic`` marks roles such as 财政部门 or 各有关部门, which never become
    agencies of their own.
    """

    name: str
    span: Span
    canonical: Optional[str] = None
    jurisdiction: Optional[str] = None
    sector: Optional[str] = None
    level: Optional[str] = None
    generic: bool = False

    @property
    def key(self) -> str:
        return self.canonical or self.name


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    span: Span
    date: Optional[date] = None
    kind: str = "due"  # due | window_start | window_end | validity | recurring
    relative_value: Optional[float] = None
    relative_unit: Optional[str] = None  # working_day | day | month | year
    anchor: Optional[str] = None  # what a relative limit counts from (receipt, issue date)
    recurring: Optional[str] = None  # yearly | school_year | quarterly | monthly
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    doc_id: str
    text: str
    metric: str
    comparator: str
    value: float
    unit: str
    span: Span
    year: Optional[int] = None
    task_id: Optional[str] = None
    kind: str = "goal"  # goal | policy_parameter


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    from_doc: str
    cited: str  # the 文号 as written (NFKC) or 《title》
    relation: str
    span: Span
    cited_number: Optional[str] = None
    cited_title: Optional[str] = None
    task_id: Optional[str] = None
    resolved_doc: Optional[str] = None  # id of a corpus document when number or title match


@dataclass(frozen=True, slots=True)
class AgencyMention:
    """A duty-bearer named in running text (documents without 牵头/责任 markers)."""

    doc_id: str
    agency: AgencyRef
    role_text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Provision:
    """A node of the provision tree: 一、 / （一） / 1. / （1） / 第X章 / 第X条."""

    id: str
    doc_id: str
    path: str
    label: str  # the marker as written, e.g. "（一）", "第四条"
    level: str  # part | section | item | subitem | chapter | article
    heading: str
    span: Span
    parent_id: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    doc_id: str
    path: str
    title: str
    text: str
    kind: str  # work_item | provision
    span: Span
    provision_id: Optional[str] = None
    lead: tuple[AgencyRef, ...] = ()
    responsible: tuple[AgencyRef, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    cites: tuple[str, ...] = ()  # cited keys (文号 or 《title》), see Citation


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source_id: str
    span: Span
    doc_number: Optional[str] = None
    title: Optional[str] = None
    issuer: Optional[str] = None
    date: Optional[date] = None
    doc_type: Optional[str] = None
    addressees: tuple[str, ...] = ()
    parent_id: Optional[str] = None
    valid_until: Optional[date] = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one source file."""

    source: Source
    documents: tuple[Document, ...] = ()
    provisions: tuple[Provision, ...] = ()
    tasks: tuple[Task, ...] = ()
    targets: tuple[Target, ...] = ()
    citations: tuple[Citation, ...] = ()
    mentions: tuple[AgencyMention, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def document(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise ExtractionError(f"no document {doc_id!r} in the extraction of {self.source.id}")
