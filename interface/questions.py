"""Questions in Chinese or English → a named query, by a small template grammar.

    >>> parse("哪些部门负责去库存？")
    Parsed(intent='departments', language='zh', params={'goal': '去库存'}, ...)
    >>> parse("tasks due before 2016-12-31").params
    {'before': datetime.date(2016, 12, 31)}

Each template is a regular expression over the normalised question (NFKC, quotes and final
punctuation removed) with named slots; the slots become the parameters of a ``PolicyGraph``
method, which runs one or more named queries (``queries/NAME.rq`` / ``NAME.cypher``).
:func:`answer` returns a :class:`QuestionAnswer` with the items, a short answer in the question's
language, and the query name, parameters and the SPARQL or Cypher text that ran. A question no
template matches raises a :class:`~policykg.errors.QueryError` listing what can be asked.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Optional

from policykg.errors import QueryError
from interface.report import ImpactReport, QueryRun, trace_queries


@dataclass(frozen=True)
class Parsed:
    intent: str
    language: str  # zh | en
    params: dict[str, Any]
    question: str  # normalised
    template: str  # the pattern that matched


@dataclass(frozen=True)
class QuestionAnswer:
    question: str
    intent: str
    language: str
    params: dict[str, Any]  # what the question asked, as understood
    answer: str  # a short answer in the question's language
    summary: tuple[tuple[str, int], ...]  # ranked counts (e.g. agencies by number of tasks led)
    items: tuple[Any, ...]  # the facade's models (DepartmentAnswer, CitingTask, …) or report items
    query: str  # the main named query
    query_params: dict[str, Any]  # its bound parameters (match form)
    query_language: str  # sparql | cypher
    query_text: str  # the SPARQL (with its VALUES block) or Cypher it ran
    backend: str
    queries: tuple[QueryRun, ...] = field(default=())  # every query that ran
    report: Optional[ImpactReport] = None  # impact questions


# ----------------------------------------------------------------------------
# normalisation and dates

_QUOTES = "“”\"'‘’「」『』《》"  # 《》 too: titles are matched without book-title marks


def normalise(question: str) -> str:
    s = unicodedata.normalize("NFKC", question or "").strip()
    s = re.sub(r"[?？。.!！\s]+$", "", s)
    s = re.sub(r"^(?:请问|请|问|please|q:)\s*", "", s, flags=re.I)
    return re.sub(r"\s+", " ", s).strip()


def _clean_slot(s: str) -> str:
    s = s.strip().strip(_QUOTES).strip()
    s = re.sub(r"^(?:the|a|an)\s+", "", s, flags=re.I)
    for ch in _QUOTES:
        if ch not in "《》":
            s = s.replace(ch, "")
    return s.strip(" ,，、:：")


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = "0"


def _num(s: str) -> int:
    s = s.strip()
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in _CN_DIGITS for c in s):  # 二〇一六
        return int("".join(_CN_DIGITS[c] for c in s))
    import cn2an

    return int(cn2an.cn2an(s, "smart"))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


_Y = r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})"
_M = r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})"
_D = r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})"
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})


def parse_when(text: str) -> date:
    """The last day a date phrase covers: 2016年底 → 2016-12-31, 2016年6月底 → 2016-06-30,
    2016年上半年 → 2016-06-30, 2016年第三季度 → 2016-09-30, end of June 2016, 2016-12-31, 2016."""
    s = normalise(text).strip()
    s = re.sub(r"^(?:the\s+)?end\s+of\s+", "", s, flags=re.I)
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    rules: list[tuple[str, Callable[[re.Match], date]]] = [
        (rf"^{_Y}年{_M}月{_D}日$", lambda m: date(_num(m["y"]), _num(m["m"]), _num(m["d"]))),
        (rf"^{_Y}年{_M}月(?:底|末|份)?$", lambda m: _month_end(_num(m["y"]), _num(m["m"]))),
        (rf"^{_Y}年(?:底|末|年底|年末|内|全年)?$", lambda m: date(_num(m["y"]), 12, 31)),
        (rf"^{_Y}年上半年$", lambda m: date(_num(m["y"]), 6, 30)),
        (rf"^{_Y}年下半年$", lambda m: date(_num(m["y"]), 12, 31)),
        (rf"^{_Y}年(?:第)?(?P<q>[1-4一二三四])季度(?:末|底)?$",
         lambda m: _month_end(_num(m["y"]), 3 * _num(m["q"]))),
        (r"^(?P<y>\d{4})-(?P<m>\d{1,2})$", lambda m: _month_end(int(m["y"]), int(m["m"]))),
        (r"^(?P<y>\d{4})$", lambda m: date(int(m["y"]), 12, 31)),
        (r"^(?P<mon>[a-z]+)\.?\s+(?P<y>\d{4})$", lambda m: _month_end(int(m["y"]), _MONTHS[m["mon"].lower()])),
        (r"^(?P<d>\d{1,2})\s+(?P<mon>[a-z]+)\.?\s+(?P<y>\d{4})$",
         lambda m: date(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]))),
        (r"^(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$",
         lambda m: date(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]))),
    ]
    for pattern, build in rules:
        m = re.match(pattern, s, flags=re.I)
        if m:
            try:
                return build(m)
            except (KeyError, ValueError) as exc:
                raise QueryError(f"{text!r} is not a date I can read ({exc})") from None
    raise QueryError(f"{text!r} is not a date I can read; write e.g. 2016-12-31, 2016年底, 2016年6月底 or end of 2016")


# ----------------------------------------------------------------------------
# the grammar

@dataclass(frozen=True)
class Template:
    intent: str
    language: str
    pattern: str
    example: str


_UNIT = r"(?:部门|单位|机构|机关)"
_EN_UNIT = r"(?:departments?|agenc(?:y|ies)|units?|offices?|bureaus?)"

TEMPLATES: tuple[Template, ...] = (
    # impact of a repeal / amendment (before 'citing': 废止Y会影响哪些任务 names tasks too)
    Template("repeal", "zh", r"^(?:如果|若|假如)?(?P<change>废止|撤销|废除|修订|修改)(?P<y>.+?)(?:的话)?[,，]?(?:会|将|可能)?(?:影响|波及|涉及)(?:到)?(?:哪些|什么).*$",
             "废止财税〔2015〕119号会影响哪些任务和部门？"),
    Template("repeal", "zh", r"^(?P<y>.+?)(?:被|如果被)?(?P<change>废止|修订|修改)(?:后|的话)?[,，]?(?:会|将)?(?:影响|波及)(?:哪些|什么).*$",
             "财税〔2015〕119号废止后会影响哪些任务？"),
    Template("repeal", "en", r"^what (?:is|are|would be|will be|gets?) affected if (?P<y>.+?) (?:is|were|was|gets?) (?P<change>repealed|amended)$",
             "What is affected if 财税〔2015〕119号 is repealed?"),
    Template("repeal", "en", r"^what (?:does|would|will) (?P<change>repealing|amending) (?P<y>.+?) affect$",
             "What would repealing 财税〔2015〕119号 affect?"),
    Template("repeal", "en", r"^(?:the )?impact of (?P<change>repealing|amending) (?P<y>.+)$",
             "impact of repealing 财税〔2015〕119号"),
    # the 2018 agency reform
    Template("reform", "zh", r"^(?:2018年)?(?:的)?机构改革(?:会|将)?(?:影响|涉及)(?:了)?(?:哪些|什么).*$",
             "机构改革影响哪些任务？"),
    Template("reform", "en", r"^(?:which|what) tasks (?:are|were) affected by the (?:2018 )?(?:agency |institutional )?reform$",
             "Which tasks are affected by the 2018 reform?"),
    # who leads X
    Template("leads", "zh", r"^(?P<x>.+?)(?:由|是)(?:谁|哪个" + _UNIT + r"|哪些" + _UNIT + r")牵头(?:负责)?(?:的)?$",
             "去库存由谁牵头？"),
    Template("leads", "zh", r"^(?:谁|哪个" + _UNIT + r"|哪些" + _UNIT + r")牵头(?:负责)?(?P<x>.+)$",
             "哪个部门牵头去库存？"),
    Template("leads", "zh", r"^(?P<x>.+?)的牵头" + _UNIT + r"(?:是谁|是哪个|是哪些|有哪些|是什么)?$",
             "去库存的牵头单位是谁？"),
    Template("leads", "en", r"^who leads (?P<x>.+)$", "Who leads 去库存?"),
    Template("leads", "en", r"^(?:which|what) " + _EN_UNIT + r" leads? (?P<x>.+)$", "Which department leads 去库存?"),
    Template("leads", "en", r"^who is (?:the )?lead(?:ing)?(?: " + _EN_UNIT + r")? (?:for|of|on) (?P<x>.+)$",
             "Who is the lead agency for 去库存?"),
    # which departments are responsible for X
    Template("departments", "zh", r"^(?:哪些|什么|哪个)" + _UNIT + r"(?:负责|承担|参与|落实)(?P<x>.+)$",
             "哪些部门负责去库存？"),
    Template("departments", "zh", r"^(?P<x>.+?)(?:由|归)(?:哪些|什么|哪个)" + _UNIT + r"(?:负责|承担)$",
             "去库存由哪些部门负责？"),
    Template("departments", "zh", r"^(?:谁|哪些人)负责(?P<x>.+)$", "谁负责住房公积金？"),
    Template("departments", "zh", r"^负责(?P<x>.+?)的" + _UNIT + r"(?:有哪些|是哪些|是谁)?$", "负责去库存的部门有哪些？"),
    Template("departments", "en", r"^(?:which|what) " + _EN_UNIT + r" (?:are |is )?(?:responsible for|in charge of|handle|handles) (?P<x>.+)$",
             "Which departments are responsible for 去库存?"),
    Template("departments", "en", r"^who is (?:responsible for|in charge of) (?P<x>.+)$", "Who is responsible for 住房公积金?"),
    # which tasks cite Y
    Template("citing", "zh", r"^(?:哪些|什么)任务引用(?:了)?(?P<y>.+)$", "哪些任务引用了财税〔2015〕119号？"),
    Template("citing", "zh", r"^(?P<y>.+?)被(?:哪些|什么)任务引用(?:了)?$", "财税〔2015〕119号被哪些任务引用？"),
    Template("citing", "zh", r"^引用(?:了)?(?P<y>.+?)的任务(?:有哪些|是哪些)?$", "引用财税〔2015〕119号的任务有哪些？"),
    Template("citing", "en", r"^(?:which|what) tasks (?:cite|refer to|implement) (?P<y>.+)$", "Which tasks cite 财税〔2015〕119号?"),
    # deadlines
    Template("deadlines", "zh", r"^(?P<when>.+?)(?:前|以前|之前)(?:到期|截止)(?:的)?(?:任务|工作)(?:有哪些)?$",
             "2016年底前到期的任务"),
    Template("deadlines", "zh", r"^(?:哪些|什么)(?:任务|工作)(?:在|于)?(?P<when>.+?)(?:前|以前|之前)(?:到期|截止|完成)$",
             "哪些任务在2016年底前到期？"),
    Template("deadlines", "en", r"^(?:(?:which|what) )?tasks (?:are |that are )?due (?:before|by|on or before) (?P<when>.+)$",
             "tasks due before 2016-12-31"),
    Template("deadlines", "en", r"^what is due (?:before|by) (?P<when>.+)$", "What is due by end of 2016?"),
    # targets
    Template("targets", "zh", r"^(?:到|至)?(?P<year>\d{4})年(?:的)?(?:(?P<metric>.+?)的?)?(?:目标|指标)(?:有哪些|是什么)?$",
             "到2020年的目标"),
    Template("targets", "en", r"^(?:what are |list )?(?:the )?targets? (?:for|by|in) (?P<year>\d{4})$", "targets for 2020"),
    Template("targets", "en", r"^(?:what are |list )?(?:the )?(?P<metric>.+?) targets? (?:for|by|in) (?P<year>\d{4})$",
             "What are the 直接融资 targets for 2017?"),
    # expiry and documents in force
    Template("expiry", "zh", r"^(?:哪些|什么)(?:文件|规定|政策)?(?:会|将)?(?:在)?(?:(?P<when>.+?)(?:前|以前|之前))?(?:到期|失效|期满)+(?:了)?$",
             "哪些文件会到期失效？"),
    Template("expiry", "zh", r"^(?P<when>.+?)(?:前|以前|之前)(?:到期|失效|期满)+的(?:文件|规定|政策|任务)(?:有哪些)?$",
             "2022年前失效的文件有哪些？"),
    Template("expiry", "en", r"^what (?:lapses|expires)(?: (?:by|before) (?P<when>.+))?$", "What lapses before 2022?"),
    Template("expiry", "en", r"^which documents (?:lapse|expire)(?: (?:by|before) (?P<when>.+))?$",
             "Which documents expire before 2022-01-01?"),
    Template("in_force", "zh", r"^(?P<when>.+?)(?:仍然|仍)?(?:有效|现行有效)的(?:文件|规定|政策)(?:有哪些)?$",
             "2017年6月30日有效的文件"),
    Template("in_force", "en", r"^which documents are (?:in force|valid) (?:on|at) (?P<when>.+)$",
             "Which documents are in force on 2017-06-30?"),
    # what tasks does X have (last: '…有哪些任务' is the most general)
    Template("agency_tasks", "zh", r"^(?P<a>.+?)(?:有|负责|牵头|承担|参与)(?:哪些|什么)(?:工作)?任务$", "市财政局有哪些任务？"),
    Template("agency_tasks", "zh", r"^(?P<a>.+?)的任务(?:有哪些|是什么)?$", "市财政局的任务"),
    Template("agency_tasks", "en", r"^what tasks does (?P<a>.+?) (?:have|lead|share)$", "What tasks does 市财政局 have?"),
    Template("agency_tasks", "en", r"^(?:which|what) tasks (?:does|is) (?P<a>.+?) (?:have|lead|responsible for)$",
             "Which tasks does 市财政局 lead?"),
    Template("agency_tasks", "en", r"^(?:list )?(?:the )?tasks of (?P<a>.+)$", "tasks of 市财政局"),
)

#: one Chinese and one English example per intent, for the help message
EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("departments", "哪些部门负责去库存？", "Which departments are responsible for 去库存?"),
    ("leads", "去库存由谁牵头？", "Who leads 去库存?"),
    ("citing", "哪些任务引用了财税〔2015〕119号？", "Which tasks cite 财税〔2015〕119号?"),
    ("repeal", "废止财税〔2015〕119号会影响哪些任务和部门？", "What is affected if 财税〔2015〕119号 is repealed?"),
    ("agency_tasks", "市财政局有哪些任务？", "What tasks does 市财政局 have?"),
    ("deadlines", "2016年底前到期的任务", "Tasks due before 2016-12-31"),
    ("targets", "到2020年的目标", "Targets for 2020"),
    ("expiry", "哪些文件会到期失效？", "What lapses before 2022?"),
    ("in_force", "2017年6月30日有效的文件", "Which documents are in force on 2017-06-30?"),
    ("reform", "机构改革影响哪些任务？", "Which tasks are affected by the 2018 reform?"),
)


def help_text() -> str:
    lines = ["You can ask (Chinese or English):"]
    for intent, zh, en in EXAMPLES:
        lines.append(f"  {zh}  —  {en}")
    return "\n".join(lines)


def parse(question: str) -> Parsed:
    """The intent and parameters of a question; QueryError (listing what can be asked) when none fits."""
    q = normalise(question)
    if not q:
        raise QueryError("the question is empty.\n" + help_text())
    for t in TEMPLATES:
        m = re.match(t.pattern, q, flags=re.I)
        if not m:
            continue
        params = _params(t.intent, {k: v for k, v in m.groupdict().items() if v is not None})
        if params is None:
            continue
        return Parsed(t.intent, t.language, params, q, t.pattern)
    raise QueryError(f"I cannot parse the question “{question.strip()}”.\n" + help_text())


def _params(intent: str, slots: dict[str, str]) -> Optional[dict[str, Any]]:
    """Slots → method parameters; None when a slot is empty (the template does not fit after all)."""
    if intent in ("departments", "leads"):
        goal = _clean_slot(slots["x"])
        goal = re.sub(r"(?:的)?(?:任务|工作|专项工作)$", "", goal) or goal
        return {"goal": goal} if goal else None
    if intent in ("citing", "repeal"):
        reg = _clean_slot(slots["y"])
        if not reg:
            return None
        if intent == "citing":
            return {"regulation": reg}
        change = slots.get("change", "废止").lower()
        return {"regulation": reg, "change": "amend" if change in ("修订", "修改", "amended", "amending") else "repeal"}
    if intent == "agency_tasks":
        a = _clean_slot(slots["a"])
        return {"agency": a} if a and not re.match(r"^(?:哪些|什么|哪个)", a) else None
    if intent == "deadlines":
        return {"before": parse_when(_clean_slot(slots["when"]))}
    if intent == "targets":
        metric = _clean_slot(slots.get("metric") or "") or None
        return {"year": int(slots["year"]), "metric": metric}
    if intent == "expiry":
        when = _clean_slot(slots.get("when") or "")
        return {"on": parse_when(when) if when else None}
    if intent == "in_force":
        return {"on": parse_when(_clean_slot(slots["when"]))}
    if intent == "reform":
        return {}
    return None  # pragma: no cover


# ----------------------------------------------------------------------------
# answering


def answer(g: Any, question: str) -> QuestionAnswer:
    """Parse ``question`` and answer it on ``g`` (a graph_api.PolicyGraph)."""
    p = parse(question)
    handler = _HANDLERS[p.intent]
    with trace_queries(g) as runs:
        text, summary, items, report = handler(g, p)
    runs = list(runs) or ([] if report is None else list(report.queries))
    main_name = _MAIN_QUERY[p.intent]
    main = next((r for r in runs if r.name == main_name), runs[0] if runs else None)
    return QuestionAnswer(
        question=question, intent=p.intent, language=p.language, params=_jsonable_params(p.params), answer=text,
        summary=tuple(summary), items=tuple(items),
        query=main.name if main else main_name, query_params=dict(main.params) if main else {},
        query_language=main.language if main else "", query_text=main.text if main else "",
        backend=getattr(g, "backend_name", ""), queries=_dedupe(runs), report=report)


_MAIN_QUERY = {"departments": "departments_for_goal", "leads": "departments_for_goal", "citing": "tasks_citing",
               "repeal": "impact_of_document", "agency_tasks": "agency_tasks", "deadlines": "deadlines_between",
               "targets": "targets_for", "expiry": "expiring_documents", "in_force": "in_force_on",
               "reform": "reform_impact"}


def _dedupe(runs: list[QueryRun]) -> tuple[QueryRun, ...]:
    from interface.report import _unique_runs

    return _unique_runs(runs)


def _jsonable_params(p: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in p.items()}


def _ranked(names: list[str]) -> list[tuple[str, int]]:
    return sorted(Counter(names).items(), key=lambda kv: (-kv[1], kv[0]))


def _fmt(ranked: list[tuple[str, int]], zh: bool, n: int = 8) -> str:
    sep = "、" if zh else ", "
    shown = sep.join(f"{k}（{v}）" if zh else f"{k} ({v})" for k, v in ranked[:n])
    if len(ranked) > n:
        shown += f"等{len(ranked)}个" if zh else f" and {len(ranked) - n} more"
    return shown


def _h_departments(g, p: Parsed):
    zh = p.language == "zh"
    goal = p.params["goal"]
    role = "lead" if p.intent == "leads" else None
    items = g.departments_for(goal, role=role)
    tasks = {a.task_id for a in items}
    leads = _ranked([a.agency for a in items if a.role == "lead"])
    resp = _ranked([a.agency for a in items if a.role == "responsible"])
    if not items:
        return ((f"没有找到与“{goal}”有关的任务。" if zh else f"No task mentions “{goal}”."), [], [], None)
    if zh:
        text = f"与“{goal}”有关的{len(tasks)}项任务由{_fmt(leads, True)}牵头"
        text += f"；责任单位：{_fmt(resp, True)}。" if resp and role is None else "。"
    else:
        text = f"The {len(tasks)} tasks on “{goal}” are led by {_fmt(leads, False)}"
        text += f"; responsible units: {_fmt(resp, False)}." if resp and role is None else "."
    return text, leads + ([] if role else [(f"{k} (responsible)", v) for k, v in resp]), items, None


def _h_citing(g, p: Parsed):
    zh = p.language == "zh"
    reg = p.params["regulation"]
    items = g.tasks_citing(reg)
    if not items:
        return ((f"没有任务引用{reg}。" if zh else f"No task cites {reg}."), [], [], None)
    parts = [f"{c.task_title}（{'、'.join(c.leads) or '—'}牵头，{c.relation}）" if zh else
             f"{c.task_title} (led by {'、'.join(c.leads) or '—'}; {c.relation})" for c in items]
    text = (f"{len(items)}项任务引用了{reg}：" + "；".join(parts) + "。") if zh else \
        (f"{len(items)} task{'s' if len(items) > 1 else ''} cite {reg}: " + "; ".join(parts) + ".")
    return text, _ranked([c.evidence.doc_title or c.evidence.doc_id for c in items]), items, None


def _h_repeal(g, p: Parsed):
    from interface.report import repeal_report

    zh = p.language == "zh"
    r = repeal_report(g, p.params["regulation"], change=p.params["change"])
    direct = [i for i in r.items if i.direct]
    leads = _ranked([a.name for i in r.items for a in i.agencies if a.role == "lead"])
    reg = p.params["regulation"]
    if not r.items:
        text = f"图中没有任务或文件依据{reg}。" if zh else f"Nothing in the graph rests on {reg}."
    elif zh:
        verb = "废止" if p.params["change"] == "repeal" else "修订"
        text = (f"{verb}{reg}会影响{len(r.documents)}份文件的{len(r.items)}项任务"
                f"（其中{len(direct)}项直接引用：{'、'.join(i.task_title for i in direct) or '无'}），"
                f"涉及牵头单位{_fmt(leads, True, 6)}，以及{sum(len(i.deadlines) for i in r.items)}个期限。")
    else:
        verb = "Repealing" if p.params["change"] == "repeal" else "Amending"
        text = (f"{verb} {reg} affects {len(r.items)} tasks in {len(r.documents)} document(s) "
                f"({len(direct)} cite it themselves: {', '.join(i.task_title for i in direct) or 'none'}); "
                f"lead units {_fmt(leads, False, 6)}; {sum(len(i.deadlines) for i in r.items)} deadlines.")
    return text, leads, list(r.items), r


def _h_reform(g, p: Parsed):
    from loaders.reforms import BUNDLED_REFORM
    from interface.report import reform_report

    zh = p.language == "zh"
    r = reform_report(g, BUNDLED_REFORM)
    ceased = [i for i in r.items if i.direct]
    units = [(f"{a.name} → {a.successor}", a.lead + a.responsible) for a in r.agencies if a.kind != "partial"]
    text = (f"2018年机构改革后，{len(ceased)}项任务的牵头或责任单位已不存在，涉及{len(units)}个单位。" if zh else
            f"After the 2018 reform, {len(ceased)} tasks have a lead or responsible unit that no longer exists "
            f"({len(units)} units).")
    return text, units, list(r.items), r


def _h_agency_tasks(g, p: Parsed):
    zh = p.language == "zh"
    a = p.params["agency"]
    items = g.agency_tasks(a)
    lead = [t for t in items if t.role == "lead"]
    shared = [t for t in items if t.role != "lead"]
    if not items:
        return ((f"没有找到{a}的任务。" if zh else f"No tasks found for {a}."), [], [], None)
    if zh:
        text = f"{a}牵头{len({t.task_id for t in lead})}项任务、参与（责任单位）{len({t.task_id for t in shared})}项任务。"
    else:
        text = f"{a} leads {len({t.task_id for t in lead})} tasks and shares {len({t.task_id for t in shared})}."
    return text, _ranked([t.evidence.doc_title or t.evidence.doc_id for t in items]), items, None


def _h_deadlines(g, p: Parsed):
    zh = p.language == "zh"
    before: date = p.params["before"]
    items = g.deadlines(("1900-01-01", before.isoformat()))
    tasks = {d.task_id for d in items}
    if zh:
        text = f"{before.isoformat()}（含）前到期的任务有{len(tasks)}项：" + "；".join(
            f"{d.task_title}（{d.deadline.text}）" for d in items[:10]) + ("等。" if len(items) > 10 else "。")
    else:
        text = f"{len(tasks)} tasks are due on or before {before.isoformat()}: " + "; ".join(
            f"{d.task_title} ({d.deadline.text})" for d in items[:10]) + ("…" if len(items) > 10 else ".")
    if not items:
        text = f"{before.isoformat()}前没有到期的任务。" if zh else f"No task is due by {before.isoformat()}."
    return text, _ranked([d.deadline.date or "" for d in items]), items, None


def _h_targets(g, p: Parsed):
    zh = p.language == "zh"
    year, metric = p.params["year"], p.params.get("metric")
    items = g.targets(metric=metric, year=year)
    if not items:
        return ((f"没有{year}年的目标。" if zh else f"No targets for {year}."), [], [], None)
    shown = "；".join(t.text or f"{t.metric}{t.value:g}{t.unit}" for t in items[:8])
    text = (f"{year}年的目标有{len(items)}个：{shown}" + ("等。" if len(items) > 8 else "。")) if zh else \
        (f"{len(items)} targets for {year}: {shown}" + ("…" if len(items) > 8 else "."))
    return text, _ranked([t.evidence.doc_title or t.evidence.doc_id for t in items]), items, None


def _h_expiry(g, p: Parsed):
    from interface.report import expiry_report

    zh = p.language == "zh"
    r = expiry_report(g, on=p.params.get("on"))
    by_date = _ranked([i.date or "" for i in r.items])
    by_date.sort()
    docs = [d for d in r.documents if d.how.startswith("valid")]
    if zh:
        text = "；".join(f"{d.doc_title or d.doc_number}有效期至{d.date}（{d.tasks}项任务随之失效）" for d in docs) or "没有设定有效期的文件"
        windows = [i for i in r.items if i.how.startswith("its window")]
        if windows:
            text += "；另有" + "、".join(f"{i.task_title}（{i.date}期满）" for i in windows)
        text += "。"
    else:
        text = "; ".join(f"{d.doc_title or d.doc_number} is valid until {d.date} ({d.tasks} tasks lapse with it)"
                         for d in docs) or "No document has a validity"
        windows = [i for i in r.items if i.how.startswith("its window")]
        if windows:
            text += "; task windows ending: " + ", ".join(f"{i.task_title} ({i.date})" for i in windows)
        text += "."
    return text, by_date, list(r.items), r


def _h_in_force(g, p: Parsed):
    zh = p.language == "zh"
    on: date = p.params["on"]
    items = g.in_force(on)
    names = [d.doc_title or d.doc_number or d.doc_id for d in items]
    text = (f"{on.isoformat()}有效的文件有{len(items)}份：" + "；".join(names) + "。") if zh else \
        (f"{len(items)} documents are in force on {on.isoformat()}: " + "; ".join(names) + ".")
    return text, [], items, None


_HANDLERS: dict[str, Callable] = {
    "departments": _h_departments, "leads": _h_departments, "citing": _h_citing, "repeal": _h_repeal,
    "reform": _h_reform, "agency_tasks": _h_agency_tasks, "deadlines": _h_deadlines, "targets": _h_targets,
    "expiry": _h_expiry, "in_force": _h_in_force,
}
