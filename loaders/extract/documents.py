"""Split a normalised text into documents: 文号, title, issuer, date, type, 主送, parent.

A gazette issue holds several documents one after another; a 通知 that issues
(印发) a 规定 or several 方案 is their parent. The rules look at line shapes:
a 文号 line, the title lines just before it, the addressee line ending in a
colon after it, a signature (issuer line + date line) at the end, and title-like
lines (ending in a document-type word) that open an attachment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Optional

from loaders.extract.lexicon import lexicon
from loaders.extract.numerals import parse_cn_date
from loaders.extract.tables import column_kind
from loaders.text.normalize import NormText

# 文号: issuer abbreviation + year in brackets + serial + 号 (号 may be Traditional 號)
DOCNUM = re.compile(
    r"(?P<num>[\u4e00-\u9fff*＊]{1,12}[〔\[［(（【﹝„「]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】﹞‟」“”]\s*第?\s*\d{1,4}\s*[号號])"
)
_META_DOCNUM = re.compile(r"(?:发布文号|发文字号|文号|發文字號|文號)\s*[:：|】]?\s*\|?\s*(?P<num>[^\s|]{4,30}?[号號])")
_META_DATE = re.compile(r"(?:发布日期|成文日期|發布日期)\s*[:：|】]?\s*\|?\s*(?P<d>\d{4}-\d{1,2}-\d{1,2})")
_DATE_LINE = re.compile(
    r"^\s*(?P<d>[0-9〇○零一二三四五六七八九十]{4}年[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}日)\s*$"
)
_STRUCT = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|\d{1,3}[.．、]|第[一二三四五六七八九十百]+[章条])")
_ORG_SUFFIX = re.compile(r"(?:政府|部门|部門|机构|機構|单位|單位|委员会|委|局|办|辦|处|會|会|中心|室|厅|廳|院|所|站|队|团|行)$")
_ADDRESSEE_LINE = re.compile(r"^(?P<a>[^。；;]{2,120})[:：]\s*$")
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")
_SENTENCE_PUNCT = re.compile(r"[。；;！？]")
_ENDS_CLAUSE = re.compile(r"[。；;:：！？]$")
_TITLE_KEY_DROP = re.compile(r"[《》\s]")


@dataclass
class DocDraft:
    """A document being assembled; turned into a model Document by the pipeline."""

    start: int  # normalised offsets
    end: int
    title_span: Optional[tuple[int, int]] = None
    title: Optional[str] = None
    doc_number: Optional[str] = None
    number_span: Optional[tuple[int, int]] = None
    issuer: Optional[str] = None
    date: Optional[date] = None
    doc_type: Optional[str] = None
    addressees: list[str] = field(default_factory=list)
    parent: Optional[int] = None  # index into the draft list
    body_start: int = 0  # where the body (after header / addressees) begins


def doc_type_of(title: str | None, text: str = "") -> Optional[str]:
    """The controlled type word a title ends with (实施意见 → 意见, 工作方案 → 方案)."""
    types = lexicon("documents")["types"]
    if title:
        t = _TRAILING_NOTE.sub("", title.strip())
        m = _type_words().search(t)
        if m:
            return types[m.group(0)]
    for cue, typ in lexicon("documents")["type_cues"].items():
        if cue in text:
            return typ
    return None


@lru_cache(maxsize=1)
def _type_words() -> re.Pattern:
    """The type word a title ends with, longest first."""
    words = sorted(lexicon("documents")["types"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")$")


def _is_title_like(s: str) -> bool:
    s = s.strip()
    if not (4 <= len(s) <= 80) or _SENTENCE_PUNCT.search(s):
        return False
    return doc_type_of(s) is not None


def _title_start_ok(s: str) -> bool:
    return not _ENDS_CLAUSE.search(s.strip())


def issuer_from_title(title: str) -> Optional[str]:
    m = re.match(r"^(?P<org>[\u4e00-\u9fff（）()]{2,30}?)(?:关于|關于|關於)", title)
    if m:
        return m.group("org")
    return None


def split_addressees(line: str) -> list[str]:
    """各省、自治区、直辖市人民政府,国务院各部委、各直属机构 → three addressees."""
    out = []
    for part in re.split(r"[，,；;]", line):
        part = part.strip()
        if not part:
            continue
        pieces, depth, cur = [], 0, ""
        for ch in part:
            depth += ch in "（(" 
            depth -= ch in "）)"
            if ch == "、" and depth == 0:
                pieces.append(cur)
                cur = ""
            else:
                cur += ch
        pieces.append(cur)
        merged = [pieces[0]]
        for p in pieces[1:]:
            bare = re.sub(r"[（(][^（()）]*[)）]", "", p)
            prev_bare = re.sub(r"[（(][^（()）]*[)）]$", "", merged[-1])
            if len(bare) >= 3 and (_ORG_SUFFIX.search(prev_bare) or re.match(r"^(?:各|有关)", p)):
                merged.append(p)
            else:
                merged[-1] += "、" + p
        out.extend(m for m in merged if m)
    return out


def segment(norm: NormText) -> list[DocDraft]:
    text, match = norm.text, norm.match
    lines = norm.lines()
    drafts: list[DocDraft] = []
    # each line sliced (and stripped) once; the helpers take line_match(k) as a function
    match_lines = [match[a:b] for a, b in lines]
    stripped = [s.strip() for s in match_lines]
    line_match = match_lines.__getitem__
    line_text = [text[a:b] for a, b in lines].__getitem__

    # 1. anchors: 文号 lines (standalone or metadata rows) and attachment title lines
    anchors: list[tuple[int, str, Optional[re.Match]]] = []
    seen_numbers: dict[str, int] = {}  # a 文号 printed twice in one header (红头 + title line) is one document
    for k, lm in enumerate(stripped):
        m = DOCNUM.fullmatch(_unbracketed(lm.replace(" ", ""))) if len(lm) <= 32 else None
        # (every metadata label ends in 号 / 號: a cheap test before the search)
        meta = _META_DOCNUM.search(lm) if not m and ("号" in lm or "號" in lm) else None
        if m or (meta and DOCNUM.search(meta.group("num"))):
            num = (m or DOCNUM.search(meta.group("num"))).group("num")
            if num in seen_numbers and k - seen_numbers[num] < 12:
                continue
            seen_numbers[num] = k
            anchors.append((k, "number", m or meta))
    number_lines = {k for k, _, _ in anchors}

    # 2. one draft per 文号 anchor, with its title just above it
    for k, _, _ in anchors:
        lm = line_match(k)
        mm = DOCNUM.search(lm)
        a, _b = lines[k]
        d = DocDraft(start=a, end=len(text))
        d.doc_number = text[a + mm.start("num"):a + mm.end("num")].replace(" ", "")
        d.number_span = (a + mm.start("num"), a + mm.end("num"))
        title_lines = _title_above(k, lines, line_match, number_lines)
        if not title_lines:
            title_lines = _title_below(k, lines, line_match)
        if not title_lines:
            title_lines = _title_near(k, lines, line_match)
        if title_lines:
            t0, t1 = lines[title_lines[0]][0], lines[title_lines[-1]][1]
            d.title_span = (t0, t1)
            d.title = "".join(line_text(j).strip() for j in title_lines).replace(" ", "")
            d.start = min(t0, a)
        drafts.append(d)

    # 3. attachments: a title-like line followed by a structural marker, not already a title;
    #    the line after an attachment label (附件 / 附件2：); a title the notice names in 《》, after its signature
    labelled = _after_attachment_labels(stripped)
    named = _titles_named_before_signature(stripped)
    in_title = set()
    for d in drafts:
        if d.title_span:
            in_title.update(j for j, (la, lb) in _lines_between(lines, d.title_span[0], d.title_span[1]))
    # a title printed twice in one header (page title + document title) opens one document
    starts_idx = {ln[0]: j for j, ln in enumerate(lines)}
    known = {_TITLE_KEY_DROP.sub("", d.title): starts_idx.get(d.title_span[0], 0) for d in drafts if d.title}
    k = 0
    while k < len(lines):
        a, b = lines[k]
        if k in in_title:
            k += 1
            continue
        cand = [k]
        s = stripped[k]
        if k in number_lines or _DATE_LINE.match(s) or _STRUCT.match(s.lstrip("#").strip()) or \
                s.startswith(("(", "（", "【", "附件", "#")):  # a Markdown heading (## 第X章) opens no document
            k += 1
            continue
        # a title may run over two lines
        title_like = _is_title_like(s)
        if k + 1 < len(lines) and len(s) <= 40 and not title_like and _is_title_like(s + stripped[k + 1]) \
                and _title_start_ok(s) and not _STRUCT.match(stripped[k + 1]):
            cand = [k, k + 1]
            s = s + stripped[k + 1]
            title_like = True
        elif not title_like and k not in labelled and k not in named:
            k += 1  # one line that is no title and no labelled or named one: nothing below can open a document
            continue
        nxt = cand[-1] + 1
        key = _TITLE_KEY_DROP.sub("", s)
        if DOCNUM.search(s) or (key in known and 0 <= k - known[key] < 15):
            k = nxt
            continue
        if nxt < len(lines) and _subtitle(line_match(nxt)) and nxt + 1 < len(lines):
            nxt += 1  # (县自然资源局牵头) / (2024年修订) printed under the title
        opens = nxt < len(lines) and _opens_body(line_match(nxt))
        if (k in labelled or k in named or (title_like and opens)) \
                and (opens or k in labelled) and not _inside_sentence(k, lines, line_match):
            d = DocDraft(start=a, end=len(text))
            d.title_span = (a, lines[cand[-1]][1])
            d.title = "".join(line_text(j).strip() for j in cand).replace(" ", "")
            drafts.append(d)
            known[_TITLE_KEY_DROP.sub("", d.title)] = k
            k = nxt
            continue
        k += 1

    if not drafts:
        drafts.append(_whole_text_draft(norm, lines, line_match, line_text))

    drafts.sort(key=lambda d: d.start)
    for i, d in enumerate(drafts):
        d.end = drafts[i + 1].start if i + 1 < len(drafts) else len(text)
    if drafts and drafts[0].start > 0:
        # a preamble (page titles, law-database header) belongs to the first document
        head = text[: drafts[0].start]
        head_lines = [(a, b) for a, b in lines if b <= drafts[0].start]
        has_header = any(_ADDRESSEE_LINE.match(match[a:b].strip()) or _DATE_LINE.match(match[a:b])
                         for a, b in head_lines)
        if has_header or len(head.strip()) >= 400:
            sub = NormText(norm.original, norm.source_id, text[: drafts[0].start], match[: drafts[0].start],
                           norm.offsets[: drafts[0].start])
            sub_lines = sub.lines()
            first = _whole_text_draft(sub, sub_lines, [sub.match[a:b] for a, b in sub_lines].__getitem__,
                                      [sub.text[a:b] for a, b in sub_lines].__getitem__)
            first.end = drafts[0].start
            drafts.insert(0, first)
        else:
            drafts[0].start = 0

    for d in drafts:
        _drop_marker_tail(d, norm)
        _fill_header(d, norm, [ln for _, ln in _lines_between(lines, d.start, d.end)])
        if INFO_END in match[d.start:min(d.end, d.start + 3000)]:
            _law_header(d, norm)
    _link_parents(drafts, norm)
    return drafts


def _unbracketed(s: str) -> str:
    """(陕政办发〔2011〕12号) — a 文号 line printed in brackets."""
    if len(s) > 2 and s[0] in "(（" and s[-1] in ")）":
        return s[1:-1]
    return s


_TITLE_KEY_CHARS = re.compile(r"[《》〈〉<>\s]")


def _title_key(s: str) -> str:
    return _TITLE_KEY_CHARS.sub("", s)


_ATTACHMENT_LABEL = re.compile(r"^附件\s*\d{0,2}\s*[:：]?$")


def _after_attachment_labels(stripped: list[str]) -> set[int]:
    """Lines just after a label line of its own (附件 / 附件1 / 附件：) that could be a title (lines given stripped)."""
    out = set()
    for k in range(len(stripped) - 1):
        if stripped[k].startswith("附件") and _ATTACHMENT_LABEL.match(stripped[k]):
            s = stripped[k + 1]
            if 4 <= len(s) <= 60 and not re.search(r"[。；;！？:：]", s) and not _STRUCT.match(s):
                out.add(k + 1)
    return out


_NAMED_TITLE = re.compile(r"《([^《》]{4,80}(?:《[^《》]{1,40}》[^《》]{0,40})*)》")


def _titles_named_before_signature(stripped: list[str]) -> set[int]:
    """Lines that repeat a 《》 title named above them, after a date (signature) line: a notice that issues a
    plan, then the plan's title line and its body (lines given stripped)."""
    named_at: dict[str, int] = {}
    out: set[int] = set()
    signed = -1
    for k, s in enumerate(stripped):
        if signed >= 0 and 4 <= len(s) <= 80 and named_at.get(_title_key(s), k) < signed:
            out.add(k)
        if _DATE_LINE.match(s):
            signed = k  # the latest signature so far
        if "《" in s:
            for m in _NAMED_TITLE.finditer(s):
                named_at.setdefault(_title_key(m.group(1)), k)
    return out


