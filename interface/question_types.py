"""Every kind of question policykg answers: one :class:`QuestionType` record each.

A record holds its patterns (Chinese and English; tried in the order of :data:`REGISTRY`), the
parser from the pattern's slots to parameters, the handler answering on the facade
(``graph_api.PolicyGraph``'s public methods, or the impact reports of :mod:`interface.report`),
the main named query, and the table row of one item. To add a question: write one record, add it
to :data:`REGISTRY`, and add its phrasings to ``tests/test_questions.py``.

Slots: ``x`` a goal keyword, ``a`` an agency, ``y`` a regulation (number or title), ``units``
agencies separated by 、和与及, ``when`` a date phrase (:func:`parse_when`), ``year``, ``metric``,
``verb`` and ``change`` words that pick a role or a kind of change.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any, Optional

from interface.question_grammar import Pattern, QuestionType, Reply, clean_slot, parse_when, zh_en
from policykg.dates import ALL_TIME
from policykg.errors import QueryError

# ----------------------------------------------------------------------------
# pattern pieces

W = r"(?:哪些|哪个|哪几个|哪一个|哪家|哪几家|什么|啥)"  # which
UNIT = r"(?:部门|单位|机构|机关|部门和单位|单位和部门|部门单位)"
WHO = rf"(?:谁|{W}{UNIT}|{W}人)"
TASKW = r"(?:任务|工作|事情|事项|事)"
DOCW = r"(?:文件|规定|政策|政策文件|规范性文件|法规|文件和政策)"
ASKS = r"(?:有哪些|是哪些|是谁|是哪个|是哪家|有谁|都有谁|都有哪些|是什么|有什么|是)"
EN_UNIT = r"(?:departments?|agenc(?:y|ies)|units?|offices?|bureaus?|organi[sz]ations?)"
EN_WHICH = r"(?:which|what)"

#: written unit names end like this (a reform question names units, a repeal question documents)
_UNIT_END = re.compile(r"(?:局|委|办|委员会|厅|中心|部|署|行|支行|分局|会|所|院|室|处|站|公司|政府|组|队|馆|团)$")
_DOC_MARK = re.compile(r"[〔〕\[\]《》]|号$|(?:规定|办法|意见|通知|方案|条例|决定|规划|细则|制度|法)$")


def looks_like_unit(name: str) -> bool:
    return bool(_UNIT_END.search(name)) and not _DOC_MARK.search(name)


def _asks_which(s: str) -> bool:
    """A slot that is itself a question word (哪些部门 …) is not a name."""
    return bool(re.match(rf"^(?:{W}|有哪些|谁|which|what|who)", s, flags=re.I))


# ----------------------------------------------------------------------------
# shared helpers


def _ranked(names: list[str]) -> list[tuple[str, int]]:
    return sorted(Counter(names).items(), key=lambda kv: (-kv[1], kv[0]))


def _fmt(ranked: list[tuple[str, int]], zh: bool, n: int = 8) -> str:
    sep = "、" if zh else ", "
    shown = sep.join(f"{k}（{v}）" if zh else f"{k} ({v})" for k, v in ranked[:n])
    if len(ranked) > n:
        shown += f"等{len(ranked)}个" if zh else f" and {len(ranked) - n} more"
    return shown


def _cut(s: str, n: int = 16) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _doc(ev: Any) -> str:
    return (ev.doc_title or ev.doc_id) if ev is not None else ""


def _span(ev: Any) -> str:
    return f"{ev.source}:{ev.start}-{ev.end}" if ev is not None else ""


def _leads(agencies: Any) -> str:
    return "、".join(dict.fromkeys(a.name for a in agencies if a.role == "lead"))


def _year_and_metric(slots: dict[str, str]) -> tuple[Optional[int], Optional[str]]:
    """A year written inside the metric slot (到2017年直接融资) moves to the year."""
    year = int(slots["year"]) if slots.get("year") else None
    metric = clean_slot(slots.get("metric"))
    m = re.search(r"(?:到|至|在|by |in )?(\d{4})\s*年?(?:底|末)?(?:的)?", metric)
    if m and year is None:
        year = int(m.group(1))
        metric = clean_slot(metric[:m.start()] + metric[m.end():])
    metric = re.sub(r"(?:的|要|需要|计划|总共|一共)$", "", metric)
    metric = re.sub(r"^(?:全市|全省|全国)?(?:的)?", "", metric) if metric not in ("全市", "全省") else metric
    return year, (metric or None)


# ----------------------------------------------------------------------------
# who is responsible for a goal (all roles, the leads, the sharing units)


def _p_goal(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    goal = clean_slot(slots.get("x"))
    goal = re.sub(r"(?:的)?(?:任务|工作|专项工作|事情|事项)$", "", goal) or goal
    goal = re.sub(r"^(?:的|了|是)", "", goal)
    if not goal or _asks_which(goal):
        return None
    return {"goal": goal}


def _departments(g: Any, goal: str, role: Optional[str], zh: bool) -> Reply:
    items = g.departments_for(goal, role=role)
    if not items:
        return Reply(zh_en(zh, f"没有找到与“{goal}”有关的任务。", f"No task mentions “{goal}”."),
                     searched=(("task",), goal))
    tasks = {a.task_id for a in items}
    leads = _ranked([a.agency for a in items if a.role == "lead"])
    resp = _ranked([a.agency for a in items if a.role == "responsible"])
    if role == "responsible":
        text = zh_en(zh, f"与“{goal}”有关的{len(tasks)}项任务的责任（配合）单位：{_fmt(resp, True)}。",
                     f"The {len(tasks)} tasks on “{goal}” are shared by {_fmt(resp, False)}.")
        return Reply(text, resp, items)
    if zh:
        text = f"与“{goal}”有关的{len(tasks)}项任务由{_fmt(leads, True)}牵头"
        text += f"；责任单位：{_fmt(resp, True)}。" if resp and role is None else "。"
    else:
        text = f"The {len(tasks)} tasks on “{goal}” are led by {_fmt(leads, False)}"
        text += f"; responsible units: {_fmt(resp, False)}." if resp and role is None else "."
    return Reply(text, leads + ([] if role else [(f"{k} (responsible)", v) for k, v in resp]), items)


def _row_department(a: Any) -> dict[str, Any]:
    return {"task": a.task_title, "agency": a.agency, "role": a.role, "document": _doc(a.evidence),
            "span": _span(a.evidence)}


DEPARTMENTS = QuestionType(
    intent="departments", query="departments_for_goal", describe="which units lead or share the tasks on a goal",
    patterns=(
        Pattern("zh", rf"^{WHO}(?:来)?(?:负责|承担|参与|落实|主管|分管|管)(?:了)?(?P<x>.+)$", "哪些部门负责去库存？"),
        Pattern("zh", rf"^(?P<x>.+?)(?:由|归|是|要由|应由)?{WHO}(?:来)?(?:负责|承担|管|主管|落实)(?:的)?$",
                "去库存由哪些部门负责？"),
        Pattern("zh", rf"^(?:负责|承担|主管)(?P<x>.+?)的(?:{UNIT})?{ASKS}?(?:{UNIT})?$", "负责去库存的部门有哪些？"),
        Pattern("zh", rf"^(?P<x>.+?)的(?:负责|主管|承办)(?:{UNIT}|人){ASKS}?$", "住房公积金的负责部门是哪些？"),
        Pattern("zh", rf"^(?P<x>.+?)(?:涉及|有)(?:哪些|什么){UNIT}$", "直接融资涉及哪些部门？"),
        Pattern("en", rf"^{EN_WHICH} {EN_UNIT} (?:are |is )?(?:responsible for|in charge of|handles?|work(?:s)? on|deals? with|involved in) (?P<x>.+)$",
                "Which departments are responsible for 去库存?"),
        Pattern("en", r"^who(?: is|'s| are)? (?:responsible for|in charge of|handles|works on|deals with|involved in) (?P<x>.+)$",
                "Who is responsible for 住房公积金?"),
        Pattern("en", rf"^(?:list |show )?(?:the )?{EN_UNIT} (?:responsible for|in charge of|for|involved in) (?P<x>.+)$",
                "departments responsible for 直接融资"),
    ),
    params=_p_goal, handler=lambda g, p, zh: _departments(g, p["goal"], None, zh), row=_row_department)

LEADS = QuestionType(
    intent="leads", query="departments_for_goal", describe="which units lead (牵头) the tasks on a goal",
    patterns=(
        Pattern("zh", rf"^(?P<x>.+?)(?:由|是|要由|应由)?{WHO}(?:来)?牵头(?:负责)?(?:的)?$", "去库存由谁牵头？"),
        Pattern("zh", rf"^{WHO}(?:来)?牵头(?:负责)?(?P<x>.+)$", "哪个部门牵头去库存"),
        Pattern("zh", rf"^(?P<x>.+?)(?:的)?牵头(?:{UNIT}|人|方)?{ASKS}?(?:{UNIT})?$", "去库存的牵头单位是谁？"),
        Pattern("zh", rf"^牵头(?:负责)?(?P<x>.+?)的(?:{UNIT})?{ASKS}?(?:{UNIT})?$", "牵头去库存的是哪些部门"),
        Pattern("en", r"^who (?:leads|is leading|takes the lead (?:on|in|for)|heads) (?P<x>.+)$", "Who leads 去库存?"),
        Pattern("en", rf"^{EN_WHICH} {EN_UNIT} (?:leads?|is leading|are leading|heads?) (?P<x>.+)$",
                "Which department leads 去库存?"),
        Pattern("en", rf"^(?:who|what|which) (?:is|are) (?:the )?lead(?:ing)?(?: {EN_UNIT})? (?:for|of|on|in) (?P<x>.+)$",
                "Who is the lead agency for 去库存?"),
        Pattern("en", rf"^(?:the )?lead(?:ing)? {EN_UNIT} (?:for|of|on) (?P<x>.+)$", "lead units for 住房公积金"),
    ),
    params=_p_goal, handler=lambda g, p, zh: _departments(g, p["goal"], "lead", zh), row=_row_department)

PARTNERS = QuestionType(
    intent="partners", query="departments_for_goal",
    describe="which units share (责任单位, 配合单位) the tasks on a goal",
    patterns=(
        Pattern("zh", rf"^(?P<x>.+?)的(?:配合|责任|参与|协办|协助|协作|配合责任)(?:{UNIT}|方){ASKS}?$", "去库存的配合单位有哪些？"),
        Pattern("zh", rf"^{WHO}(?:配合|协助|协办|参与)(?:了)?(?P<x>.+)$", "哪些部门配合去库存"),
        Pattern("zh", rf"^(?P<x>.+?)(?:由|需要|要)?{WHO}(?:来)?(?:配合|协助|协办)(?:的)?$", "去库存由哪些部门配合？"),
        Pattern("en", rf"^{EN_WHICH} {EN_UNIT} (?:support|supports|assists?|shares?|helps? with|cooperates? on|contributes? to) (?P<x>.+)$",
                "Which units support 去库存?"),
        Pattern("en", r"^who (?:supports|assists with|shares|helps with|cooperates on|contributes to) (?P<x>.+)$",
                "Who supports 去库存?"),
        Pattern("en", rf"^(?:what|which|who) are the (?:partner|supporting|responsible|sharing|cooperating) {EN_UNIT} (?:for|of|on) (?P<x>.+)$",
                "What are the supporting units for 住房公积金?"),
    ),
    params=_p_goal, handler=lambda g, p, zh: _departments(g, p["goal"], "responsible", zh), row=_row_department)


# ----------------------------------------------------------------------------
# what one agency must do


_LEAD_VERBS = ("牵头", "lead", "leads", "led", "leading")
_SHARE_VERBS = ("参与", "配合", "协助", "协办", "share", "shares", "shared", "support", "supports", "supported",
                "supporting")


def _p_agency(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    a = clean_slot(slots.get("a"))
    a = re.sub(r"^(?:由|让)", "", a)
    if not a or _asks_which(a) or re.search(r"[0-9]{4}年|目标|文件|(?:前|到期|截止|完成|失效)$", a):
        return None
    verb = (slots.get("verb") or "").lower()
    role = "lead" if verb in _LEAD_VERBS else "responsible" if verb in _SHARE_VERBS else None
    return {"agency": a, "role": role}


def _h_agency_tasks(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    a, role = p["agency"], p.get("role")
    items = [t for t in g.agency_tasks(a) if role is None or t.role == role]
    if not items:
        return Reply(zh_en(zh, f"没有找到{a}的任务。", f"No tasks found for {a}."), searched=(("agency",), a))
    lead = {t.task_id for t in items if t.role == "lead"}
    shared = {t.task_id for t in items if t.role != "lead"}
    text = zh_en(zh, f"{a}牵头{len(lead)}项任务、参与（责任单位）{len(shared)}项任务。",
                 f"{a} leads {len(lead)} tasks and shares {len(shared)}.")
    return Reply(text, _ranked([_doc(t.evidence) for t in items]), items)


AGENCY_TASKS = QuestionType(
    intent="agency_tasks", query="agency_tasks", describe="the tasks one agency leads or shares",
    patterns=(
        Pattern("zh", rf"^(?:由)?(?P<a>.+?)(?P<verb>牵头|负责|承担|参与|配合)的{TASKW}(?:有哪些|是哪些|是什么|有什么|有几项|有多少)?$",
                "由市财政局牵头的任务有哪些？"),
        Pattern("zh", rf"^(?P<a>.+?)(?:都)?(?P<verb>有|负责|牵头|承担|参与|配合|协助|要做|需要做|要完成|要干|管)(?:了)?(?:哪些|什么|哪几项|几项|多少项?|啥)(?:{TASKW})?$",
                "市财政局负责什么？"),
        Pattern("zh", rf"^(?:有)?(?:哪些|什么|哪几项|几项|多少项?)(?:{TASKW})(?:是|要|需要)?由(?P<a>.+?)(?P<verb>牵头|负责|承担|参与|配合)(?:的)?$",
                "哪些任务由市财政局牵头"),
        Pattern("zh", rf"^(?P<a>.+?)的(?:{TASKW}|职责)(?:有哪些|是什么|有什么|清单)?$", "市财政局的任务"),
        Pattern("en", r"^what (?:tasks|work|duties) (?:does|do) (?P<a>.+?) (?P<verb>have|lead|share|do|handle|support)$",
                "What tasks does 市财政局 have?"),
        Pattern("en", r"^(?:which|what) tasks (?:does|is|do|are) (?P<a>.+?) (?P<verb>have|lead|leading|responsible for|share|sharing|support|supporting|in charge of)$",
                "Which tasks does 市财政局 lead?"),
        Pattern("en", r"^what (?:does|is|do|are) (?P<a>.+?) (?:do|responsible for|in charge of|working on|have to do)$",
                "What is 市财政局 responsible for?"),
        Pattern("en", r"^(?:which |what |list |show )?(?:the )?tasks (?:are )?(?P<verb>led|shared|supported) by (?P<a>.+)$",
                "tasks led by 市财政局"),
        Pattern("en", r"^(?:list |show )?(?:the )?(?:tasks|duties|work) (?:of|for) (?P<a>.+)$", "tasks of 市财政局"),
    ),
    params=_p_agency, handler=_h_agency_tasks,
    row=lambda t: {"task": t.task_title, "agency": t.agency, "role": t.role, "document": _doc(t.evidence),
                   "span": _span(t.evidence)})


# ----------------------------------------------------------------------------
# citations: tasks and documents that cite a regulation


def _p_regulation(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    reg = clean_slot(slots.get("y"))
    reg = re.sub(r"(?:的)?(?:规定|内容|文件)?(?:制定|制订|出台)?$", "", reg) if reg.endswith(("制定", "制订", "出台")) else reg
    return {"regulation": reg} if reg and not _asks_which(reg) else None


def _h_citing(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    reg = p["regulation"]
    items = g.tasks_citing(reg)
    if not items:
        return Reply(zh_en(zh, f"没有任务引用{reg}。", f"No task cites {reg}."), searched=(("citation",), reg))
    parts = [zh_en(zh, f"{c.task_title}（{'、'.join(c.leads) or '—'}牵头，{c.relation}）",
                   f"{c.task_title} (led by {'、'.join(c.leads) or '—'}; {c.relation})") for c in items]
    text = zh_en(zh, f"{len(items)}项任务引用了{reg}：" + "；".join(parts) + "。",
                 f"{len(items)} task{'s cite' if len(items) > 1 else ' cites'} {reg}: " + "; ".join(parts) + ".")
    return Reply(text, _ranked([_doc(c.evidence) for c in items]), items)


CITE = r"(?:引用|援引|提到|提及|依据|根据|参照|执行|落实|贯彻)"

CITING = QuestionType(
    intent="citing", query="tasks_citing", describe="the tasks that cite a regulation (number or title)",
    patterns=(
        Pattern("zh", rf"^(?:有)?(?:哪些|什么|哪几项)?(?:任务|工作)(?:中|里)?{CITE}(?:了)?(?P<y>.+)$", "哪些任务引用了财税〔2015〕119号？"),
        Pattern("zh", rf"^(?P<y>.+?)被(?:哪些|什么|哪几项)?(?:任务|工作){CITE}(?:了|过)?$", "财税〔2015〕119号被哪些任务引用？"),
        Pattern("zh", rf"^{CITE}(?:了)?(?P<y>.+?)的(?:任务|工作)(?:有哪些|是哪些|是什么|有什么)?$", "引用财税〔2015〕119号的任务有哪些？"),
        Pattern("zh", rf"^谁{CITE}(?:了)?(?P<y>.+)$", "谁引用了绵府发〔2016〕13号"),
        Pattern("en", r"^(?:which|what) tasks (?:cite|refer to|implement|mention|quote|rely on) (?P<y>.+)$",
                "Which tasks cite 财税〔2015〕119号?"),
        Pattern("en", r"^(?:list |show )?(?:the )?tasks (?:citing|that cite|referring to|that refer to|implementing) (?P<y>.+)$",
                "tasks citing 绵府发〔2016〕13号"),
        Pattern("en", r"^(?:who|what) (?:cites|refers to|implements) (?P<y>.+)$", "Who cites 财税〔2015〕119号?"),
    ),
    params=_p_regulation, handler=_h_citing,
    row=lambda c: {"task": c.task_title, "lead": "、".join(c.leads), "relation": c.relation, "cited": c.cited,
                   "document": _doc(c.evidence), "span": _span(c.evidence)})


def _h_citing_documents(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    reg = p["regulation"]
    items = g.documents_citing(reg)
    if not items:
        return Reply(zh_en(zh, f"没有文件引用{reg}。", f"No document cites {reg}."),
                     searched=(("citation", "document"), reg))
    docs = list(dict.fromkeys(d.doc_title or d.doc_number or d.doc_id for d in items))
    direct = {d.doc_id for d in items if d.direct}
    text = zh_en(zh, f"{len(docs)}份文件引用了{reg}（{len(direct)}份直接引用）：" + "；".join(docs) + "。",
                 f"{len(docs)} document{'s cite' if len(docs) > 1 else ' cites'} {reg} ({len(direct)} directly): "
                 + "; ".join(docs) + ".")
    return Reply(text, _ranked([d.relation for d in items]), items)


CITING_DOCUMENTS = QuestionType(
    intent="citing_documents", query="documents_citing",
    describe="the documents that cite a regulation, directly or through a document citing it",
    patterns=(
        Pattern("zh", rf"^(?:有)?(?:哪些|什么|哪几个|哪几份|哪份)?{DOCW}(?:中|里)?(?:{CITE}|以)(?:了)?(?P<y>.+?)(?:为依据|为基础)?(?:制定|制订|出台)?(?:的)?$",
                "哪些文件引用了财税〔2015〕119号"),
        Pattern("zh", rf"^(?P<y>.+?)被(?:哪些|什么|哪几个|哪几份)?{DOCW}{CITE}(?:了|过)?$", "四川省行政机关限时办结制度被哪些文件引用"),
        Pattern("zh", rf"^{CITE}(?:了)?(?P<y>.+?)的{DOCW}(?:有哪些|是哪些|是什么|有什么)?$", "引用绵府发〔2016〕13号的文件有哪些"),
        Pattern("en", r"^(?:which|what) (?:documents|policies|regulations|files|plans) (?:cite|refer to|are based on|implement|mention|rely on) (?P<y>.+)$",
                "Which documents cite 财税〔2015〕119号?"),
        Pattern("en", r"^(?:list |show )?(?:the )?documents (?:citing|that cite|referring to|based on) (?P<y>.+)$",
                "documents citing 四川省行政机关限时办结制度"),
        Pattern("en", r"^where is (?P<y>.+?) (?:cited|referred to|used)$", "Where is 财税〔2015〕119号 cited?"),
    ),
    params=_p_regulation, handler=_h_citing_documents,
    row=lambda d: {"document": d.doc_title or d.doc_number or d.doc_id, "number": d.doc_number or "",
                   "relation": d.relation, "cited": d.cited, "direct": "yes" if d.direct else f"through {d.matched}",
                   "span": _span(d.evidence)})


# ----------------------------------------------------------------------------
# impact of repealing / amending a regulation


def _p_repeal(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    reg = clean_slot(slots.get("y"))
    reg = re.sub(r"^(?:了|被)", "", reg)
    if not reg or _asks_which(reg) or looks_like_unit(reg):
        return None
    change = (slots.get("change") or "废止").lower()
    return {"regulation": reg, "change": "amend" if change in ("修订", "修改", "修正", "amended", "amending", "amend")
            else "repeal"}


def _h_repeal(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    from interface.report import repeal_report

    reg = p["regulation"]
    r = repeal_report(g, reg, change=p["change"])
    direct = [i for i in r.items if i.direct]
    leads = _ranked([a.name for i in r.items for a in i.agencies if a.role == "lead"])
    if not r.items:
        return Reply(zh_en(zh, f"图中没有任务或文件依据{reg}。", f"Nothing in the graph rests on {reg}."),
                     report=r, searched=(("citation",), reg))
    if zh:
        verb = "废止" if p["change"] == "repeal" else "修订"
        text = (f"{verb}{reg}会影响{len(r.documents)}份文件的{len(r.items)}项任务"
                f"（其中{len(direct)}项直接引用：{'、'.join(i.task_title for i in direct) or '无'}），"
                f"涉及牵头单位{_fmt(leads, True, 6)}，以及{sum(len(i.deadlines) for i in r.items)}个期限。")
    else:
        verb = "Repealing" if p["change"] == "repeal" else "Amending"
        text = (f"{verb} {reg} affects {len(r.items)} tasks in {len(r.documents)} document(s) "
                f"({len(direct)} cite it themselves: {', '.join(i.task_title for i in direct) or 'none'}); "
                f"lead units {_fmt(leads, False, 6)}; {sum(len(i.deadlines) for i in r.items)} deadlines.")
    return Reply(text, leads, list(r.items), r)


def _row_impact(i: Any) -> dict[str, Any]:
    return {"task": i.task_title, "how": i.how, "lead": _leads(i.agencies), "date": i.date or "",
            "document": i.doc_title or i.doc_id, "span": _span(i.evidence)}


CHANGE = r"(?P<change>废止|撤销|废除|修订|修改|修正|取消)"
EFFECT = (r"(?:会|将|可能)?(?:怎样|怎么样|如何|有什么影响|有何影响|会发生什么|发生什么|的影响(?:是什么|有哪些|有多大)?"
          r"|影响(?:是什么|有哪些|多大)?|(?:影响|波及|涉及)(?:到)?(?:哪些|什么).*)")

REPEAL = QuestionType(
    intent="repeal", query="impact_of_document",
    describe="what repealing or amending a regulation touches: documents, tasks, agencies, deadlines",
    patterns=(
        Pattern("zh", rf"^(?:如果|若|假如|要是|假设)?{CHANGE}(?:了|掉)?(?P<y>.+?)(?:的话|之后|以后|后)?{EFFECT}$",
                "如果废止绵府发〔2016〕13号会怎样"),
        Pattern("zh", rf"^(?:如果|若|假如|要是|假设)?(?P<y>.+?)(?:被|如果被)?{CHANGE}(?:了|掉)?(?:的话|之后|以后|后)?{EFFECT}$",
                "财税〔2015〕119号废止后会影响哪些任务？"),
        Pattern("en", r"^what (?:is|are|would be|will be|gets?) affected if (?P<y>.+?) (?:is|were|was|gets?) (?P<change>repealed|amended|revoked)$",
                "What is affected if 财税〔2015〕119号 is repealed?"),
        Pattern("en", r"^what (?:happens|would happen|will happen|changes) if (?P<y>.+?) (?:is|were|was|gets?) (?P<change>repealed|amended|revoked)$",
                "What happens if 绵府发〔2016〕13号 is repealed?"),
        Pattern("en", r"^what if (?P<y>.+?) (?:is|were|was|gets?) (?P<change>repealed|amended|revoked)$",
                "What if 财税〔2015〕119号 were amended?"),
        Pattern("en", r"^what (?:does|would|will) (?P<change>repealing|amending|revoking) (?P<y>.+?) (?:affect|change|mean)$",
                "What would repealing 财税〔2015〕119号 affect?"),
        Pattern("en", r"^(?:the )?(?:impact|effects?|consequences?) of (?P<change>repealing|amending|revoking) (?P<y>.+)$",
                "impact of repealing 财税〔2015〕119号"),
    ),
    params=_p_repeal, handler=_h_repeal, row=_row_impact)


# ----------------------------------------------------------------------------
# agency reforms: one unit (or a few) abolished or merged, or the whole reform


def _p_units(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    text = clean_slot(slots.get("units"))
    text = re.sub(r"^(?:了|被|把|将)", "", text)
    units = [u.strip() for u in re.split(r"[、,，/]|和|与|及|以及|\band\b", text) if u.strip()]
    if not units or not all(looks_like_unit(u) for u in units):
        return None
    return {"units": units}


def _h_reform_units(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    from interface.report import reform_report
    from loaders.reforms import BUNDLED_REFORM, load_reform

    units = p["units"]
    reform = load_reform(BUNDLED_REFORM)
    unknown = [u for u in units if not reform.successor_of(u)]
    if unknown:
        from interface.suggest import similarity

        froms = sorted({f for c in reform.changes for f in c.from_names})
        near = sorted(froms, key=lambda f: -max(similarity(u, f) for u in unknown))[:3]
        raise QueryError(zh_en(
            zh, f"{'、'.join(unknown)}不是{reform.name}（{BUNDLED_REFORM.name}）中撤销或合并的单位；相近的有：{'、'.join(near)}。",
            f"{', '.join(unknown)}: not a unit that ceases in {reform.name} ({BUNDLED_REFORM.name}); "
            f"near: {', '.join(near)}."))
    r = reform_report(g, reform, units=tuple(units))
    ceased = [i for i in r.items if i.direct]
    succ = "、".join(dict.fromkeys(a.successor or "?" for a in r.agencies))
    dates = "、".join(dict.fromkeys(a.change_date or "?" for a in r.agencies))
    text = zh_en(zh, f"{'、'.join(units)}撤销（{dates}，由{succ}承继）后，{len(ceased)}项任务的牵头或责任单位需要改为{succ}：" +
                 "、".join(_cut(i.task_title) for i in ceased[:10]) + ("等。" if len(ceased) > 10 else "。"),
                 f"After {', '.join(units)} ceased ({dates}; successor {succ}), {len(ceased)} tasks name a unit that "
                 f"no longer exists: " + "; ".join(_cut(i.task_title) for i in ceased[:10])
                 + ("…" if len(ceased) > 10 else "."))
    return Reply(text, [(f"{a.name} → {a.successor}", a.lead + a.responsible) for a in r.agencies], list(r.items), r)


_ENDS = r"(?P<verb>撤销|撤并|合并|撤消|裁撤|撤掉|改革|更名|改名|重组|整合|取消|划转)"

REFORM_UNITS = QuestionType(
    intent="reform_units", query="reform_impact",
    describe="the tasks of units that ceased in the 2018 reform, with their successor",
    patterns=(
        Pattern("zh", rf"^(?:如果|若|假如|要是)?(?P<units>.+?)(?:被)?{_ENDS}(?:了)?(?:后|以后|之后|的话)?(?:会|将)?"
                      rf"(?:(?:影响|波及|涉及)(?:到)?(?:哪些|什么).*|怎样|怎么样|有什么影响|的影响|(?:其|它的|他们的)?任务(?:由谁承担|怎么办|交给谁|归谁)|由谁接手|谁接手|"
                      rf"(?:有)?哪些任务(?:受影响|要调整|受到影响))$",
                "市国税局撤销后影响哪些任务"),
        Pattern("zh", rf"^(?:如果|若|假如)?(?:撤销|撤并|合并|裁撤|撤掉)(?P<units>.+?)(?:的话|后)?(?:会|将)?(?:(?:影响|波及)(?:到)?(?:哪些|什么).*|怎样|怎么样|有什么影响)$",
                "合并市国税局和市地税局会影响哪些任务"),
        Pattern("zh", rf"^(?P<units>.+?)(?:的)?(?:任务|职责)(?:由谁|归谁|交给谁)(?:承接|承担|接手|负责)?$", "市国土资源局的任务由谁承接"),
        Pattern("zh", rf"^(?P<units>.+?)(?:现在)?(?:是|改为|变成|并入)(?:了)?(?:哪个|什么)(?:{UNIT})?$", "市卫生计生委现在是哪个部门"),
        Pattern("en", r"^(?:which|what) tasks (?:are|were|would be|will be) affected (?:if|when|after|because) (?P<units>.+?) (?:is|are|was|were) (?:abolished|merged|dissolved|restructured|reorgani[sz]ed|closed)$",
                "Which tasks are affected when 市国税局 is abolished?"),
        Pattern("en", r"^what (?:happens|happened) to (?:the tasks of )?(?P<units>.+?)(?:'s tasks)?(?: after the (?:2018 )?reform)?$",
                "What happens to 市国土资源局 after the reform?"),
        Pattern("en", r"^who (?:succeeds|succeeded|replaces|replaced|took over from|takes over from) (?P<units>.+)$",
                "Who succeeded 市卫生计生委?"),
        Pattern("en", r"^what does (?:abolishing|merging) (?P<units>.+?) affect$", "What does merging 市国税局 and 市地税局 affect?"),
    ),
    params=_p_units, handler=_h_reform_units, row=lambda i: _row_reform(i))


def _row_reform(i: Any) -> dict[str, Any]:
    ceased = [a for a in i.agencies if a.kind != "partial"] or list(i.agencies)
    return {"task": i.task_title,
            "changed unit": "、".join(dict.fromkeys(f"{a.name}（{'牵头' if a.role == 'lead' else '责任'}）" for a in ceased)),
            "successor": "、".join(dict.fromkeys(a.successor or "" for a in ceased)), "date": i.date or "",
            "document": i.doc_title or i.doc_id, "span": _span(i.evidence)}


def _h_reform(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    from interface.report import reform_report
    from loaders.reforms import BUNDLED_REFORM

    r = reform_report(g, BUNDLED_REFORM)
    ceased = [i for i in r.items if i.direct]
    units = [(f"{a.name} → {a.successor}", a.lead + a.responsible) for a in r.agencies if a.kind != "partial"]
    partial = len(r.items) - len(ceased)
    text = zh_en(zh, f"2018年机构改革后，{len(ceased)}项任务的牵头或责任单位已不存在，涉及{len(units)}个单位"
                     + (f"；另有{partial}项任务的单位继续存在、部分职责转出" if partial else "") + "。",
                 f"After the 2018 reform, {len(ceased)} tasks have a lead or responsible unit that no longer exists "
                 f"({len(units)} units)" + (f"; {partial} more have a unit that continues with duties partly moved"
                                            if partial else "") + ".")
    return Reply(text, units, list(r.items), r)


REFORM = QuestionType(
    intent="reform", query="reform_impact", describe="every task whose unit ceased in the 2018 agency reform",
    patterns=(
        Pattern("zh", r"^(?:2018年)?(?:的)?机构改革(?:后)?(?:会|将)?(?:影响|涉及|波及)(?:了|到)?(?:哪些|什么).*$", "机构改革影响哪些任务？"),
        Pattern("zh", r"^(?:2018年)?(?:的)?机构改革(?:的影响|有什么影响|有哪些影响|会怎样|影响了什么|改了什么)$", "2018年机构改革有什么影响"),
        Pattern("zh", r"^(?:有)?哪些(?:任务|单位|部门)(?:受|被|受到)(?:了)?(?:2018年)?(?:的)?机构改革(?:的)?影响$", "哪些任务受机构改革影响"),
        Pattern("en", r"^(?:which|what) (?:tasks|units|agencies) (?:are|were) affected by the (?:2018 )?(?:agency |institutional )?reform$",
                "Which tasks are affected by the 2018 reform?"),
        Pattern("en", r"^(?:what is |what was )?(?:the )?(?:impact|effect) of the (?:2018 )?(?:agency |institutional )?reform$",
                "impact of the 2018 agency reform"),
    ),
    params=lambda slots: {}, handler=_h_reform, row=_row_reform)


# ----------------------------------------------------------------------------
# deadlines, validity, documents in force


def _p_before(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    when = clean_slot(slots.get("when"))
    return {"before": parse_when(when)} if when and not _asks_which(when) else None


def _h_deadlines(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    before: date = p["before"]
    items = g.deadlines((ALL_TIME[0], before.isoformat()))
    if not items:
        from interface.suggest import ensure_not_empty

        ensure_not_empty(g)
        return Reply(zh_en(zh, f"{before.isoformat()}前没有到期的任务。", f"No task is due by {before.isoformat()}."))
    tasks = {d.task_id for d in items}
    shown = [zh_en(zh, f"{d.task_title}（{d.deadline.text}）", f"{d.task_title} ({d.deadline.text})") for d in items[:10]]
    text = zh_en(zh, f"{before.isoformat()}（含）前到期的任务有{len(tasks)}项：" + "；".join(shown) + ("等。" if len(items) > 10 else "。"),
                 f"{len(tasks)} tasks are due on or before {before.isoformat()}: " + "; ".join(shown)
                 + ("…" if len(items) > 10 else "."))
    return Reply(text, _ranked([d.deadline.date or "" for d in items]), items)


BY = r"(?:前|以前|之前|前夕)"
MUST = r"(?:要|需要|需|应|应当|必须|得|应该)"
DONE = r"(?:到期|截止|完成|办结|完成的|到期的|结束)"

DEADLINES = QuestionType(
    intent="deadlines", query="deadlines_between", describe="the tasks due on or before a date",
    patterns=(
        Pattern("zh", rf"^(?:在|于)?(?P<when>.+?){BY}{MUST}?{DONE}(?:的)?(?:{TASKW})(?:有哪些|是哪些|有什么|是什么)?$", "2016年底前到期的任务"),
        Pattern("zh", rf"^(?:有)?(?:哪些|什么|哪几项)(?:{TASKW}){MUST}?(?:在|于)?(?P<when>.+?){BY}{MUST}?{DONE}(?:的)?$",
                "有哪些任务要在2016年6月底前完成？"),
        Pattern("zh", rf"^(?:在|于)?(?P<when>.+?){BY}{MUST}?(?:完成|到期|截止|办结|做完)(?:哪些|什么|哪几项)(?:{TASKW})?$",
                "2016年6月底前要完成哪些任务"),
        Pattern("zh", rf"^(?:在|于)?(?P<when>.+?){BY}(?:有)?(?:哪些|什么|哪几项)(?:{TASKW}){MUST}?{DONE}$", "2016年底前有哪些任务到期"),
        Pattern("zh", rf"^(?:哪些|什么)(?:{TASKW})(?:的)?(?:期限|截止日期|截止时间|完成时限|时限)(?:在|是)?(?P<when>.+?){BY}$",
                "哪些任务的期限在2016年底前"),
        Pattern("en", r"^(?:(?:which|what) )?tasks (?:are |that are )?due (?:before|by|on or before|until|in) (?P<when>.+)$",
                "tasks due before 2016-12-31"),
        Pattern("en", r"^what (?:is|are) due (?:before|by|until|in) (?P<when>.+)$", "What is due by end of 2016?"),
        Pattern("en", r"^(?:what|which tasks) (?:must|needs? to|has to|have to|should) be (?:done|completed|finished) (?:by|before) (?P<when>.+)$",
                "What must be done by June 2016?"),
        Pattern("en", r"^(?:list |show )?(?:the )?deadlines (?:before|by|until|in) (?P<when>.+)$", "deadlines before 2017"),
    ),
    params=_p_before, handler=_h_deadlines,
    row=lambda d: {"task": d.task_title, "date": d.deadline.date, "deadline": d.deadline.text,
                   "lead": _leads(d.agencies), "document": _doc(d.evidence), "span": _span(d.evidence)})


def _p_subject(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    x = clean_slot(slots.get("x"))
    x = re.sub(r"(?:的)?(?:有效期|期限)$", "", x)
    return {"subject": x} if x and not _asks_which(x) and not re.match(r"^(?:文件|任务|政策)$", x) else None


def _h_when(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    from loaders.graph_rows import match_key

    x = p["subject"]
    key = match_key(x)
    rows = g.query_rows("expiring_documents", before=None)
    docs: dict[str, dict[str, Any]] = {}
    for r in rows:
        names = [r.get("doc_title") or "", r.get("doc_number") or ""]
        if any(n and (key in match_key(n) or match_key(n) in key) for n in names):
            docs.setdefault(r["doc_id"], r)
    if docs:
        items = g.in_force(min(r["valid_until"] for r in docs.values()))
        items = [d for d in items if d.doc_id in docs]
        parts = [zh_en(zh, f"{r.get('doc_title') or r.get('doc_number')}自{r.get('issue_date') or '?'}起有效，有效期至{r['valid_until']}（之后失效）",
                       f"{r.get('doc_title') or r.get('doc_number')} is valid from {r.get('issue_date') or '?'} until "
                       f"{r['valid_until']} (lapses after that day)") for r in docs.values()]
        return Reply(zh_en(zh, "；".join(parts) + "。", "; ".join(parts) + "."),
                     [(r.get("doc_title") or r["doc_id"], 1) for r in docs.values()], items)
    dls = [d for d in g.deadlines(ALL_TIME) if key in match_key(d.task_title)]
    if dls:
        parts = [zh_en(zh, f"{d.task_title}：{d.deadline.text}（{d.deadline.date}）",
                       f"{d.task_title}: {d.deadline.text} ({d.deadline.date})") for d in dls[:10]]
        return Reply(zh_en(zh, "；".join(parts) + "。", "; ".join(parts) + "."),
                     _ranked([d.deadline.date or "" for d in dls]), dls)
    return Reply(zh_en(zh, f"没有找到“{x}”的有效期或期限。", f"No validity or deadline found for “{x}”."),
                 searched=(("document", "task"), x))


WHEN_WORDS = r"(?:什么时候|何时|哪天|哪一天|几时|啥时候|哪年)"
END_WORDS = r"(?:失效|到期|过期|截止|期满|完成|结束|废止|终止)"

WHEN = QuestionType(
    intent="when", query="expiring_documents",
    describe="when a document lapses (有效期) or a task is due, by its title or number",
    patterns=(
        Pattern("zh", rf"^(?P<x>.+?)(?:要|需要|必须|将|会)?(?:在)?{WHEN_WORDS}(?:之?前)?{END_WORDS}(?:的)?$",
                "四川省外来企业投诉处理规定什么时候失效"),
        Pattern("zh", rf"^(?P<x>.+?)的(?:有效期|期限|截止日期|截止时间|完成时限|时限|到期日|失效日期|失效时间)(?:是|到)?(?:多久|多长|多长时间|什么时候|哪天|是哪天|是什么|有多长|几年)?$",
                "四川省外来企业投诉处理规定的有效期是多久"),
        Pattern("zh", rf"^(?P<x>.+?)(?:的)?有效期(?:到|至)(?:什么时候|哪天|何时|哪年)$", "川府发〔2016〕30号有效期到什么时候"),
        Pattern("en", r"^when (?:does|will|did|do) (?P<x>.+?) (?:expire|lapse|end|run out|cease to apply|stop being valid)$",
                "When does 四川省外来企业投诉处理规定 expire?"),
        Pattern("en", r"^when is (?P<x>.+?) (?:due|valid until|in force until)$", "When is 落实税收优惠 due?"),
        Pattern("en", r"^(?:what is )?the (?:deadline|validity|expiry date|end date|due date) (?:for|of) (?P<x>.+)$",
                "the deadline for 提高住房公积金使用率"),
        Pattern("en", r"^(?:how long|until when) is (?P<x>.+?) (?:valid|in force)$", "How long is 四川省外来企业投诉处理规定 valid?"),
    ),
    params=_p_subject, handler=_h_when,
    row=lambda i: ({"document": i.doc_title or i.doc_id, "number": i.doc_number or "", "issued": i.issue_date or "",
                    "valid until": i.valid_until or "", "span": _span(i.evidence)} if hasattr(i, "valid_until") else
                   {"task": i.task_title, "date": i.deadline.date, "deadline": i.deadline.text,
                    "lead": _leads(i.agencies), "document": _doc(i.evidence), "span": _span(i.evidence)}))


def _p_expiry(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    when = clean_slot(slots.get("when"))
    return {"on": parse_when(when) if when else None}


def _h_expiry(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    from interface.report import expiry_report

    r = expiry_report(g, on=p.get("on"))
    by_date = sorted(_ranked([i.date or "" for i in r.items]))
    docs = [d for d in r.documents if d.how.startswith("valid")]
    windows = [i for i in r.items if i.how.startswith("its window")]
    if zh:
        text = "；".join(f"{d.doc_title or d.doc_number}有效期至{d.date}（{d.tasks}项任务随之失效）" for d in docs) or "没有设定有效期的文件"
        if windows:
            text += "；另有" + "、".join(f"{i.task_title}（{i.date}期满）" for i in windows)
        text += "。"
    else:
        text = "; ".join(f"{d.doc_title or d.doc_number} is valid until {d.date} ({d.tasks} tasks lapse with it)"
                         for d in docs) or "No document has a validity"
        if windows:
            text += "; task windows ending: " + ", ".join(f"{i.task_title} ({i.date})" for i in windows)
        text += "."
    if not r.items and not docs:
        from interface.suggest import ensure_not_empty

        ensure_not_empty(g)
    return Reply(text, by_date, list(r.items), r)


EXPIRY = QuestionType(
    intent="expiry", query="expiring_documents", describe="what lapses on which date (有效期, task windows)",
    patterns=(
        Pattern("zh", rf"^(?:有)?(?:哪些|什么)(?:文件|规定|政策)?(?:会|将|已经|已)?(?:在)?(?:(?P<when>.+?){BY})?(?:到期|失效|期满|过期)+(?:了)?$",
                "哪些文件会到期失效？"),
        Pattern("zh", rf"^(?P<when>.+?){BY}(?:会)?(?:到期|失效|期满|过期)+的(?:文件|规定|政策)(?:有哪些|是哪些)?$",
                "2022年前失效的文件有哪些？"),
        Pattern("zh", rf"^(?:有)?(?:哪些|什么)(?:文件|规定|政策)(?:什么时候|何时)(?:到期|失效)$", "哪些文件什么时候失效"),
        Pattern("en", r"^what (?:lapses|expires|runs out)(?: (?:by|before) (?P<when>.+))?$", "What lapses before 2022?"),
        Pattern("en", r"^(?:which|what) (?:documents|policies|regulations|tasks) (?:will )?(?:lapse|expire|run out)(?: (?:by|before) (?P<when>.+))?$",
                "Which documents expire before 2022-01-01?"),
    ),
    params=_p_expiry, handler=_h_expiry, row=_row_impact)


def _p_on(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    when = clean_slot(slots.get("when"))
    return {"on": parse_when(when)} if when and not _asks_which(when) else None


def _h_in_force(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    on: date = p["on"]
    items = g.in_force(on)
    if not items:
        from interface.suggest import ensure_not_empty

        ensure_not_empty(g)
    names = [d.doc_title or d.doc_number or d.doc_id for d in items]
    text = zh_en(zh, f"{on.isoformat()}有效的文件有{len(items)}份：" + "；".join(names) + "。",
                 f"{len(items)} documents are in force on {on.isoformat()}: " + "; ".join(names) + ".")
    return Reply(text, [], items)


IN_FORCE = QuestionType(
    intent="in_force", query="in_force_on", describe="the documents in force on a date",
    patterns=(
        Pattern("zh", r"^(?:在|于)?(?P<when>.+?)(?:仍然|仍|还|依然)?(?:有效|现行有效|生效|在效)的(?:文件|规定|政策)(?:有哪些|是哪些)?$",
                "2017年6月30日有效的文件"),
        Pattern("zh", r"^(?:有)?(?:哪些|什么)(?:文件|规定|政策)(?:在|于)(?P<when>.+?)(?:仍然|仍|还|依然)?(?:有效|生效|现行有效)$",
                "哪些文件在2021年6月26日仍然有效"),
        Pattern("en", r"^(?:which|what) documents (?:are|were) (?:in force|valid|in effect) (?:on|at|in) (?P<when>.+)$",
                "Which documents are in force on 2017-06-30?"),
        Pattern("en", r"^what (?:is|was) (?:in force|valid) (?:on|at) (?P<when>.+)$", "What is in force on 2021-06-26?"),
    ),
    params=_p_on, handler=_h_in_force,
    row=lambda d: {"document": d.doc_title or d.doc_id, "number": d.doc_number or "", "issued": d.issue_date or "",
                   "valid until": d.valid_until or "", "span": _span(d.evidence)})


# ----------------------------------------------------------------------------
# targets


def _p_targets(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    year, metric = _year_and_metric(slots)
    if metric and _asks_which(metric):
        return None
    if year is None and metric is None:
        return None
    return {"year": year, "metric": metric}


def _h_targets(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    year, metric = p.get("year"), p.get("metric")
    items = g.targets(metric=metric, year=year)
    what = zh_en(zh, (f"{year}年" if year else "") + (f"“{metric}”" if metric else ""),
                 " ".join(x for x in (f"“{metric}”" if metric else "", f"for {year}" if year else "") if x))
    if not items:
        return Reply(zh_en(zh, f"没有{what}的目标。", f"No targets {what}."),
                     searched=(("target",), metric) if metric else None)
    shown = "；".join(t.text or f"{t.metric}{t.value:g}{t.unit}" for t in items[:8])
    text = zh_en(zh, f"{what}的目标有{len(items)}个：{shown}" + ("等。" if len(items) > 8 else "。"),
                 f"{len(items)} target{'s' if len(items) > 1 else ''} {what}: {shown}" + ("…" if len(items) > 8 else "."))
    return Reply(text, _ranked([_doc(t.evidence) for t in items]), items)


YEAR = r"(?:到|至|在)?(?P<year>\d{4})\s*年(?:底|末)?"
REACH = r"(?:要|需要|要求|计划|力争|将)?(?:达到|超过|实现|突破|提高到|增长到|增加到|控制在|降低到|降到)"

TARGETS = QuestionType(
    intent="targets", query="targets_for", describe="quantitative targets, by metric and/or year",
    patterns=(
        Pattern("zh", rf"^{YEAR}(?:的)?(?:(?P<metric>.+?)的?)?(?:目标|指标|目标值)(?:有哪些|是什么|是多少|有什么)?$", "到2020年的目标"),
        Pattern("zh", rf"^(?P<metric>.+?)(?:的)?(?:目标|指标|目标值)(?:是多少|是什么|有哪些|为多少|是几|多少|有多少|是|有什么)?$",
                "直接融资的目标是多少"),
        Pattern("zh", rf"^(?P<metric>.+?){REACH}(?:多少|什么水平|几|什么)$", "直接融资要达到多少"),
        Pattern("en", r"^(?:what are |list |show )?(?:the )?targets? (?:for|by|in) (?P<year>\d{4})$", "targets for 2020"),
        Pattern("en", r"^(?:what (?:is|are) |list |show )?(?:the )?(?P<metric>.+?) targets? (?:for|by|in) (?P<year>\d{4})$",
                "What are the 直接融资 targets for 2017?"),
        Pattern("en", r"^what (?:is|are) the (?:targets?|goals?) (?:for|of) (?P<metric>.+?)(?: (?:in|by|for) (?P<year>\d{4}))?$",
                "What is the target for 直接融资?"),
        Pattern("en", r"^how (?:much|many|high) (?:should |must |will )?(?P<metric>.+?) (?:reach|be|grow to)(?: (?:by|in) (?P<year>\d{4}))?$",
                "How much should 直接融资 reach by 2020?"),
        Pattern("en", r"^(?:targets?|goals?) (?:for|of) (?P<metric>.+)$", "targets for 直接融资"),
    ),
    params=_p_targets, handler=_h_targets,
    row=lambda t: {"target": t.text or "", "year": t.year, "task": t.task_title or "", "document": _doc(t.evidence),
                   "span": _span(t.evidence)})


# ----------------------------------------------------------------------------
# agencies of a sector or generic role (by inference)


def _p_sector(slots: dict[str, str]) -> Optional[dict[str, Any]]:
    sector = clean_slot(slots.get("sector"))
    within = clean_slot(slots.get("within")) or None
    if not sector or _asks_which(sector) or (within and _asks_which(within)):
        return None
    return {"sector": sector, "within": within}


def _h_sector(g: Any, p: dict[str, Any], zh: bool) -> Reply:
    sector, within = p["sector"], p.get("within")
    items = g.agencies_in(sector, within=within)
    where = zh_en(zh, f"{within}的" if within else "", f" in {within}" if within else "")
    if not items:
        from interface.suggest import ensure_not_empty

        ensure_not_empty(g)
        return Reply(zh_en(zh, f"没有找到{where}{sector}。", f"No agency of “{sector}”{where}."))
    names = "、".join(dict.fromkeys(a.agency for a in items))
    return Reply(zh_en(zh, f"{where}{sector}：{names}。", f"“{sector}”{where}: {names}."),
                 _ranked([a.sector_label or a.sector for a in items]), items)


SECTOR = QuestionType(
    intent="sector", query="agencies_in_sector",
    describe="the agencies of a sector or generic role (财政部门), within a jurisdiction, by inference",
    patterns=(
        Pattern("zh", r"^(?:(?P<within>.+?[省市县区州])(?:的|内)?)?(?P<sector>[^的有]{1,8}(?:部门|机关))(?:有哪些|是哪些|包括哪些|都有谁|是谁|有哪几个)$",
                "四川省的财政部门有哪些"),
        Pattern("zh", r"^(?:(?P<within>.+?[省市县区州])(?:的|内)?)?哪些(?:单位|机构|部门)(?:属于|是)(?P<sector>.+?)$", "四川省哪些单位属于财政部门"),
        Pattern("en", r"^(?:which|what|list) (?:agencies|units|bodies) are (?P<sector>.+?)(?: in (?P<within>.+))?$",
                "Which agencies are 财政部门 in 四川省?"),
        Pattern("en", r"^(?:which|what|list) (?P<sector>\S+) (?:departments|agencies) (?:are there )?in (?P<within>.+)$",
                "Which finance agencies in 四川省?"),
    ),
    params=_p_sector, handler=_h_sector,
    row=lambda a: {"agency": a.agency, "jurisdiction": a.jurisdiction or "", "level": a.level or "",
                   "sector": f"{a.sector_label or ''} ({a.sector})", "via role": a.role or ""})


# ----------------------------------------------------------------------------
# the order patterns are tried in: specific before general

REGISTRY: tuple[QuestionType, ...] = (
    REFORM, REFORM_UNITS, REPEAL, CITING_DOCUMENTS, CITING, PARTNERS, LEADS, DEPARTMENTS, EXPIRY, WHEN, DEADLINES,
    IN_FORCE, TARGETS, SECTOR, AGENCY_TASKS,
)

BY_INTENT: dict[str, QuestionType] = {t.intent: t for t in REGISTRY}
