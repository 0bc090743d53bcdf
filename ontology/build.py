"""Build the policykg OWL ontology and everything generated from it.

``python -m ontology.build`` writes, next to this module:

* ``policykg.owl`` -- the ontology in RDF/XML, built with owlready2 in an
  isolated :class:`owlready2.World`;
* ``policykg.ttl`` -- the same triples in Turtle (rdflib, canonical blank
  nodes, nicely bound prefixes);
* ``namespace.py`` -- a closed rdflib ``DefinedNamespace`` ``PKG`` listing
  every term, so a typo such as ``PKG.Tsk`` raises ``AttributeError``.

The output is deterministic: re-running the build on an unchanged module gives
byte-identical files (no git diff).

The ontology is declared once, as data (``CLASSES``, ``OBJECT_PROPERTIES``,
``DATATYPE_PROPERTIES``, ``INDIVIDUALS`` below); edit those tables, then
re-run the build.

Modelling decisions worth knowing when writing data
---------------------------------------------------
* A task is attached to its document both ways: ``?doc pkg:hasTask ?task``
  (optional) and ``?task pkg:partOf ?docOrProvision`` (required by the SHACL
  shapes).  ``pkg:taskOf`` is the inverse of ``pkg:hasTask`` and a
  sub-property of ``pkg:partOf``, so a reasoner derives the latter.
* Spans (``pkg:startOffset`` inclusive, ``pkg:endOffset`` exclusive,
  0-based characters) count into the original text of the source file;
  ``pkg:quote`` holds the exact text of the span.
* ``pkg:value`` and ``pkg:durationValue`` are ``xsd:decimal``; an
  ``xsd:integer`` literal is fine too (its value is a decimal).
  ``pkg:targetYear`` is ``xsd:integer`` (not ``xsd:gYear``, which HermiT and
  OWL 2 DL do not support).
* Free-text properties (``pkg:title``, ``pkg:quote``, ``pkg:writtenName``,
  ``pkg:sourceText``, ``pkg:docType``, ``pkg:metric``, ``pkg:issuerName``,
  ``pkg:addressee``, ``pkg:anchor``) have no ``rdfs:range``, so plain and
  ``@zh`` literals are both consistent; code-like properties (``pkg:unit``,
  ``pkg:taskKind``, ``pkg:role`` ...) are ``xsd:string`` without a language tag
  (a tagged literal there makes the data inconsistent for HermiT).
* Each ``*Kind`` / ``*Level`` property belongs to one class (its rdfs:domain):
  ``pkg:deadlineKind`` on a target or ``pkg:agencyLevel`` on a provision would
  make that resource a deadline or an agency too, which the disjointness
  axioms reject; use ``pkg:targetKind`` and ``pkg:provisionLevel``.
* Only ``pkg:Agency`` resources may lead or share responsibility for a task;
  a generic role (财政部门) is recorded as a ``pkg:AgencyMention`` whose
  ``pkg:mentionOf`` is a ``pkg:GenericRole``.
* External vocabularies (ELI, W3C ORG, OWL-Time, PROV-O, SKOS, Dublin Core)
  are referenced, not imported: their terms are declared with their OWL kind
  only, so the ontology stays small and in OWL 2 DL.
"""
from __future__ import annotations

import argparse
import datetime
import keyword
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path

from policykg.errors import OntologyError

# --------------------------------------------------------------------------
# IRIs
# --------------------------------------------------------------------------

ONTOLOGY_IRI = "https://w3id.org/policykg/ontology"
PKG_NS = ONTOLOGY_IRI + "#"
DATA_NS = "https://w3id.org/policykg/id/"
VERSION = "0.1.0"

