"""Tasks of one document: which provisions assign work, their titles and their units.

* A provision carrying a responsibility marker is a task; so is every leaf at the
  same level in the same part (an item whose marker the text cut off is still a task).
* A provision holding several separately marked blocks gives one task per block
  (targets listed one after another, each with its own (X牵头)).
* A document with no markers: its numbered leaf items are the tasks; a regulation's
  duty-bearing articles are tasks of kind ``provision`` (:mod:`loaders.extract.articles`), with
  their duty-bearers as lead / responsible (:mod:`loaders.extract.duty_bearers`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional

from loaders.extract.articles import article_provisions, is_liability_chapter
from loaders.extract.duty_bearers import defined_names
from loaders.extract.lexicon import lexicon
from loaders.extract.prose_roles import prose_markers
from loaders.extract.provisions import Node, build_tree
from loaders.extract.tables import cell_per_line_rows
from loaders.extract.roles import (MarkerGroup, Unit, declares_first_lead, find_markers, resolve_roles,
                                   split_units)

_SENTENCE_END = "。；;！？!?"
_TASK_SECTION = re.compile(r"任务|重点|举措|措施|工作|行动|分工|目标")


@dataclass
class TaskDraft:
    node: Optional[Node]
    path: str
    kind: str  # work_item | provision
    start: int  # normalised range of the task's own text
    end: int
    title_start: int
    title_end: int
    lead: list[Unit] = field(default_factory=list)
    responsible: list[Unit] = field(default_factory=list)
    markers: list[MarkerGroup] = field(default_factory=list)


# 附件：1.X方案 / 2.Y办法 — the list of a notice's attachments, not its work items
_ATTACHMENT_LIST = re.compile(r"(?m)^[ \t]*附件[:：][ \t]*(?:\n[ \t]*)*(?:(?:\d{1,3}[.．、][^\n。；]{2,80}(?:\n[ \t]*)+)*"
                              r"\d{1,3}[.．、][^\n。；]{2,80}$)?")


def _outside_attachment_lists(match: str, nodes: list[Node], a: int, b: int) -> list[Node]:
    if match.find("附件", a, b) == -1:
        return nodes  # (every list opens with 附件; the pattern, tried at every position, is slow to find none)
    listed = [(m.start(), m.end()) for m in _ATTACHMENT_LIST.finditer(match, a, b) if m.end() > m.start()]
    if not listed:
        return nodes
    starts = [x for x, _ in listed]
    def inside(p: int) -> bool:
        k = bisect.bisect_right(starts, p) - 1
        return k >= 0 and p < listed[k][1]
    return [n for n in nodes if not inside(n.start)]


def own_end(n: Node) -> int:
    return n.children[0].start if n.children else n.end


def extract_tasks(text: str, match: str, body_start: int, end: int, first_is_lead: bool = False,
                  issues_attachment: bool = False, title: tuple[int, int] | None = None) -> list[TaskDraft]:
    """``first_is_lead``: the convention (排序第一单位为牵头单位) was declared outside this range (by the notice
    that issues the plan). ``issues_attachment``: the range is a notice whose plan follows it. ``title``: the
    document's title range (a plan whose lead is written under its title is a task of its own)."""
    rows = _table_tasks(text, match, body_start, end) + _cell_rows(text, match, body_start, end)
    tree = build_tree(match, body_start, end)
    tasks = _tree_tasks(text, match, body_start, end, tree, first_is_lead)
    if rows:  # a provision that only holds table rows (一、重点任务 above the table) is their heading, no task
        tasks = [t for t in tasks if t.lead or t.responsible or not any(t.start <= r.start < t.end for r in rows)]
        tasks = sorted(tasks + rows, key=lambda t: t.start)
    if not tasks and not tree:
        tasks = _notice_duties(match, body_start, end, issues_attachment)
    plan = _plan_lead(text, match, body_start, end, title) if title else None
    return [plan] + tasks if plan else tasks


_SUBTITLE_LINE = re.compile(r"[ \t\n]*(?P<m>[（(][^（()）\n]{2,60}[)）])[ \t]*(?:\n|$)")


def _plan_lead(text: str, match: str, a: int, b: int, title: tuple[int, int]) -> TaskDraft | None:
    """汉阴县…专项行动方案 / (县自然资源局牵头): a marker alone on the line under the title makes the plan a task."""
    m = _SUBTITLE_LINE.match(match, a, b)
    if m is None:
        return None
    groups = [g for g in find_markers(text, match, m.start("m"), m.end("m")) if g.lead or g.responsible]
    if not groups:
        return None
    lead, resp = resolve_roles(groups, False)
    return TaskDraft(node=None, path="", kind="work_item", start=title[0], end=m.end("m"), title_start=title[0],
                     title_end=title[1], lead=lead, responsible=resp, markers=groups)


