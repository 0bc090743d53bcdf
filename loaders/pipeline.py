"""Run every extraction stage on one source file → :class:`policykg.model.Extraction`.

read → normalise → documents → provisions/tasks/roles → agencies → targets,
deadlines, citations → mentions. Stages are pure functions; this module only
wires them and turns normalised offsets into spans of the original text.
"""
from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from loaders.extract.agencies import make_ref, mentions_in
from loaders.extract.bounds import extract_bounds
from loaders.extract.documents import DocDraft, segment
from loaders.extract.lexicon import lexicon
from loaders.extract.roles import declares_first_lead
from loaders.extract.tasks import extract_tasks
from loaders.text import normalize, read_source
from loaders.text.normalize import NormText
from policykg.errors import InputError
from policykg.model import (AgencyMention, Citation, Document, Extraction, Provision, Source, Task)


@dataclass
class StageTimer:
    """Seconds spent per stage, summed over files (shown by ``policykg build``)."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def run(self, stage: str, fn: Callable, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds[stage] += time.perf_counter() - t0


def extract_file(path: str | Path, timer: Optional[StageTimer] = None) -> Extraction:
    timer = timer or StageTimer()
    source = timer.run("read", read_source, path)
    return extract_source(source, timer)


def extract_text(text: str, source_id: str = "text") -> Extraction:
    import hashlib

    if not text.strip():
        raise InputError(f"{source_id}: the text is empty")
    src = Source(id=source_id, path=source_id, text=text, encoding="utf-8",
                 sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    return extract_source(src)


def extract_source(source: Source, timer: Optional[StageTimer] = None, *, doc_prefix: Optional[str] = None) -> Extraction:
    """``doc_prefix``: documents are ``<doc_prefix>-dN`` (default the source id; the laws loader keeps
    ``<source>-d1`` for the Law node and names the extracted document apart)."""
    timer = timer or StageTimer()
    norm = timer.run("normalise", normalize, source.text, source.id)
    drafts = timer.run("documents", segment, norm)
    return timer.run("facts", _facts, source, norm, drafts, doc_prefix)


def _doc_id(prefix: str, i: int) -> str:
    return f"{prefix}-d{i + 1}"


def _facts(source: Source, norm: NormText, drafts: list[DocDraft], doc_prefix: Optional[str] = None) -> Extraction:
    from loaders.extract.citations import citation_key, extract_citations
    from loaders.extract.deadlines import extract_deadlines
    from loaders.extract.targets import extract_targets

    text, match = norm.text, norm.match
    documents: list[Document] = []
    provisions: list[Provision] = []
    tasks: list[Task] = []
    targets = []
    citations: list[Citation] = []
    mentions: list[AgencyMention] = []
    warnings = list(source.warnings) + list(norm.warnings)
    ids = [_doc_id(doc_prefix or source.id, i) for i in range(len(drafts))]
    parents = {d.parent for d in drafts if d.parent is not None}
    for i, d in enumerate(drafts):
        doc_id = ids[i]
        context = _jurisdiction_context(d, drafts)
        documents.append(Document(
            id=doc_id, source_id=source.id, span=norm.span(d.start, d.end), doc_number=d.doc_number,
            title=d.title, issuer=d.issuer, date=d.date, doc_type=d.doc_type, addressees=tuple(d.addressees),
            parent_id=ids[d.parent] if d.parent is not None else None))
        year = _doc_year(d, match)
        parent_date = drafts[d.parent].date if d.parent is not None else None
        issue_date = d.date or parent_date or _year_date(year)
        declared = d.parent is not None and declares_first_lead(match[drafts[d.parent].body_start:drafts[d.parent].end])
        task_drafts = extract_tasks(text, match, d.body_start, d.end, first_is_lead=declared,
                                    issues_attachment=i in parents, title=d.title_span)
        seen_paths: dict[str, int] = defaultdict(int)
        n_tasks = 0
        task_ranges: list[tuple[int, int, str]] = []
        for td in task_drafts:
            n_tasks += 1
            seen_paths[td.path] += 1
            suffix = f"-{seen_paths[td.path]}" if seen_paths[td.path] > 1 else ""
            task_id = f"{doc_id}-t{n_tasks}"
            prov_id = None
            if td.node is not None:
                prov_id = f"{doc_id}-p-{_ascii_path(td.path)}{suffix}"
                provisions.append(Provision(
                    id=prov_id, doc_id=doc_id, path=td.path, label=td.node.label, level=td.node.level,
                    heading=text[td.title_start:td.title_end], span=norm.span(td.node.start, td.end)))
            t_cites = extract_citations(norm, td.start, td.end, doc_id=doc_id, task_id=task_id,
                                        id_prefix=f"{task_id}-c")
            t_cites = [c for c in t_cites if not _self_citation(c, d)]
            deadlines = extract_deadlines(norm, td.start, td.end, issue_date=issue_date)
            tasks.append(Task(
                id=task_id, doc_id=doc_id, path=td.path, title=_clean(text[td.title_start:td.title_end]),
                text=_clean(text[td.start:td.end]), kind=td.kind, span=norm.span(td.start, td.end),
                provision_id=prov_id,
                lead=tuple(make_ref(norm, u, context) for u in td.lead),
                responsible=tuple(make_ref(norm, u, context) for u in td.responsible),
                deadlines=tuple(deadlines), cites=tuple(dict.fromkeys(citation_key(c) for c in t_cites))))
            task_ranges.append((td.start, td.end, task_id))
        # targets: one pass over the document, each given to the task whose text holds it
        found = extract_targets(norm, d.body_start, d.end, doc_id=doc_id, task_id=None, default_year=year,
                                id_prefix=f"{doc_id}-g")
        if any(td.kind == "provision" for td in task_drafts):  # a regulation: fines and bounds, each bound apart
            found = _with_bounds(found, extract_bounds(norm, d.body_start, d.end, doc_id=doc_id,
                                                       id_prefix=f"{doc_id}-b"))
        targets.extend(_assign_targets(found, task_ranges, norm, doc_id))
        # document-level: citations, duty-bearers without markers
        doc_cites = extract_citations(norm, d.start, d.end, doc_id=doc_id, task_id=None, id_prefix=f"{doc_id}-c")
        seen_keys = set()
        for c in doc_cites:
            key = citation_key(c)
            if key in seen_keys or _self_citation(c, d):
                continue
            seen_keys.add(key)
            citations.append(c)
        if not any((td.lead or td.responsible) and not _in_prose(td) for td in task_drafts):
            for m in mentions_in(norm, d.body_start, d.end, doc_id, context):
                mentions.append(m)
        else:
            mentions.extend(_provision_mentions(norm, task_drafts, doc_id, context))
        # 有效期5年 (本规定自印发之日起实施，有效期5年) → Document.valid_until (issue 4: in_force_on)
        if "有效期" in match[d.body_start:d.end]:
            valid_from = d.date or (drafts[d.parent].date if d.parent is not None else None)
            validity = [dl.date for dl in extract_deadlines(norm, d.body_start, d.end, issue_date=valid_from)
                        if dl.kind == "validity" and dl.date]
            if validity:
                from dataclasses import replace

                documents[-1] = replace(documents[-1], valid_until=validity[-1])
    _resolve_citations(citations, documents)
    return Extraction(source=source, documents=tuple(documents), provisions=tuple(provisions), tasks=tuple(tasks),
                      targets=tuple(targets), citations=tuple(citations), mentions=tuple(mentions),
                      warnings=tuple(warnings))


def _in_prose(td) -> bool:
    """Roles read from the task's sentences (X等部门牵头…), not from a 牵头/责任 marker."""
    return bool(td.markers) and all(g.sentence is not None for g in td.markers)