def _subtitle(s: str) -> bool:
    s = s.strip()
    return bool(re.fullmatch(r"[（(][^（()）]{2,30}[)）]", s))


_MARKER_TAIL = re.compile(r"[（(][^（()）]{2,60}(?:牵头|负责|配合)[^（()）]{0,10}[)）]$")


def _drop_marker_tail(d: DocDraft, norm: NormText) -> None:
    """专项行动方案(县自然资源局牵头): the lead written under a plan's title is no part of the title."""
    if not d.title_span or not d.title:
        return
    a, b = d.title_span
    m = _MARKER_TAIL.search(norm.match, a, b)
    if m and m.start() > a:
        d.title_span = (a, m.start())
        d.title = d.title[: len(d.title) - len(re.sub(r"\s+", "", norm.text[m.start():b]))]


def _lines_between(lines: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, tuple[int, int]]]:
    """(index, line) of the lines starting in [a, b), found by bisection."""
    import bisect

    starts = [ln[0] for ln in lines] if not hasattr(_lines_between, "_cache") or _lines_between._cache[0] is not lines \
        else _lines_between._cache[1]
    _lines_between._cache = (lines, starts)
    i = bisect.bisect_left(starts, a)
    out = []
    while i < len(lines) and lines[i][0] < b:
        out.append((i, lines[i]))
        i += 1
    return out