def _notice_duties(match: str, a: int, b: int, issues_attachment: bool) -> list[TaskDraft]:
    """Work items of a text without items or markers (a decision, a notice): its dated deliverables, and,
    when it issues no plan of its own, its directives (请各有关单位…, 各地区各部门要…)."""
    lex = lexicon("roles")["notice_duty"]
    dated, directive = re.compile(lex["dated"]), re.compile(lex["directive"])
    out: list[TaskDraft] = []
    for sm in re.finditer(r"[^。！？!?\n]+", match[a:b]):
        sa, sb = a + sm.start(), a + sm.end()
        dm = directive.search(match, sa, sb)
        if not (dated.search(match, sa, sb) or (dm and not issues_attachment)):
            continue
        start = dm.start() if dm else sa
        while start < sb and match[start] in " \t，,；;":
            start += 1
        ts, te = _title_range(match, start, sb)
        out.append(TaskDraft(node=None, path="", kind="work_item", start=start, end=_trim_end(match, start, sb),
                             title_start=ts, title_end=te))
    return out


def _cell_rows(text: str, match: str, body_start: int, end: int) -> list[TaskDraft]:
    """Rows of a table printed one cell per line (loaders/extract/tables.py)."""
    out = []
    for k, r in enumerate(cell_per_line_rows(text, match, body_start, end)):
        ts, te = _title_range(match, *r.task)
        out.append(TaskDraft(node=None, path=r.number or "", kind="work_item", start=r.start, end=r.end,
                             title_start=ts, title_end=te, lead=r.lead, responsible=r.responsible))
    return out


_RULE_CELL = re.compile(r":?-{3,}:?|")


def _cells(line: str, sep: str) -> list[str]:
    return [c.strip() for c in line.strip().strip(sep).split(sep)]


def _table_tasks(text: str, match: str, body_start: int, end: int) -> list[TaskDraft]:
    """Rows of a table whose header names a task column and a lead/responsible column."""
    cols = lexicon("roles")["table_columns"]
    out: list[TaskDraft] = []
    if match.find("|", body_start, end) == -1 and match.find("\t", body_start, end) == -1:
        return out  # no line can be a row (a row has two cell borders)
    pos = body_start
    lines = []
    for line in match[body_start:end].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    k = 0
    while k < len(lines):
        a, line = lines[k]
        sep = "|" if line.count("|") >= 2 else ("\t" if line.count("\t") >= 2 else None)
        if sep is None:
            k += 1
            continue
        head = _cells(line, sep)
        role = {}
        for i, h in enumerate(head):
            for kind in ("lead", "responsible", "deadline", "task"):
                if kind not in role and re.fullmatch(r"\s*" + cols[kind] + r"\s*", h):
                    role[kind] = i
                    break
        if "task" not in role or not ({"lead", "responsible"} & set(role)):
            k += 1
            continue
        k += 1
        while k < len(lines):
            ra, row = lines[k]
            cells = _cells(row, sep)
            if len(cells) != len(head):
                break
            if all(_RULE_CELL.fullmatch(c) for c in cells):  # | --- | :---: |: a Markdown header rule
                k += 1
                continue
            offsets, p = [], ra + (len(row) - len(row.lstrip()))
            raw = row.strip().strip(sep)
            base = ra + row.index(raw) if raw else ra
            p = base
            for c in raw.split(sep):
                lead_ws = len(c) - len(c.lstrip())
                offsets.append((p + lead_ws, p + lead_ws + len(c.strip())))
                p += len(c) + 1
            ta, tb = offsets[role["task"]]
            ts, te = _title_range(match, ta, tb)
            d = TaskDraft(node=None, path=cells[0] if cells[0].isdigit() else str(len(out) + 1), kind="work_item",
                          start=ra, end=ra + len(row), title_start=ts, title_end=te)
            for kind, target in (("lead", d.lead), ("responsible", d.responsible)):
                if kind in role:
                    ca, cb = offsets[role[kind]]
                    target.extend(split_units(text, match, ca, cb))
            out.append(d)
            k += 1
    return out