def _provision_mentions(norm: NormText, drafts, doc_id: str, context: Optional[str]) -> list[AgencyMention]:
    """Each duty-bearer of a regulation's provisions, once, with the clause that first obliges it."""
    out: list[AgencyMention] = []
    seen: set[str] = set()
    for td in drafts:
        if td.kind != "provision":
            continue
        for u in td.lead + td.responsible:
            if u.name in seen:
                continue
            seen.add(u.name)
            out.append(AgencyMention(doc_id=doc_id, agency=make_ref(norm, u, context),
                                     role_text=_clean(norm.text[td.title_start:td.title_end]),
                                     span=norm.span(td.title_start, td.title_end)))
    return out


def _with_bounds(found: list, bounds: tuple[list, list]) -> list:
    """A regulation's bounds (see ``extract_bounds``): ranges and fines replace the general targets read
    from the same clause; a single lower bound is added unless a target of its clause already says it."""
    replacing, adding = bounds
    if not replacing and not adding:
        return found

    def overlap(t, b) -> bool:
        return t.span.start <= b.span.start < t.span.end or b.span.start <= t.span.start < b.span.end

    kept = [t for t in found if not any(overlap(t, b) for b in replacing)] + replacing
    kept += [b for b in adding if not any(t.value == b.value and t.unit == b.unit and overlap(t, b) for t in kept)]
    return sorted(kept, key=lambda t: (t.span.start, t.comparator != ">="))