def _inside_sentence(k: int, lines, line_match) -> bool:
    """A title-like line that merely ends a sentence of the previous line is no title."""
    if k == 0:
        return False
    prev = line_match(k - 1).rstrip()
    return bool(prev) and prev[-1] in "，、,（(《“"


def _opens_body(s: str) -> bool:
    s = s.strip()
    return bool(re.match(r"^(?:一、|[（(]一[）)]|第一章|第一条|1[.．、](?!\d)|为|根据|按照|按|各|现将|经)", s)) or \
        bool(_ADDRESSEE_LINE.match(s)) or (len(s) >= 40 and s[-1] in "。：:") or _table_head(s)


def _table_head(s: str) -> bool:
    """The header of a task table right under a title (column names: data/lexicon/roles.json table_columns):
    its row-number cell alone on the line (序号, a table printed one cell per line), or a row of cells
    (| or tab) naming a task and a lead or responsible unit, as the table readers of tasks.py want them."""
    sep = "|" if s.count("|") >= 2 else "\t" if s.count("\t") >= 2 else None
    if sep is None:
        return column_kind(s) == "number"
    kinds = {column_kind(c) for c in s.strip().strip(sep).split(sep)}
    return "task" in kinds and bool({"lead", "responsible"} & kinds)


def _title_above(k: int, lines, line_match, number_lines: set[int]) -> list[int]:
    """Title lines just above a 文号 line (at most 3, stopping at sentences and dates)."""
    out: list[int] = []
    j = k - 1
    while j >= 0 and len(out) < 3:
        s = line_match(j).strip()
        if not s or j in number_lines or _DATE_LINE.match(s) or not _title_start_ok(s) or len(s) > 60:
            break
        if s.startswith(("【", "发布", "文号", "索引")) or "|" in s:
            break
        if out and _is_title_like(s) and _is_title_like(line_match(out[0]).strip()):
            break  # the line above is a complete title of its own (a page title, a repeat)
        if s in lexicon("documents")["header_lines"] or s.endswith("文件"):
            break
        out.insert(0, j)
        joined = "".join(line_match(x).strip() for x in out)
        if issuer_from_title(joined) and re.match(r"^.{2,30}?(?:关于)", joined):
            if len(out) >= 1 and (j == 0 or not _title_start_ok(line_match(j - 1))):
                break
        j -= 1
    # the title must end with a type word or be followed by the number
    if out and not _is_title_like("".join(line_match(x).strip() for x in out)):
        return []
    return out