def _tree_tasks(text: str, match: str, body_start: int, end: int, tree: list[Node],
                declared: bool = False) -> list[TaskDraft]:
    """``tree``: the provisions of [body_start, end) (build_tree)."""
    nodes = _outside_attachment_lists(match, tree, body_start, end)
    first_is_lead = declared or declares_first_lead(match[body_start:end])
    marked: dict[int, list[MarkerGroup]] = {}
    for i, n in enumerate(nodes):
        gs = find_markers(text, match, n.body_start, own_end(n))
        if not gs and n.level not in ("chapter", "article"):  # a regulation's articles are read as provisions
            gs = prose_markers(text, match, n.body_start, own_end(n))
        if gs:
            marked[i] = gs
    drafts: list[TaskDraft] = []
    complete = [g for gs in marked.values() for g in gs if not g.cut and not g.bare and g.sentence is None]
    # markers that always name their lead first: a cut marker (…(X、Y) names leads too
    bare_is_lead = bool(complete) and all(g.lead and not g.alone and (not g.responsible or g.lead[0].start < g.responsible[0].start)
                                          for g in complete)
    if marked:
        levels = {nodes[i].level for i in marked}
        parts = {_top(nodes[i]) for i in marked}
        for i, n in enumerate(nodes):
            if i in marked and marked[i][0].sentence is not None:
                drafts.extend(_prose_tasks(match, n, marked[i], first_is_lead))
            elif i in marked:
                drafts.extend(_split_marked(text, match, n, marked[i], first_is_lead, bare_is_lead=bare_is_lead))
            elif n.level in levels and n.is_leaf and (_top(n) in parts or (n.level == "part" and _duty_heading(match, n))):
                drafts.append(_task(match, n, n.body_start, own_end(n), "work_item"))
        _carry_forward(drafts)
        # markers before any provision (a table row without a number, a single-item text)
        if not nodes:
            gs = find_markers(text, match, body_start, end)
            drafts.extend(_split_marked(text, match, None, gs, first_is_lead, body_start, end))
        return drafts
    if not nodes:
        gs = find_markers(text, match, body_start, end)
        if gs:
            return _split_marked(text, match, None, gs, first_is_lead, body_start, end)
        return []
    if any(n.level == "article" for n in nodes):
        return _article_tasks(text, match, nodes, body_start, end)
    items = [n for n in nodes if n.level in ("item", "subitem") and n.is_leaf]
    if not items:
        items = [n for n in nodes if n.level == "section" and n.is_leaf and n.parent is not None
                 and _TASK_SECTION.search(match[n.parent.body_start:own_end(n.parent)][:30])]
    if not items and not any(n.level in ("item", "subitem", "section") for n in nodes):
        items = [n for n in nodes if n.level == "part" and n.is_leaf and _duty_heading(match, n)]
    for n in items:
        if n.level == "subitem" and n.parent is not None and n.parent.level == "item":
            continue
        drafts.append(_task(match, n, n.body_start, own_end(n), "work_item"))
    return drafts


def _duty_heading(match: str, n: Node) -> bool:
    """A part (一、…) with no items under it is a task when its text gives a duty (要/应/加快…) and its
    heading is not a framing one (总体要求, 指导思想, 工作目标 …; data/lexicon/roles.json duty_parts)."""
    lex = lexicon("roles")["duty_parts"]
    a, b = n.body_start, own_end(n)
    heading = match[a:b].lstrip()[:12]
    if any(heading.startswith(w) for w in lex["framing_headings"]):
        return False
    return re.search(lex["duty_words"], match[a:b]) is not None


def _prose_tasks(match: str, n: Node, groups: list[MarkerGroup], first_is_lead: bool) -> list[TaskDraft]:
    """A provision whose duties are written in its sentences: one sentence → the provision is the task;
    several sentences giving duties to different units → one task per sentence, and the provision's
    heading stays a task of its own when it is not one of them."""
    a, b = n.body_start, own_end(n)
    if len(groups) == 1:
        d = _task(match, n, a, b, "work_item")
        d.lead, d.responsible = resolve_roles(groups, first_is_lead)
        d.markers = groups
        return [d]
    out: list[TaskDraft] = []
    first = a + len(match[a:b]) - len(match[a:b].lstrip())
    if groups[0].sentence[0] > first:
        out.append(_task(match, n, a, groups[0].sentence[0], "work_item"))
    for g in groups:
        ga, gb = g.sentence
        ts, te = _title_range(match, ga, gb)
        lead, resp = resolve_roles([g], first_is_lead)
        out.append(TaskDraft(node=n, path=n.path, kind="work_item", start=n.start if not out else ga,
                             end=_trim_end(match, ga, gb), title_start=ts, title_end=te, lead=lead,
                             responsible=resp, markers=[g]))
    return out