def _assign_targets(found, task_ranges: list[tuple[int, int, str]], norm: NormText, doc_id: str) -> list:
    """Give each target to the task whose text holds it (document-level goals keep task None)."""
    import bisect
    from dataclasses import replace

    starts = [a for a, _, _ in task_ranges]
    counts: dict[str, int] = defaultdict(int)
    out = []
    for t in found:
        pos = _norm_pos(norm, t.span.start)
        p = bisect.bisect_right(starts, pos) - 1
        owner = None
        if p >= 0:
            a, b, task_id = task_ranges[p]
            if pos < b:
                owner = task_id
        key = owner or doc_id
        counts[key] += 1
        out.append(replace(t, task_id=owner, id=f"{key}-g{counts[key]}"))
    return out


def _norm_pos(norm: NormText, orig: int) -> int:
    """The normalised offset of an original offset (offsets are increasing)."""
    import bisect

    return bisect.bisect_left(norm.offsets, orig)


def _clean(s: str) -> str:
    """``s`` without whitespace (str.split splits at the characters ``\\s`` matches, some ten times faster)."""
    return "".join(s.split())


@lru_cache(maxsize=4096)
def _ascii_path(path: str) -> str:
    from loaders.extract.numerals import cn_int

    out = []
    for part in path.split("/"):
        m = re.search(r"[一二三四五六七八九十百零〇]+|\d+", part)
        n = cn_int(m.group(0)) if m else None
        kind = "c" if "章" in part else "a" if "条" in part else "s" if part.startswith(("(", "（")) else "p"
        if part.startswith(("(", "（")) and m and m.group(0).isdigit():
            kind = "n"
        out.append(f"{kind}{n}" if n is not None else "x")
    return "-".join(out) or "root"


_PLAN_YEAR = re.compile(r"((?:19|20)\d{2})年(?:度|重点|政府|市政府|全市|工作|主要)")


def _doc_year(d: DocDraft, match: str) -> Optional[int]:
    """The plan year of a yearly plan (2011年重点工作…, 某县2023年乡村振兴重点任务分工方案): targets without a
    year of their own get it."""
    for s in (d.title or "", match[d.body_start:d.body_start + 300]):
        m = _PLAN_YEAR.search(s)
        if m:
            return int(m.group(1))
    years = _TITLE_YEAR.findall(d.title or "")
    if len(years) == 1 and (d.title or "").endswith(_plan_title_endings()):
        return int(years[0])
    return None


# a title with one year, not a period or a date (2021—2025年, 2023年6月), that names a plan of work
_TITLE_YEAR = re.compile(r"(?<![\d—–\-~至])((?:19|20)\d{2})年(?![\d月底末前内—–\-~至以])")


@lru_cache(maxsize=1)
def _plan_title_endings() -> tuple[str, ...]:
    """How the title of a plan of work ends (data/lexicon/documents.json plan_title_endings)."""
    words = lexicon("documents")["plan_title_endings"]
    return tuple(words) + tuple(w + "的通知" for w in words)


def _year_date(year: Optional[int]) -> Optional[date]:
    return date(year, 1, 1) if year else None


def _self_citation(c: Citation, d: DocDraft) -> bool:
    if d.doc_number and c.cited_number and _clean(c.cited_number) == d.doc_number:
        return True
    if d.title and c.cited_title and c.cited_title.strip("《》") == d.title.strip("《》"):
        return True
    return False


def _resolve_citations(citations: list[Citation], documents: list[Document]) -> None:
    """Point citations at corpus documents with the same number or title (by replacement; models are frozen)."""
    by_num = {d.doc_number: d.id for d in documents if d.doc_number}
    by_title = {d.title: d.id for d in documents if d.title}
    for k, c in enumerate(citations):
        target = by_num.get(c.cited_number or "") or by_title.get((c.cited_title or "").strip("《》"))
        if target and target != c.from_doc:
            from dataclasses import replace

            citations[k] = replace(c, resolved_doc=target)