def _title_below(k: int, lines, line_match) -> list[int]:
    """Some documents print the 文号 first and the title after it (東府〔2021〕54號)."""
    out: list[int] = []
    j = k + 1
    while j < len(lines) and len(out) < 2:
        s = line_match(j).strip()
        if not s or not _title_start_ok(s) or _ADDRESSEE_LINE.match(s):
            break
        out.append(j)
        if _is_title_like("".join(line_match(x).strip() for x in out)):
            # 关于印发…政府工作报告 / 任务分解的通知: a title-like first line may still go on
            if len(out) == 1 and j + 1 < len(lines) and _continues_title(line_match(j).strip(), line_match(j + 1).strip()):
                out.append(j + 1)
            return out
        j += 1
    return []


def _continues_title(first: str, nxt: str) -> bool:
    """Does ``nxt`` finish the title ``first`` (关于印发X / Y的通知), rather than start the body?"""
    return bool(re.match(r"^(?:关于|關於|關于)", first)) and 2 <= len(nxt) <= 30 and _title_start_ok(nxt) \
        and not _ADDRESSEE_LINE.match(nxt) and not nxt.startswith(("关于", "關於", "(", "（")) \
        and _is_title_like(first + nxt) and re.search(r"的(?:通知|意见|决定|批复|通报)$", nxt) is not None