def _article_tasks(text: str, match: str, nodes: list[Node], body_start: int, end: int) -> list[TaskDraft]:
    """A regulation: one provision per duty-bearing article, or per paragraph when they oblige different bodies."""
    known = frozenset(defined_names(text, match, body_start, end))
    drafts: list[TaskDraft] = []
    for n in nodes:
        if n.level != "article":
            continue
        chapter = n.parent if n.parent is not None and n.parent.level == "chapter" else None
        liability = chapter is not None and is_liability_chapter(match[chapter.body_start:chapter.body_start + 30]
                                                                 .split("\n", 1)[0])
        for p in article_provisions(text, match, n, known, liability):
            path = n.path + (f"/{p.paragraph}" if p.paragraph else "")
            drafts.append(TaskDraft(
                node=n, path=path, kind="provision", start=p.start, end=p.end, title_start=p.title_start,
                title_end=p.title_end,
                lead=[Unit(bd.name, bd.start, bd.end) for bd in p.bodies if bd.role == "lead"],
                responsible=[Unit(bd.name, bd.start, bd.end) for bd in p.bodies if bd.role == "responsible"]))
    return drafts


def _carry_forward(drafts: list[TaskDraft]) -> None:
    """Units a marker declares for all later tasks ("以下各项工作均需X落实，不再列出")."""
    carried: list[Unit] = []
    for d in drafts:
        if carried:
            names = {u.name for u in d.lead + d.responsible}
            d.responsible.extend(u for u in carried if u.name not in names)
        for g in d.markers:
            carried.extend(u for u in g.carry if u.name not in {c.name for c in carried})


def _top(n: Node) -> Node:
    while n.parent is not None and n.parent.level not in ("chapter",):
        n = n.parent
    return n


_TITLE_STOP = re.compile("[（(〔）)〕" + re.escape(_SENTENCE_END) + "\n|]")
_MARKER_AHEAD = re.compile(r"[（(〔][^）)〕]{0,80}(?:牵头|负责|責任|责任单位|配合)")


def _title_range(match: str, a: int, b: int) -> tuple[int, int]:
    """The first sentence (heading phrase) of text[a:b]."""
    while a < b and match[a] in " \t\n|:：?？。，,、;；":  # a title never starts with punctuation
        a += 1
    depth = 0
    e = b
    for m in _TITLE_STOP.finditer(match, a, b):  # brackets and sentence ends only
        c, k = m.group(), m.start()
        if c in "（(〔":
            # a responsibility marker ends the title
            if depth == 0 and _MARKER_AHEAD.match(match, k, k + 90):
                e = k
                break
            depth += 1
        elif c in "）)〕":
            depth = max(0, depth - 1)
        elif depth == 0:  # a sentence end, a line break or a table cell's border
            e = k
            break
    while e > a and match[e - 1] in " \t":
        e -= 1
    return a, e


def _task(match: str, n: Node, a: int, b: int, kind: str) -> TaskDraft:
    ts, te = _title_range(match, a, b)
    return TaskDraft(node=n, path=n.path, kind=kind, start=n.start, end=_trim_end(match, n.start, b),
                     title_start=ts, title_end=te)


def _trim_end(match: str, a: int, b: int) -> int:
    while b > a and match[b - 1] in " \t\n":
        b -= 1
    return b


def _split_marked(text: str, match: str, n: Optional[Node], groups: list[MarkerGroup], first_is_lead: bool,
                  a: int | None = None, b: int | None = None, bare_is_lead: bool = False) -> list[TaskDraft]:
    """One task per marked block; consecutive marker groups belong to one block."""
    a = n.body_start if n is not None else a
    b = own_end(n) if n is not None else b
    blocks: list[list[MarkerGroup]] = []
    for g in groups:
        if blocks and match[blocks[-1][-1].end:g.start].strip(" \t\n|。;；") == "":
            blocks[-1].append(g)
        else:
            blocks.append([g])
    out: list[TaskDraft] = []
    seg_start = a
    path = n.path if n is not None else ""
    for i, block in enumerate(blocks):
        seg_end = block[-1].end if i + 1 < len(blocks) else b
        text_start = seg_start
        if len(blocks) > 1 and i == 0 and n is not None:
            # a heading line of its own above the marked sentences is not their title
            line_end = match.find("\n", a, block[0].start)
            if line_end != -1 and match[line_end:block[0].start].strip():
                head = match[a:line_end].strip()
                if head and head[-1] in "。:：" and not find_markers(text, match, a, line_end):
                    text_start = line_end + 1
        ts, te = _title_range(match, text_start, block[0].start)
        if te <= ts:  # marker first, title after it (a table row)
            ts, te = _title_range(match, block[-1].end, seg_end)
        lead, resp = resolve_roles(block, first_is_lead, bare_is_lead)
        start = n.start if (n is not None and i == 0) else text_start
        out.append(TaskDraft(node=n, path=path, kind="work_item", start=start, end=_trim_end(match, start, seg_end),
                             title_start=ts, title_end=te, lead=lead, responsible=resp, markers=block))
        seg_start = block[-1].end
    return out