#: prefix -> namespace IRI, for every vocabulary the ontology uses.
PREFIXES: dict[str, str] = {
    "pkg": PKG_NS,
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

HERE = Path(__file__).resolve().parent
OWL_FILE = "policykg.owl"
TTL_FILE = "policykg.ttl"
NAMESPACE_FILE = "namespace.py"

# --------------------------------------------------------------------------
# The ontology, as data
# --------------------------------------------------------------------------
# References are CURIEs ("eli:LegalResource"); a bare name is a pkg term.
# A list of several classes as domain or range means their union.


@dataclass(frozen=True)
class ClassSpec:
    name: str
    parents: tuple[str, ...]
    zh: str
    en: str
    definition: str


@dataclass(frozen=True)
class PropertySpec:
    name: str
    parents: tuple[str, ...]
    domain: tuple[str, ...]
    range: tuple[str, ...]
    zh: str
    en: str
    definition: str
    inverse: str | None = None


@dataclass(frozen=True)
class IndividualSpec:
    name: str
    types: tuple[str, ...]
    zh: str
    en: str
    definition: str


CLASSES: tuple[ClassSpec, ...] = (
    # documents ------------------------------------------------------------
    ClassSpec("PolicyDocument", ("eli:LegalResource",), "政策文件", "policy document",
              "A government policy document in the corpus, such as a notice, opinion or "
              "work plan published in a government gazette; identified by its document "
              "number (文号) when it has one."),
    ClassSpec("ExternalDocument", ("eli:LegalResource",), "外部文件", "external document",
              "A document that a corpus document cites but that is not itself in the corpus; "
              "known only by the title or document number written in the citation."),
    ClassSpec("Law", ("eli:LegalResource",), "法律法规", "law or regulation",
              "A law, administrative regulation or rule from the laws-and-regulations corpus."),
    ClassSpec("Provision", ("eli:LegalResourceSubdivision",), "条款", "provision",
              "A numbered subdivision of a document (part, section, article or item), "
              "identified within its document by pkg:path such as 三/（一）/1."),
    # what documents say -----------------------------------------------------
    ClassSpec("Task", (), "任务", "task",
              "A duty assigned in a document: something one or more agencies must do. "
              "pkg:taskKind is 'work_item' for an item of a work plan or task list and "
              "'provision' for an obligation stated in a provision of a regulation."),
    ClassSpec("Target", (), "目标", "target",
              "A quantitative goal set by a document or task, e.g. 城镇化率达到50%: a metric, "
              "a comparator, a value with its unit and optionally a target year."),
    ClassSpec("Deadline", ("time:TemporalEntity",), "时限", "deadline",
              "The time by which, or during which, a task must be done."),
    ClassSpec("InstantDeadline", ("Deadline", "time:Instant"), "截止日期", "instant deadline",
              "A deadline at a calendar date (e.g. 2016年底前 = 2016-12-31), given by "
              "pkg:deadlineDate."),
    ClassSpec("WindowDeadline", ("Deadline", "time:Interval"), "时间段", "window deadline",
              "A period during which a task is carried out (e.g. 2016—2020年), or one end of "
              "it: pkg:deadlineDate is its last day (pkg:deadlineKind 'window_end') or its "
              "first day (pkg:deadlineKind 'window_start'); pkg:startDate may give the first "
              "day when one resource describes the whole window."),
    ClassSpec("RelativeDeadline", ("Deadline",), "相对时限", "relative deadline",
              "A duration counted from a triggering event (e.g. 收到申请之日起30个工作日内), "
              "given by pkg:durationValue and pkg:durationUnit, optionally pkg:anchor and "
              "time:hasXSDDuration. A deadline may be both relative and instant when the "
              "text gives both."),
    ClassSpec("RecurringDeadline", ("Deadline",), "周期性时限", "recurring deadline",
              "A deadline that repeats (e.g. 每年12月底前, 每季度); pkg:recurrence gives the "
              "period and pkg:deadlineDate the first occurrence when known."),
    # who --------------------------------------------------------------------
    ClassSpec("Agency", ("org:Organization",), "机构", "agency",
              "A concrete government body or other organisation named in documents, e.g. "
              "绵阳市财政局; the only kind of resource that may lead or share responsibility "
              "for a task."),
    ClassSpec("AgencyMention", (), "机构提及", "agency mention",
              "One written mention of an agency or generic role in a document, with its span "
              "and the name as written; pkg:mentionOf links it to the agency or role meant."),
    ClassSpec("GenericRole", ("skos:Concept",), "泛指部门", "generic role",
              "A kind of agency named generically rather than individually, e.g. 财政部门 "
              "'finance departments' or 各县市区人民政府 'county-level governments'."),
    ClassSpec("Sector", ("skos:Concept",), "领域", "sector",
              "A policy field such as finance, education or environmental protection, used to "
              "group agencies and generic roles."),
    ClassSpec("Jurisdiction", (), "行政区域", "jurisdiction",
              "An administrative area in which an agency has authority, e.g. 四川省 or 绵阳市."),
    ClassSpec("AgencyChange", ("org:ChangeEvent",), "机构变更", "agency change",
              "A restructuring of agencies (merger, split, renaming, abolition); "
              "org:originalOrganization and org:resultingOrganization give the agencies "
              "before and after."),
    # provenance -------------------------------------------------------------
    ClassSpec("Citation", (), "引用", "citation",
              "One citation of a document in the text, reified for provenance: who cites "
              "(pkg:hasCitation), what is cited (pkg:citedResource), how (pkg:relation) and "
              "where (span and quote)."),
)

#: Classes no resource can belong to two of (owl:AllDisjointClasses).
DISJOINT_CLASSES: tuple[tuple[str, ...], ...] = (
    ("PolicyDocument", "Provision", "Task", "Target", "Deadline", "Agency", "AgencyMention",
     "GenericRole", "Sector", "Jurisdiction", "AgencyChange", "Citation"),
)

_DOC_OR_PROVISION = ("PolicyDocument", "Provision")
_CITING = ("PolicyDocument", "Provision", "Task", "Law")

OBJECT_PROPERTIES: tuple[PropertySpec, ...] = (
    # responsibility -----------------------------------------------------------
    PropertySpec("responsibleFor", (), ("Agency",), ("Task",), "负责", "responsible for",
                 "The agency is responsible (责任单位) for carrying out the task."),
    PropertySpec("leads", ("responsibleFor",), ("Agency",), ("Task",), "牵头", "leads",
                 "The agency is the lead agency (牵头单位) of the task."),
    PropertySpec("sharesResponsibilityFor", ("responsibleFor",), ("Agency",), ("Task",),
                 "共同负责", "shares responsibility for",
                 "The agency is one of the responsible or supporting agencies (责任单位, "
                 "配合单位) of the task without leading it."),
    # citations ---------------------------------------------------------------
    PropertySpec("cites", ("eli:cites",), _CITING, ("eli:LegalResource",), "引用", "cites",
                 "The document, provision or task cites the legal resource (any relation)."),
    PropertySpec("implements", ("cites", "eli:ensures_implementation_of"), _CITING,
                 ("eli:LegalResource",), "贯彻落实", "implements",
                 "The subject is issued to implement the cited resource (为贯彻落实《…》)."),
    PropertySpec("basedOn", ("cites", "eli:based_on"), _CITING, ("eli:LegalResource",),
                 "依据", "based on",
                 "The cited resource is the legal basis of the subject (根据/依据《…》)."),
    PropertySpec("repeals", ("cites", "eli:repeals"), _CITING, ("eli:LegalResource",),
                 "废止", "repeals", "The subject repeals the cited resource (《…》同时废止)."),
    PropertySpec("amends", ("cites", "eli:amends"), _CITING, ("eli:LegalResource",), "修改", "amends",
                 "The subject amends the cited resource (修改《…》, 对《…》作如下修改, a 修正案)."),
    PropertySpec("continues", ("cites",), _CITING, ("eli:LegalResource",), "延续", "continues",
                 "The subject continues or extends the validity of the cited resource "
                 "(继续执行, 有效期延长)."),
    PropertySpec("invalidates", ("cites",), _CITING, ("eli:LegalResource",), "宣布失效",
                 "invalidates",
                 "The subject declares the cited resource no longer valid (《…》同时失效, "
                 "停止执行)."),
    PropertySpec("refersTo", ("cites",), _CITING, ("eli:LegalResource",), "提及", "refers to",
                 "Any other reference to the cited resource (按照, 参照, 见《…》)."),
    PropertySpec("hasCitation", (), _CITING, ("Citation",), "有引用", "has citation",
                 "Links the citing document, provision or task to a reified citation."),
    PropertySpec("citedResource", (), ("Citation",), ("eli:LegalResource",), "被引文件",
                 "cited resource", "The legal resource that the reified citation cites."),
    # structure ----------------------------------------------------------------
    PropertySpec("partOf", ("eli:is_part_of",), ("PolicyDocument", "Provision", "Task"),
                 _DOC_OR_PROVISION, "属于", "part of",
                 "The provision or task is part of the document or provision; a child "
                 "document (e.g. an annex issued with a notice) is part of its parent "
                 "document. Every task has at least one pkg:partOf."),
    PropertySpec("hasTask", (), _DOC_OR_PROVISION, ("Task",), "包含任务", "has task",
                 "The document or provision assigns the task."),
    PropertySpec("taskOf", ("partOf",), ("Task",), _DOC_OR_PROVISION, "任务所属", "task of",
                 "Inverse of pkg:hasTask: the document or provision that assigns the task.",
                 inverse="hasTask"),
    PropertySpec("hasTarget", (), ("Task", "PolicyDocument"), ("Target",), "设定目标",
                 "has target", "The task or document sets the quantitative target."),
    PropertySpec("hasDeadline", (), ("Task",), ("Deadline",), "完成时限", "has deadline",
                 "The time by which, or during which, the task must be done."),
    PropertySpec("issuedBy", ("eli:passed_by",), ("PolicyDocument",), ("Agency",), "发文机关",
                 "issued by", "The agency that issued the document (发文机关)."),
    # agencies -----------------------------------------------------------------
    PropertySpec("jurisdiction", (), ("Agency", "GenericRole"), ("Jurisdiction",), "管辖区域",
                 "jurisdiction",
                 "The administrative area in which the agency (or the agencies a generic role "
                 "names) has authority."),
    PropertySpec("withinJurisdiction", (), ("Jurisdiction",), ("Jurisdiction",), "上级行政区",
                 "within jurisdiction",
                 "The administrative area directly containing this one (绵阳市 → 四川省)."),
    PropertySpec("sector", (), ("Agency", "GenericRole"), ("Sector",), "所属领域", "sector",
                 "The policy field of the agency or generic role."),
    PropertySpec("succeededBy", (), ("Agency",), ("Agency",), "由…承继", "succeeded by",
                 "The agency's duties passed to the other agency after a restructuring."),
    # mentions -----------------------------------------------------------------
    PropertySpec("mentions", (), ("PolicyDocument", "Provision", "Task"), ("AgencyMention",),
                 "提及机构", "mentions",
                 "The text of the document, provision or task contains the agency mention."),
    PropertySpec("mentionOf", (), ("AgencyMention",), ("Agency", "GenericRole"), "指代",
                 "mention of", "The agency or generic role the mention refers to."),
)

#: Datatype property ranges: "xsd:string", "xsd:date", "xsd:integer", "xsd:decimal", or
#: () for free text that may carry a language tag.
DATATYPE_PROPERTIES: tuple[PropertySpec, ...] = (
    # documents
    PropertySpec("docNumber", ("eli:id_local",), ("eli:LegalResource",), ("xsd:string",),
                 "文号", "document number", "The document number, e.g. 绵府发〔2016〕12号."),
    PropertySpec("title", (), (), (), "标题", "title",
                 "The title of a document (without book-title marks 《》) or the short heading "
                 "of a task, as written."),
    PropertySpec("issueDate", ("eli:date_document",), ("eli:LegalResource",), ("xsd:date",),
                 "发文日期", "issue date", "The date the document was signed or issued (成文日期)."),
    PropertySpec("docType", (), ("eli:LegalResource",), (), "文种",
                 "document type", "The kind of document, e.g. 通知, 意见, 办法, 方案."),
    PropertySpec("issuerName", (), ("PolicyDocument",), (), "发文机关名称", "issuer name",
                 "The issuing agency as written in the document (发文机关), whether or not it is "
                 "resolved to a pkg:Agency by pkg:issuedBy."),
    PropertySpec("addressee", (), ("PolicyDocument",), (), "主送机关", "addressee",
                 "One addressee of the document (主送机关) as written, e.g. 各县市区人民政府."),
    PropertySpec("sourceText", (), (), (), "原文", "source text",
                 "The text of the resource: a document's body, or the sentence(s) stating a "
                 "task or target, after clean-up (spans still point into the original)."),
    PropertySpec("inForceFrom", ("eli:first_date_entry_in_force",), ("eli:LegalResource",),
                 ("xsd:date",), "施行日期", "in force from",
                 "The date the document enters into force (自…起施行)."),
    PropertySpec("versionDate", ("eli:version_date",), ("eli:LegalResource",), ("xsd:date",),
                 "版本日期", "version date",
                 "The date of the version of the text that the resource describes (a law as "
                 "amended on that day)."),
    PropertySpec("articleCount", (), ("Law",), ("xsd:integer",), "条文数", "article count",
                 "The number of articles (第X条) of the law or regulation."),
    PropertySpec("validUntil", ("eli:date_no_longer_in_force",), ("eli:LegalResource",),
                 ("xsd:date",), "有效期至", "valid until",
                 "The last date on which the document is valid (有效期至…)."),
    PropertySpec("endOfForce", (), ("eli:LegalResource",), ("xsd:date",), "失效日期（废止）", "end of force",
                 "The earliest issue date of a document that repeals or declares this one invalid; derived at "
                 "load (build-time inference), not written in the document itself."),
    # spans
    PropertySpec("startOffset", (), (), ("xsd:integer",), "起始位置", "start offset",
                 "0-based character offset of the first character of the span (inclusive), "
                 "into the original text of the source file (prov:wasDerivedFrom)."),
    PropertySpec("endOffset", (), (), ("xsd:integer",), "结束位置", "end offset",
                 "0-based character offset just after the last character of the span "
                 "(exclusive), into the original text of the source file."),
    PropertySpec("quote", (), (), (), "原文摘录", "quote",
                 "The exact original text of the span (source text[startOffset:endOffset])."),
    PropertySpec("matchKey", (), (), ("xsd:string",), "匹配键", "match key",
                 "Normalised name or document number used to match mentions and citations "
                 "across documents (NFKC, Simplified Chinese, no spaces or 《》, unified year "
                 "brackets 〔2016〕)."),
    PropertySpec("matchTitle", (), (), ("xsd:string",), "匹配标题", "match title",
                 "Normalised title (as for pkg:matchKey) of a cited document."),
    PropertySpec("matchText", (), (), ("xsd:string",), "匹配文本", "match text",
                 "Normalised title and text (as for pkg:matchKey) of a task, for text search."),
    PropertySpec("path", (), (), ("xsd:string",), "条款路径", "path",
                 "The position of a provision (or of the provision holding a task) in its "
                 "document, its numbering labels joined by '/', e.g. 三/（一）/1."),
    # tasks
    PropertySpec("taskKind", (), ("Task",), ("xsd:string",), "任务类型", "task kind",
                 "'work_item' (an item of a work plan or task list) or 'provision' (an "
                 "obligation stated in a provision)."),
    # targets
    PropertySpec("value", (), ("Target",), ("xsd:decimal",), "目标值", "value",
                 "The number the target sets, e.g. 50 in 达到50%."),
    PropertySpec("unit", (), ("Target",), ("xsd:string",), "单位", "unit",
                 "The unit of pkg:value as written, e.g. %, 个, 万元, 亿元."),
    PropertySpec("comparator", (), ("Target",), ("xsd:string",), "比较关系", "comparator",
                 "How the measured quantity relates to pkg:value: '>=' (达到, 不低于), '<=' "
                 "(控制在…以内, 不超过), '=', '>' (超过), '<' or 'approx' (左右, 约)."),
    PropertySpec("metric", (), ("Target",), (), "指标", "metric",
                 "What the target measures, e.g. 城镇化率."),
    PropertySpec("targetYear", (), ("Target",), ("xsd:integer",), "目标年份", "target year",
                 "The year by which the target is to be met, e.g. 2020."),
    PropertySpec("targetKind", (), ("Target",), ("xsd:string",), "目标类型", "target kind",
                 "'goal' (a result to reach) or 'policy_parameter' (a fixed figure of a policy, "
                 "e.g. a subsidy rate)."),
    # deadlines
    PropertySpec("deadlineDate", (), ("Deadline",), ("xsd:date",), "截止日期", "deadline date",
                 "The last day of the deadline (for a window, its end)."),
    PropertySpec("startDate", (), ("WindowDeadline",), ("xsd:date",), "开始日期", "start date",
                 "The first day of a window deadline that describes the whole window."),
    PropertySpec("deadlineKind", (), ("Deadline",), ("xsd:string",), "时限类型", "deadline kind",
                 "'due' (by a date or within a duration), 'window_start', 'window_end', "
                 "'validity' (end of a document's validity) or 'recurring'."),
    PropertySpec("durationValue", (), ("Deadline",), ("xsd:decimal",), "时长", "duration value",
                 "The number of pkg:durationUnit units of a relative deadline, e.g. 30 in "
                 "30个工作日内."),
    PropertySpec("durationUnit", (), ("Deadline",), ("xsd:string",), "时长单位", "duration unit",
                 "The unit of pkg:durationValue: 'day', 'working_day' (see "
                 "pkg:unitWorkingDay), 'week', 'month', 'quarter' or 'year'."),
    PropertySpec("anchor", (), ("Deadline",), (), "起算点", "anchor",
                 "What a relative deadline counts from, e.g. receipt of an application or the "
                 "issue date."),
    PropertySpec("recurrence", (), ("Deadline",), ("xsd:string",), "周期", "recurrence",
                 "The period of a recurring deadline: 'yearly', 'school_year', 'quarterly' or "
                 "'monthly'."),
    # agencies, mentions, citations
    PropertySpec("provisionLevel", (), ("Provision",), ("xsd:string",), "条款层级",
                 "provision level",
                 "The kind of subdivision: 'part' (一、), 'section' (（一）), 'item' (1.), "
                 "'subitem' (（1）), 'chapter' (第X章) or 'article' (第X条)."),
    PropertySpec("agencyLevel", (), ("Agency",), ("xsd:string",), "机构层级", "agency level",
                 "The administrative level of the agency: 'national', 'provincial', "
                 "'prefecture', 'county' or 'township'."),
    PropertySpec("writtenName", (), ("AgencyMention",), (), "书面名称", "written name",
                 "The name of the agency or role exactly as written in the document."),
    PropertySpec("role", (), ("AgencyMention",), ("xsd:string",), "角色", "role",
                 "The part the mentioned agency plays: 'lead' (牵头单位), 'responsible' "
                 "(责任单位) or 'duty' (a duty-bearer named in running text)."),
    PropertySpec("relation", (), ("Citation",), ("xsd:string",), "引用关系", "relation",
                 "The kind of citation: 'implements', 'based_on', 'refers_to', 'repeals', "
                 "'amends', 'continues' or 'invalidates' (the pkg:cites sub-property it asserts, in "
                 "snake_case), or 'cites' when unknown."),
    PropertySpec("changeDate", (), ("AgencyChange",), ("xsd:date",), "变更日期", "change date",
                 "The date the agency change took effect."),
)

INDIVIDUALS: tuple[IndividualSpec, ...] = (
    IndividualSpec("unitWorkingDay", ("time:TemporalUnit",), "工作日", "working day",
                   "The temporal unit of one working day (weekends and public holidays "
                   "excluded), as in 30个工作日内; pkg:durationUnit 'working_day'."),
)

#: External terms that are reused, not redefined: declared with their OWL kind only.
EXTERNAL_CLASSES = (
    "eli:LegalResource", "eli:LegalResourceSubdivision", "org:Organization", "org:ChangeEvent",
    "time:TemporalEntity", "time:Instant", "time:Interval", "time:TemporalUnit", "skos:Concept",
)
EXTERNAL_OBJECT_PROPERTIES = (
    "eli:cites", "eli:ensures_implementation_of", "eli:based_on", "eli:repeals", "eli:amends",
    "eli:is_part_of", "eli:passed_by", "org:subOrganizationOf", "org:originalOrganization",
    "org:resultingOrganization", "prov:wasDerivedFrom", "time:unitType",
)
EXTERNAL_DATATYPE_PROPERTIES = (
    "eli:id_local", "eli:date_document", "eli:first_date_entry_in_force",
    "eli:date_no_longer_in_force", "eli:version_date", "time:hasXSDDuration",
)
EXTERNAL_ANNOTATION_PROPERTIES = (
    "skos:definition", "dcterms:title", "dcterms:description", "dcterms:created",
    "vann:preferredNamespacePrefix", "vann:preferredNamespaceUri",
)

ONTOLOGY_TITLE = {"en": "PolicyKG ontology", "zh": "政策知识图谱本体"}
ONTOLOGY_DESCRIPTION = (
    "Vocabulary of the policykg knowledge graph of Chinese government policy documents: "
    "documents and their provisions, the tasks they assign to agencies (lead and "
    "responsible agencies), quantitative targets, deadlines, and citations of laws and "
    "other documents, with character spans for provenance. Aligned with ELI, W3C ORG, "
    "OWL-Time, SKOS and PROV-O."
)
#: Fixed, so that the build is reproducible; bump together with VERSION.
ONTOLOGY_CREATED = "2024-06-01"

# --------------------------------------------------------------------------
# Building with owlready2
# --------------------------------------------------------------------------

_XSD_TO_PY = {"xsd:string": str, "xsd:date": datetime.date, "xsd:integer": int,
              "xsd:decimal": float}  # owlready2 writes float ranges as xsd:decimal


def _expand(curie: str) -> str:
    if ":" not in curie:
        return PKG_NS + curie
    prefix, local = curie.split(":", 1)
    try:
        return PREFIXES[prefix] + local
    except KeyError:
        raise OntologyError(f"unknown prefix in {curie!r}; add it to PREFIXES in ontology/build.py") from None


def _check_spec() -> None:
    """Fail early, with the offending name, on a malformed table."""
    seen: set[str] = set()
    names = ([c.name for c in CLASSES] + [p.name for p in OBJECT_PROPERTIES]
             + [p.name for p in DATATYPE_PROPERTIES] + [i.name for i in INDIVIDUALS])
    for name in names:
        if name in seen:
            raise OntologyError(f"term pkg:{name} is declared twice in ontology/build.py")
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise OntologyError(f"pkg:{name} is not usable as a Python attribute name")
        seen.add(name)
    for c in CLASSES:
        if not c.name[0].isupper():
            raise OntologyError(f"class pkg:{c.name} must be PascalCase")
    for p in OBJECT_PROPERTIES + DATATYPE_PROPERTIES:
        if not p.name[0].islower():
            raise OntologyError(f"property pkg:{p.name} must be camelCase")
    for p in DATATYPE_PROPERTIES:
        for r in p.range:
            if r not in _XSD_TO_PY:
                raise OntologyError(f"pkg:{p.name}: unsupported datatype {r}")


def build_world():
    """Build the ontology in a fresh owlready2 World; return ``(world, ontology)``."""
    import owlready2 as ow
    from owlready2 import base as ow_base

    _check_spec()
    world = ow.World()
    onto = world.get_ontology(ONTOLOGY_IRI)
    entities: dict[str, object] = {}   # full IRI -> owlready2 entity

    def namespace_of(iri: str):
        base = iri[: max(iri.rfind("#"), iri.rfind("/")) + 1]
        return onto if base == PKG_NS else onto.get_namespace(base)

    def declare(curie: str, base) -> object:
        iri = _expand(curie)
        if iri not in entities:
            local = iri[len(iri[: max(iri.rfind("#"), iri.rfind("/")) + 1]):]
            with namespace_of(iri):
                entities[iri] = types.new_class(local, (base,))
        return entities[iri]

    def ref(curie: str):
        try:
            return entities[_expand(curie)]
        except KeyError:
            raise OntologyError(f"{curie} is used before it is declared in ontology/build.py") from None

    def class_expr(curies: tuple[str, ...]):
        classes = [ref(c) for c in curies]
        if len(classes) == 1:
            return classes[0]
        return ow.Or(classes)

    # Annotations and tautologies go through raw triples: owlready2's list properties
    # insert in hash order, which would make the RDF/XML differ from run to run.
    def annotate(entity, zh: str, en: str, text: str) -> None:
        onto._add_data_triple_spod(entity.storid, ow.label.storid, zh, "@zh")
        onto._add_data_triple_spod(entity.storid, ow.label.storid, en, "@en")
        onto._add_data_triple_spod(entity.storid, definition.storid, text, "@en")
        onto._add_obj_triple_spo(entity.storid, ow.isDefinedBy.storid, onto.storid)

    def drop_thing(cls) -> None:
        """Remove the tautology ``cls rdfs:subClassOf owl:Thing`` owlready2 asserts."""
        onto._del_obj_triple_spo(cls.storid, ow_base.rdfs_subclassof, ow_base.owl_thing)

    # external vocabulary, declared only
    for c in EXTERNAL_CLASSES:
        drop_thing(declare(c, ow.Thing))
    for p in EXTERNAL_OBJECT_PROPERTIES:
        declare(p, ow.ObjectProperty)
    for p in EXTERNAL_DATATYPE_PROPERTIES:
        declare(p, ow.DataProperty)
    for p in EXTERNAL_ANNOTATION_PROPERTIES:
        declare(p, ow.AnnotationProperty)
    definition = ref("skos:definition")

    with onto:
        # classes, in table order so that parents come first
        for c in CLASSES:
            bases = tuple(ref(p) for p in c.parents) or (ow.Thing,)
            cls = types.new_class(c.name, bases)
            if not c.parents:
                drop_thing(cls)
            entities[PKG_NS + c.name] = cls
            annotate(cls, c.zh, c.en, c.definition)
        for group in DISJOINT_CLASSES:
            ow.AllDisjoint([ref(n) for n in group])

        for kind, specs in ((ow.ObjectProperty, OBJECT_PROPERTIES),
                            (ow.DataProperty, DATATYPE_PROPERTIES)):
            for p in specs:
                bases = tuple(ref(b) for b in p.parents) or (kind,)
                prop = types.new_class(p.name, bases)
                entities[PKG_NS + p.name] = prop
                if p.domain:
                    prop.domain = [class_expr(p.domain)]
                if kind is ow.ObjectProperty:
                    if p.range:
                        prop.range = [class_expr(p.range)]
                    if p.inverse:
                        prop.inverse_property = ref(p.inverse)
                elif p.range:
                    prop.range = [_XSD_TO_PY[r] for r in p.range]
                annotate(prop, p.zh, p.en, p.definition)

        for i in INDIVIDUALS:
            first, *rest = (ref(t) for t in i.types)
            ind = first(i.name, namespace=onto)
            ind.is_a.extend(rest)
            entities[PKG_NS + i.name] = ind
            annotate(ind, i.zh, i.en, i.definition)

        # ontology header
        s = onto.storid
        string = ow_base._universal_datatype_2_abbrev[str]
        date = ow_base._universal_datatype_2_abbrev[datetime.date]

        def add(prop_curie: str, value: str, d) -> None:
            onto._add_data_triple_spod(s, world._abbreviate(_expand(prop_curie)), value, d)

        for lang, text in ONTOLOGY_TITLE.items():
            add("dcterms:title", text, "@" + lang)
        add("rdfs:label", ONTOLOGY_TITLE["en"], "@en")
        add("dcterms:description", ONTOLOGY_DESCRIPTION, "@en")
        add("dcterms:created", ONTOLOGY_CREATED, date)
        add("owl:versionInfo", VERSION, string)
        add("vann:preferredNamespacePrefix", "pkg", string)
        add("vann:preferredNamespaceUri", PKG_NS, string)
    return world, onto


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _owl_text(onto) -> str:
    """RDF/XML from owlready2, with our prefixes instead of owlready2's guesses."""
    from owlready2 import driver

    saved = dict(driver._XMLNS)
    try:
        for prefix, iri in PREFIXES.items():
            if prefix != "pkg":
                driver._XMLNS.setdefault(iri, prefix + ":")
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / OWL_FILE
            onto.save(str(target), format="rdfxml")
            text = target.read_text(encoding="utf-8")
    finally:
        driver._XMLNS.clear()
        driver._XMLNS.update(saved)
    # owlready2 only declares the prefixes it uses, in first-use order: that order is
    # fixed by the tables above, so the text is reproducible.
    return text.rstrip("\n") + "\n"


def _turtle_text(owl_text: str) -> str:
    """Turtle for the RDF/XML, laid out like the tables: header, classes, object
    properties, datatype properties, individuals, disjointness axioms, then the
    declarations of external terms.  Blank nodes are inlined (``[...]``, ``(...)``);
    free-standing ones (owl:AllDisjointClasses) are ordered by their canonical,
    content-derived labels, so the text is reproducible."""
    import rdflib
    from rdflib import BNode, URIRef
    from rdflib.compare import to_canonical_graph

    parsed = rdflib.Graph()
    parsed.parse(data=owl_text, format="xml", publicID=ONTOLOGY_IRI)
    graph = rdflib.Graph(bind_namespaces="none")
    for triple in to_canonical_graph(parsed):   # blank-node labels from content hashes
        graph.add(triple)

    def new_graph() -> rdflib.Graph:
        g = rdflib.Graph(bind_namespaces="none")
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri, override=True, replace=True)
        return g

    def body(g: rdflib.Graph) -> str:
        text = g.serialize(format="turtle")
        return "\n".join(l for l in text.splitlines() if not l.startswith("@prefix")).strip()

    def chunk(subject) -> str:
        g = new_graph()
        todo, seen = [subject], set()
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            for p, o in graph.predicate_objects(s):
                g.add((s, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        return body(g)

    referenced = {o for o in graph.objects() if isinstance(o, BNode)}
    free_bnodes = sorted({s for s in graph.subjects() if isinstance(s, BNode)} - referenced)
    pkg = [PKG_NS + spec.name for spec in CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES + INDIVIDUALS]
    ordered = [URIRef(ONTOLOGY_IRI)] + [URIRef(iri) for iri in pkg] + free_bnodes
    rest = sorted({s for s in graph.subjects() if isinstance(s, URIRef)} - set(ordered))

    used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    prefixes = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in sorted(PREFIXES.items())
                if any(u.startswith(iri) for u in used)]
    sections = [
        "# policykg ontology -- GENERATED by `python -m ontology.build` from ontology/build.py;"
        " do not edit.",
        "\n".join(prefixes),
    ]
    sections += [chunk(s) for s in ordered]
    sections.append("# External terms reused (declared here, defined by their own vocabularies)")
    sections += [chunk(s) for s in rest]
    # every triple must have been written exactly once
    written = new_graph()
    for section in sections[2:]:
        if not section.startswith("#"):
            written.parse(data="\n".join(prefixes) + "\n" + section, format="turtle")
    if len(written) != len(graph):
        raise OntologyError(f"Turtle layout lost triples ({len(written)} of {len(graph)} written)")
    return "\n\n".join(sections) + "\n"


def _term_kinds(onto) -> dict[str, list[tuple[str, str]]]:
    """pkg local names with their English definitions, grouped by kind."""
    def doc(entity) -> str:
        texts = [t for t in entity.label if getattr(t, "lang", "") == "en"]
        defs = [str(t) for t in onto.world[_expand("skos:definition")][entity]]
        return f"{texts[0] if texts else ''}: {defs[0] if defs else ''}"

    def mine(entity) -> bool:
        return entity.iri.startswith(PKG_NS)

    kinds = {
        "Classes": [(e.name, doc(e)) for e in onto.classes() if mine(e)],
        "Object properties": [(e.name, doc(e)) for e in onto.object_properties() if mine(e)],
        "Datatype properties": [(e.name, doc(e)) for e in onto.data_properties() if mine(e)],
        "Individuals": [(e.name, doc(e)) for e in onto.individuals() if mine(e)],
    }
    return {k: sorted(v) for k, v in kinds.items()}


def _namespace_text(onto) -> str:
    lines = [
        '"""Closed rdflib namespace of the policykg ontology.',
        "",
        "GENERATED by `python -m ontology.build` from ontology/build.py -- do not edit.",
        "",
        "``PKG.<term>`` is a ``URIRef``; an unknown term (a typo) raises AttributeError.",
        '"""',
        "from rdflib import URIRef",
        "from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, TIME, DefinedNamespace, Namespace",
        "",
        "__all__ = [",
        '    "PKG", "ELI", "ORG", "TIME", "PROV", "OA", "SKOS", "DCTERMS", "DATA",',
        '    "ONTOLOGY_IRI",',
        "]",
        "",
        f'ONTOLOGY_IRI = URIRef("{ONTOLOGY_IRI}")',
        "",
        "#: European Legislation Identifier ontology (not built into rdflib).",
        f'ELI = Namespace("{PREFIXES["eli"]}")',
        "#: W3C Web Annotation vocabulary (not built into rdflib).",
        f'OA = Namespace("{PREFIXES["oa"]}")',
        "#: Base of the IRIs of data resources (documents, tasks, agencies ...).",
        f'DATA = Namespace("{DATA_NS}")',
        "",
        "",
        "class PKG(DefinedNamespace):",
        '    """policykg ontology terms (https://w3id.org/policykg/ontology#)."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{PKG_NS}")',
    ]
    for kind, terms in _term_kinds(onto).items():
        lines += ["", f"    # {kind}"]
        for name, text in terms:
            text = " ".join(text.split())
            lines.append(f"    {name}: URIRef  # {text}")
    return "\n".join(lines) + "\n"


def build(out_dir: Path | str = HERE) -> dict[str, Path]:
    """Build the ontology and write the three generated files into ``out_dir``.

    Returns ``{"owl": path, "ttl": path, "namespace": path}``.  Files whose
    content is unchanged are not rewritten.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world, onto = build_world()
    try:
        owl_text = _owl_text(onto)
        ttl_text = _turtle_text(owl_text)
        ns_text = _namespace_text(onto)
    finally:
        world.close()
    paths = {"owl": out / OWL_FILE, "ttl": out / TTL_FILE, "namespace": out / NAMESPACE_FILE}
    _write_if_changed(paths["owl"], owl_text)
    _write_if_changed(paths["ttl"], ttl_text)
    _write_if_changed(paths["namespace"], ns_text)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ontology.build", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE,
                        help="directory to write policykg.owl, policykg.ttl and namespace.py into "
                             "(default: the ontology package)")
    args = parser.parse_args(argv)
    try:
        paths = build(args.out)
    except OntologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