def _title_near(k: int, lines, line_match) -> list[int]:
    """A law-database page prints metadata rows between title and 文号: look around."""
    for j in sorted(range(max(0, k - 8), min(len(lines), k + 12)), key=lambda j: abs(j - k)):
        s = line_match(j).strip()
        if _is_title_like(s) and re.search(r"关于|關於|關于", s) and not s.startswith(("【", "(", "（")):
            return [j]
    return []


def _whole_text_draft(norm: NormText, lines, line_match, line_text) -> DocDraft:
    """No 文号 and no attachment title: the whole text is one document."""
    d = DocDraft(start=0, end=len(norm.text))
    # a title just above the addressee line, possibly over two lines
    for k in range(min(len(lines), 12)):
        s = line_match(k).strip()
        if _ADDRESSEE_LINE.match(s) and k > 0:
            cand = [k - 1]
            if k >= 2 and not _is_title_like(line_match(k - 2).strip()) and \
                    _is_title_like(line_match(k - 2).strip() + line_match(k - 1).strip()):
                cand = [k - 2, k - 1]
            joined = "".join(line_match(j).strip() for j in cand)
            if _is_title_like(joined):
                d.title_span = (lines[cand[0]][0], lines[cand[-1]][1])
                d.title = "".join(line_text(j).strip() for j in cand)
            break
    if d.title is None:
        for k in range(min(len(lines), 3)):
            s = line_match(k).strip()
            if _is_title_like(s) and len(lines) > 1 and (k == 0 or re.search(r"关于|關於|關于", s)):
                d.title_span = lines[k]
                d.title = line_text(k).strip()
                break
    return d