def _jurisdiction_context(d: DocDraft, drafts: list[DocDraft]) -> Optional[str]:
    """The issuer whose jurisdiction 市/省/县 refers to (inherited by attachments)."""
    issuer = d.issuer
    if issuer is None and d.parent is not None:
        issuer = drafts[d.parent].issuer
    return issuer


def no_task_warnings(ex: Extraction) -> list[str]:
    """A warning for a file that yields no task, naming its documents and what was looked for (issue 11:
    "built 1 documents, 0 tasks" must not pass in silence). Documents without tasks of their own in a
    file that has tasks (a notice whose annexed plans hold them) are normal and not reported."""
    if ex.tasks:
        return []
    names = "、".join(f"“{d.title or d.doc_number or d.id}”" for d in ex.documents) or "no document header either"
    return [f"{ex.source.id}: no tasks found ({len(ex.documents)} document(s): {names}) — looked for "
            "responsibility markers (牵头单位 / 责任单位, (X牵头), 由X负责), numbered items (一、 （一） 1. （1）) "
            "under a task heading, and duty-bearing articles (第X条 … 应 / 负责); is it a gazette or policy text?"]


# ----------------------------------------------------------------------------
# many files: parallel worker processes, results in file order, bounded batches

@dataclass
class FileResult:
    """What a build keeps of one extracted file (the rows, not the Extraction: smaller to ship back)."""

    source_id: str
    text: str
    rows: "object"  # loaders.graph_rows.GraphRows
    documents: int
    tasks: int
    targets: int
    citations: int
    warnings: tuple[str, ...]
    seconds: dict[str, float]


def extract_rows(path: str | Path) -> FileResult:
    """Extract one file and turn it into graph rows (what a worker process runs)."""
    from loaders.graph_rows import rows_for

    timer = StageTimer()
    ex = extract_file(path, timer)
    rows = timer.run("rows", rows_for, ex)
    return FileResult(ex.source.id, ex.source.text, rows, len(ex.documents), len(ex.tasks), len(ex.targets),
                      len(ex.citations), tuple(ex.warnings) + tuple(no_task_warnings(ex)), dict(timer.seconds))



def expand_paths(paths) -> list[Path]:
    """Files and folders → the .txt / .md files a build reads (sorted inside each folder), as given;
    a missing path or an empty folder is an :class:`~policykg.errors.InputError` naming it."""
    from policykg.errors import InputError

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in (".txt", ".md"))
            if not found:
                raise InputError(f"{p}: no .txt or .md files inside")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out

def default_workers() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def file_batches(paths: list[Path], max_files: int = 200, max_bytes: int = 4_000_000) -> list[list[Path]]:
    """``paths`` cut into consecutive batches of at most ``max_files`` files and about ``max_bytes``."""
    out: list[list[Path]] = []
    cur: list[Path] = []
    size = 0
    for p in paths:
        b = p.stat().st_size if p.exists() else 0
        if cur and (len(cur) >= max_files or size + b > max_bytes):
            out.append(cur)
            cur, size = [], 0
        cur.append(p)
        size += b
    if cur:
        out.append(cur)
    return out


def extract_batches(paths: list[Path], workers: Optional[int] = None,
                    on_file: Optional[Callable[[Path], None]] = None, **batching):
    """Yield ``list[FileResult]`` per batch of ``paths``, in file order.

    One file, or ``workers=1``: in this process. Otherwise a pool of worker processes; the next
    batch is extracted while the caller loads the current one, so at most two batches are in
    memory (memory stays flat in the corpus size). ``on_file(path)`` is called as each file is
    extracted (a progress bar)."""
    batches = file_batches(paths, **batching)
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or len(paths) <= 1:
        for b in batches:
            out = []
            for p in b:
                out.append(extract_rows(p))
                if on_file:
                    on_file(p)
            yield out
        return
    from concurrent.futures import ProcessPoolExecutor

    def submit(pool, p):
        f = pool.submit(extract_rows, p)
        if on_file:
            f.add_done_callback(lambda _f, p=p: on_file(p))
        return f

    with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
        pending = [submit(pool, p) for p in batches[0]]
        for k in range(len(batches)):
            nxt = [submit(pool, p) for p in batches[k + 1]] if k + 1 < len(batches) else []
            yield [f.result() for f in pending]
            pending = nxt