def _fill_header(d: DocDraft, norm: NormText, lines: list[tuple[int, int]]) -> None:
    text, match = norm.text, norm.match
    body = match[d.start:d.end]
    if d.title:
        d.issuer = issuer_from_title(d.title)
    d.doc_type = doc_type_of(d.title, body[:600])
    # addressees: the first line ending with a colon after the header
    hdr_end = max(d.number_span[1] if d.number_span else d.start, d.title_span[1] if d.title_span else d.start)
    d.body_start = hdr_end
    seen = 0
    for a, b in lines:
        if b <= hdr_end or a >= d.end:
            continue
        s = match[a:b].strip()
        if not s or "|" in s or s.startswith("【"):
            continue
        seen += 1
        if seen > 8:
            break
        m = _ADDRESSEE_LINE.match(s)
        if not m:
            continue
        if m and not re.match(r"^(?:一、|[（(]一[）)]|第|附件)", s) and re.search(
                r"(?:政府|部门|部門|机构|機構|单位|單位|委员会|管委会|办事处|各|局)", s):
            d.addressees = split_addressees(text[a:b].strip().rstrip(":："))
            d.body_start = b
            break
    # date: the signature date line inside the document, else a metadata row
    for k, (a, b) in enumerate(lines):
        if a < d.start or a >= d.end:
            continue
        m = _DATE_LINE.match(match[a:b])
        if m:
            d.date = parse_cn_date(m.group("d"))
            if d.issuer is None and k > 0:
                pa, pb = lines[k - 1]
                if pa < d.start:
                    break
                sig = text[pa:pb].strip()
                if 2 <= len(sig) <= 30 and not re.search(r"[。，,；;：:]", sig):
                    d.issuer = sig
            break
    if d.date is None:
        m = _META_DATE.search(body[:1500])
        if m:
            y, mo, da = (int(x) for x in m.group("d").split("-"))
            d.date = date(y, mo, da)


INFO_END = "<!-- INFO END -->"
_PROMULGATION = re.compile(r"(?P<d>\d{4}年\d{1,2}月\d{1,2}日)[^\n]{0,40}?(?P<order>(?:中华人民共和国)?(?P<org>[\u4e00-\u9fff]{2,20}?)令"
                           r"(?:\(?[\u4e00-\u9fff]{0,6}\)?)?第\d+号)[^\n]{0,12}?(?:公布|发布)")
_ADOPTION = re.compile(r"(?P<d>\d{4}年\d{1,2}月\d{1,2}日)(?P<org>[\u4e00-\u9fff]{2,40}?)(?:第[一二三四五六七八九十百\d]+次)?"
                       r"(?:常务会议|会议|全体会议)通过")


def _law_header(d: DocDraft, norm: NormText) -> None:
    """A law-database Markdown file: ``# title``, header lines (promulgation / adoption, revisions), then
    ``<!-- INFO END -->``. The promulgation line (…令第N号公布) gives issuer, date and the 令 number as
    written; else the adoption line (…会议通过) gives issuer and date. Revision lines give nothing."""
    text, match = norm.text, norm.match
    head_end = match.find(INFO_END, d.start, d.end)
    head = match[d.start:head_end]
    tm = re.match(r"\s*#+\s*(?P<t>[^\n]+)", head)
    if tm:
        a, b = d.start + tm.start("t"), d.start + tm.end("t")
        d.title_span, d.title = (a, b), text[a:b].strip()
        d.doc_type = doc_type_of(d.title) or d.doc_type
    entries = [ln for ln in head.split("\n")[1:] if not re.search(r"修正|修订|修改", ln)]
    d.issuer = d.date = d.doc_number = None
    for ln in entries:
        m = _PROMULGATION.search(ln)
        if m:
            d.doc_number = m.group("order")
            d.date = parse_cn_date(m.group("d"))
            d.issuer = re.sub(r"^中华人民共和国", "", m.group("org"))
            break
    if d.date is None:
        for ln in entries:
            m = _ADOPTION.search(ln)
            if m:
                d.date = parse_cn_date(m.group("d"))
                org = re.sub(r"第[一二三四五六七八九十百\d]+届", "", m.group("org"))
                d.issuer = re.sub(r"第[一二三四五六七八九十百\d]+次$", "", org)
                break
    d.body_start = max(d.body_start, head_end + len(INFO_END))


def _link_parents(drafts: list[DocDraft], norm: NormText) -> None:
    """An attachment (no 文号) belongs to the nearest preceding document that issues it."""
    for i, d in enumerate(drafts):
        if d.doc_number or i == 0:
            continue
        for j in range(i - 1, -1, -1):
            p = drafts[j]
            if p.doc_number or (p.doc_type == "通知" and p.parent is None) or \
                    (p.title and re.search(r"印发|印發", p.title)):
                if p.parent is not None:
                    continue
                body = norm.match[p.start:p.end]
                if re.search(r"印发|印發|现将|現將|附件", body) or (p.title and "印发" in p.title):
                    d.parent = j
                    d.issuer = d.issuer or p.issuer
                    d.date = d.date or p.date
                break
