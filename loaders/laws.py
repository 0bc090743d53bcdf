"""The laws corpus: Markdown laws, regulations, judicial interpretations and rules → graph rows.

Files look like ``<root>/<category>/[<department>/]<title>(<YYYY-MM-DD>).md`` (the
LawRefBook/Laws layout)::

    # 中华人民共和国道路运输条例                    ← title (a second "# 物权编" line names a part)
    2004年4月30日 中华人民共和国国务院令第406号公布  ← header: one dated entry a paragraph,
    2012年11月9日 《国务院关于修改和废止部分行政法规的决定》第一次修订   (undated lines continue it)
    <!-- INFO END -->
    ## 第一章 总则
    第一条 为了…，根据《中华人民共和国宪法》，制定本条例。

:func:`parse_law` reads one file into a frozen :class:`LawRecord`: dates and 令 number
from the header, amendment history (修正/修订), the article count, and every
《…》 citation with its relation and its span in the original text:

* ``based_on`` — 根据/依据/依照《…》 in the enacting clause (the preamble and 第一条;
  also the bare 根据宪法 there, which cites the Constitution); ``implements`` —
  为了实施/贯彻《…》 there;
* ``repeals`` — 《…》同时废止, 《…》自…起废止, 废止《…》; ``invalidates`` — 《…》同时失效;
* ``amends`` — 修改《…》, 对《…》作如下修改/修正, and the amended law of a
  修正案 / 关于修改〈…〉的决定 named in the law's own title;
* ``refers_to`` — everything else, including titles nested in another title
  (《关于修改〈X〉的决定》 cites the decision, and X as ``refers_to``: the law does
  not amend X itself; X is usually the law itself, a self-citation, which is dropped).

``（以下简称《解释》）`` makes a later 《解释》 cite the full title. Cited titles are
NFKC with whitespace removed, as the policy extractor writes them, so the
CitedDocument nodes of both sides are shared.

:func:`rows_for_laws` builds the neutral graph (``Law`` nodes, ``CITES`` edges to the
law in force at the citing law's date, else to a shared ``CitedDocument``), and
:func:`link_cited_to_laws` draws ``SAME_AS`` edges from policy-side CitedDocuments
(《中华人民共和国预算法》) to the matching Law.

Ids: the source id of a file is ``law-`` + sha1(category/title/part/version date)[:12];
the Law node is ``<source id>-d1`` (like the documents of a gazette, ``<source>-dN``),
so both stores replace a re-loaded file's subgraph and nothing else.
"""
from __future__ import annotations

import bisect
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from loaders.graph_rows import Edge, GraphRows, Node, cited_id, match_key, merge_rows, rows_for
from loaders.pipeline import extract_source
from loaders.text.reading import read_source
from policykg.errors import InputError
from policykg.ids import short_hash
from policykg.model import Extraction, Source, Span

#: Folder names of the LawRefBook/Laws collection: a file's category is the one it sits under.
KNOWN_CATEGORIES = frozenset({
    "宪法", "宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法",
    "行政法规", "司法解释", "部门规章", "地方性法规", "监察法规", "其他",
})
LAW_RELATIONS = ("based_on", "implements", "repeals", "invalidates", "amends", "refers_to")
#: When one law cites another several times, the edge keeps the strongest relation (and its span).
_STRENGTH = {"repeals": 6, "amends": 5, "invalidates": 4, "based_on": 3, "implements": 2, "refers_to": 1}
PRC = "中华人民共和国"

INFO_END = "<!-- INFO END -->"
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILE_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)$")
_ENTRY_START = re.compile(r"^[\s　]*[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_CN_NUM = "一二三四五六七八九十百千零〇两"
_ARTICLE = re.compile(rf"(?m)^[ \t　]*第[{_CN_NUM}]+条(?:之[{_CN_NUM}]+)?(?=[ \t　])")
_FIRST_ARTICLE = re.compile(r"(?m)^[ \t　]*第一条(?=[ \t　])")
_ORDER = re.compile(rf"[\u4e00-\u9fff、]{{0,40}}?令\s*第\s*[0-9０-９{_CN_NUM}]+\s*号")
_BODY_EFFECTIVE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|公布之日|发布之日|印发之日)\s*起?\s*(?:施行|实施|生效)")
_OPEN, _CLOSE = "《〈<", "》〉>"
_SENT_END = "。；;！？!?\n"
# what may stand between two titles of one list: 《A》、《B》和《C》 (parentheticals are blanked first)
_LIST_GAP = re.compile(r"^[\s、，,和及与以及或者或□]*$")
_ALIAS = re.compile(r"[（(]\s*(?:以下简称|以下称|下称|简称)\s*[《〈“\"]?([^》〉”\"()（）\n]{1,20})[》〉”\"]?\s*[)）]")
_REPEAL_AFTER = re.compile(r"^[^，,。；;]{0,40}?(?:同时|一并|即行|予以|均)?废止")
_INVALID_AFTER = re.compile(r"^[^，,。；;]{0,40}?(?:同时|一并|即行)?(?:失效|停止执行)")
_AMEND_AFTER = re.compile(r"^[^。；;]{0,30}?(?:作|做)(?:出)?(?:如下|以下)(?:修改|修正)|^[^。；;，,]{0,12}?(?:修改|修正)如下")
_AMEND_BEFORE = re.compile(r"(?:^|[\s□、，,：:]|决定|同时|并)(?:修改|修正)[\s□]*$")
_REPEAL_BEFORE = re.compile(r"(?:决定|同时|予以)?废止[\s□]*$")
_BASIS_CUE = re.compile(r"(根据|依据|依照|按照)|(实施|贯彻|落实)")
_OWN_AMENDS = re.compile(r"^(.+?)修正案(?:[（(][^）)]*[）)])?$")
_OWN_DECISION = re.compile(r"关于修改[《〈<]([^》〉>]+)[》〉>]")


# ----------------------------------------------------------------------------
# the record

@dataclass(frozen=True, slots=True)
class Amendment:
    """One 修正/修订 entry of the header: when, which kind, by which decision (if named)."""

    date: Optional[date]
    kind: str  # 修正 | 修订
    decision: Optional[str]
    span: Span


@dataclass(frozen=True, slots=True)
class LawCitation:
    """A 《title》 (or 〈title〉 inside one) the law cites. ``title`` is NFKC without whitespace;
    ``written`` differs from it only for an alias (《解释》 → the full title it stands for)."""

    title: str
    relation: str
    span: Span
    nested: bool = False
    written: Optional[str] = None

    @property
    def key(self) -> str:
        return f"《{self.title}》"


@dataclass(frozen=True, slots=True)
class LawRecord:
    id: str  # the Law node: "<source_id>-d1"
    source_id: str  # "law-" + sha1(category/title/part/version date)[:12]
    path: str
    title: str  # the "# " line as written (stripped)
    category: str
    span: Span  # the title in the "# " line
    part: Optional[str] = None  # a second "# " line: 物权编 of 民法典
    version_date: Optional[date] = None  # from the file name "(YYYY-MM-DD)"
    promulgated: Optional[date] = None
    effective: Optional[date] = None
    adopted: Optional[date] = None  # …会议通过
    order_number: Optional[str] = None  # 中华人民共和国国务院令第406号 (the first 令 of the header)
    order_numbers: tuple[str, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    articles: int = 0
    citations: tuple[LawCitation, ...] = ()
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    text: str = field(default="", repr=False, compare=False)

    @property
    def as_of(self) -> Optional[date]:
        """The date this version speaks for: the file's version date, else the last amendment, else first dates."""
        if self.version_date:
            return self.version_date
        dated = [a.date for a in self.amendments if a.date]
        return max(dated) if dated else (self.promulgated or self.adopted or self.effective)


# ----------------------------------------------------------------------------
# parsing one file

def _category(path: Path, root: Optional[Path]) -> tuple[str, str]:
    """(category, path relative to the folder holding the categories)."""
    if root is not None:
        try:
            rel = path.resolve().relative_to(Path(root).resolve())
            if len(rel.parts) > 1:
                return rel.parts[0], rel.as_posix()
            return Path(root).resolve().name, rel.as_posix()
        except ValueError:
            pass
    for anc in path.resolve().parents:
        if anc.name in KNOWN_CATEGORIES:
            return anc.name, path.resolve().relative_to(anc.parent).as_posix()
    return path.parent.name, f"{path.parent.name}/{path.name}"


def _date(m: re.Match) -> Optional[date]:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _nfkc(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _short_key(key: str) -> str:
    return key[len(PRC):] if key.startswith(PRC) and len(key) > len(PRC) else key


def _balanced(s: str, i: int, limit: int = 200) -> Optional[int]:
    """Index of the bracket closing the one at ``i`` (《》 counted, 〈〉/<> nested inside), within the line."""
    depth = 0
    opener = s[i]
    closer = _CLOSE[_OPEN.index(opener)]
    for j in range(i, min(len(s), i + limit + 2)):
        c = s[j]
        if c == "\n":
            return None
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return j
    return None


def _blank_parens(s: str) -> str:
    """Parenthesised asides (（国务院令第1号）, （以下简称…）) blanked to □, same length."""
    return re.sub(r"[（(][^（）()\n]{0,80}[）)]", lambda m: "□" * len(m.group(0)), s)


@dataclass
class _Entry:
    start: int
    end: int
    text: str


def _header_entries(text: str, a: int, b: int) -> list[_Entry]:
    """Dated paragraphs of the header in [a, b); an undated line continues the entry before it."""
    out: list[_Entry] = []
    pos = a
    for line in text[a:b].split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        if not line.strip():
            continue
        if _ENTRY_START.match(line) or (re.match(r"^[\s　]*(?:发布|公布)之日", line) and out):
            out.append(_Entry(ls, le, line))
        elif out and not line.lstrip().startswith("#"):
            prev = out[-1]
            out[-1] = _Entry(prev.start, le, text[prev.start:le])
    return out


def parse_law(path: str | Path, root: Optional[str | Path] = None) -> LawRecord:
    """Read one law file (any encoding :func:`read_source` knows) into a :class:`LawRecord`.

    Raises :class:`~policykg.errors.InputError` naming the file when it cannot be read.
    """
    p = Path(path)
    src = read_source(p)
    text = src.text
    category, _ = _category(p, Path(root) if root else None)
    warnings: list[str] = list(src.warnings)
    stem = p.stem
    fm = _FILE_DATE.search(stem)
    version_date = _date(fm) if fm else None
    file_title = _FILE_DATE.sub("", stem).strip()

    # title (and part) lines
    info = text.find(INFO_END)
    head_end = info if info >= 0 else 0
    tm = re.search(r"(?m)^#[ \t]+(\S.*?)[ \t　]*$", text[: head_end or min(len(text), 2000)])
    if tm:
        t_start, t_end = tm.start(1), tm.end(1)
    else:
        warnings.append(f"{p.name}: no '# title' line; the title is taken from the file name")
        t_start = t_end = 0
    title = text[t_start:t_end] if tm else file_title
    part = None
    if tm:
        nxt = re.match(r"\s*#[ \t]+(\S.*?)[ \t　]*$", text[tm.end():tm.end() + 200].lstrip("\n").split("\n", 1)[0])
        if nxt and not _ENTRY_START.match(nxt.group(1)):
            part = nxt.group(1)
    if info < 0:
        warnings.append(f"{p.name}: no '{INFO_END}' line; the header is taken to be empty")
    body_start = info + len(INFO_END) if info >= 0 else (text.find("\n", t_end) + 1 if tm else 0)
    source_id = "law-" + short_hash(f"{category}/{title.strip()}/{part or ''}/"
                                    f"{version_date.isoformat() if version_date else ''}")

    # header entries
    entries = _header_entries(text, t_end, head_end) if info >= 0 else []
    promulgated = adopted = effective = None
    orders: list[str] = []
    amendments: list[Amendment] = []
    first_dated: Optional[date] = None
    for k, e in enumerate(entries):
        dm = _DATE.search(e.text)
        d = _date(dm) if dm else None
        first_dated = first_dated or d
        rest = e.text[dm.end():] if dm else e.text
        for om in _ORDER.finditer(rest):
            orders.append(_nfkc(om.group(0)))
        # a later entry that amends: 修正/修订/修改 in it, or a second 通过 on another day (司法解释 2020 revisions)
        is_amend = k > 0 and bool(re.search(r"修正|修订|修改", rest) or (
            "通过" in rest and adopted is not None and d is not None and d != adopted
            and not re.search(r"公布|发布|施行", rest)))
        if is_amend:
            dec = re.search(r"《", e.text)
            decision = None
            if dec:
                j = _balanced(e.text, dec.start(), 300)
                decision = _nfkc(e.text[dec.start() + 1:j]) if j else None
            kind = "修订" if "修订" in rest else "修正"
            amendments.append(Amendment(d, kind, decision,
                                        Span(source_id, e.start, e.end, text[e.start:e.end])))
        elif re.search(r"公布|发布", rest) and promulgated is None:
            promulgated = d
        if "通过" in rest and adopted is None and not is_amend:
            adopted = d
        if "施行" in rest:
            if re.search(r"(?:公布|发布)之日", e.text):
                effective = promulgated or first_dated
            elif d:
                effective = d
    if promulgated is None:
        promulgated = adopted or first_dated
    if effective is None:
        found = list(_BODY_EFFECTIVE.finditer(text, body_start))
        if found:
            m = found[-1]
            dm = _DATE.search(m.group(1))
            effective = _date(dm) if dm else promulgated

    span = Span(source_id, t_start, t_end, text[t_start:t_end])

    articles = len(_ARTICLE.findall(text, body_start))
    citations = _citations(text, source_id, title, t_start, t_end, t_end, body_start)
    return LawRecord(
        id=f"{source_id}-d1", source_id=source_id, path=str(p), title=title.strip(), category=category,
        span=span, part=part, version_date=version_date, promulgated=promulgated, effective=effective,
        adopted=adopted, order_number=orders[0] if orders else None, order_numbers=tuple(orders),
        amendments=tuple(amendments), articles=articles, citations=tuple(citations), encoding=src.encoding,
        warnings=tuple(warnings), text=text)


# ----------------------------------------------------------------------------
# citations

@dataclass
class _Found:
    a: int  # position of the opening bracket
    b: int  # position after the closing bracket
    title: str
    nested: bool


def _scan_titles(text: str, lo: int, hi: int) -> list[_Found]:
    """Top-level 《…》 in [lo, hi) and the titles nested in them (〈…〉, <…>, inner 《…》)."""
    out: list[_Found] = []
    i = text.find("《", lo, hi)
    while 0 <= i < hi:
        j = _balanced(text, i)
        if j is None:
            i = text.find("《", i + 1, hi)
            continue
        out.append(_Found(i, j + 1, _nfkc(text[i + 1:j]), False))
        k = i + 1
        while k < j:
            c = text[k]
            if c in _OPEN:
                kk = _balanced(text, k, j - k)
                if kk is not None and kk < j and kk > k + 1:
                    out.append(_Found(k, kk + 1, _nfkc(text[k + 1:kk]), True))
                    k = kk + 1
                    continue
            k += 1
        i = text.find("《", j + 1, hi)
    return out


class _Bounds:
    def __init__(self, text: str, chars: str):
        self.pos = [m.start() for m in re.finditer("[" + re.escape(chars) + "]", text)]
        self.n = len(text)

    def start_of(self, p: int) -> int:
        k = bisect.bisect_left(self.pos, p) - 1
        return self.pos[k] + 1 if k >= 0 else 0

    def end_of(self, p: int) -> int:
        k = bisect.bisect_left(self.pos, p)
        return self.pos[k] if k < len(self.pos) else self.n


def _enacting_zone(text: str, body_start: int) -> tuple[int, int]:
    """The preamble and 第一条 (the enacting clause: 为了…，根据《…》，制定本法)."""
    m = _FIRST_ARTICLE.search(text, body_start)
    if m and m.start() - body_start < 6000:
        end = text.find("\n", m.start())
        return body_start, (end if end >= 0 else len(text))
    # no 第一条 (修正案, 决定, 批复): the first paragraph with words
    for pm in re.finditer(r"(?m)^(?!#)[^\n]*\S[^\n]*$", text[body_start:body_start + 6000]):
        return body_start, body_start + pm.end()
    return body_start, body_start


def _citations(text: str, source_id: str, title: str, t_start: int, t_end: int, head_from: int,
               body_start: int) -> list[LawCitation]:
    own = {match_key(title), _short_key(match_key(title))}
    out: list[LawCitation] = []

    def span(a: int, b: int) -> Span:
        return Span(source_id, a, b, text[a:b])

    # the law's own title names the law it amends: 刑法修正案（十一）, 关于修改〈X〉的决定
    m = _OWN_AMENDS.match(title) or _OWN_DECISION.search(title)
    if m and title:
        base = m.group(1)
        if match_key(base) not in own:
            out.append(LawCitation(_nfkc(base), "amends", span(t_start + m.start(1), t_start + m.end(1))))

    found = _scan_titles(text, head_from, len(text))
    if not found and "宪法" not in text[body_start:body_start + 6000]:
        return out
    masked = _blank_parens(text) if found else text
    sents = _Bounds(text, _SENT_END)
    z0, z1 = _enacting_zone(text, body_start)

    # aliases: 《…》（以下简称《解释》）
    aliases: dict[str, str] = {}
    alias_defs: set[int] = set()
    for f in found:
        if f.nested:
            continue
        am = _ALIAS.match(text, f.b)
        if am:
            short = _nfkc(am.group(1))
            aliases[short] = f.title
            inner = text.find(am.group(1), f.b, am.end())
            alias_defs.add(inner - 1)  # the 《 of the alias, when it has one

    top = [f for f in found if not f.nested and f.a not in alias_defs]
    # runs: 《A》、《B》和《C》 share the words before the first and after the last
    runs: list[list[_Found]] = []
    for f in top:
        if runs and _LIST_GAP.match(masked[runs[-1][-1].b:f.a]) and sents.start_of(f.a) <= runs[-1][-1].b:
            runs[-1].append(f)
        else:
            runs.append([f])
    for run in runs:
        first, last = run[0], run[-1]
        s0 = sents.start_of(first.a)
        before = masked[s0:first.a]
        after = masked[last.b:min(sents.end_of(last.b), last.b + 80)]
        rel = _relation(before, after, z0 <= first.a < z1)
        for f in run:
            written = f.title
            full = aliases.get(written, written)
            if match_key(full) in own or _short_key(match_key(full)) in own or not full:
                continue
            out.append(LawCitation(full, rel, span(f.a, f.b), False, written if full != written else None))
    for f in found:
        if f.nested and f.title and match_key(f.title) not in own and _short_key(match_key(f.title)) not in own:
            out.append(LawCitation(f.title, "refers_to", span(f.a, f.b), True))

    # 根据宪法 in the enacting clause, without book-title marks
    for cm in re.finditer(r"(?:根据|依据|依照)((?:中华人民共和国)?宪法)(?![》〉>])", text[z0:z1]):
        a = z0 + cm.start(1)
        if text[a - 1:a] in "《〈<" or "宪法" in own or PRC + "宪法" in own:
            continue
        out.append(LawCitation(_nfkc(cm.group(1)), "based_on", span(a, z0 + cm.end(1))))
    out.sort(key=lambda c: (c.span.start, c.span.end))
    return out


def _relation(before: str, after: str, enacting: bool) -> str:
    if _REPEAL_AFTER.match(after):
        return "repeals"
    if _INVALID_AFTER.match(after):
        return "invalidates"
    b = before.rstrip()
    if _AMEND_BEFORE.search(b) or (re.search(r"对[\s□]*$", b) and _AMEND_AFTER.match(after)):
        return "amends"
    if _REPEAL_BEFORE.search(b):
        return "repeals"
    if enacting:
        last = None
        for m in _BASIS_CUE.finditer(b):
            last = m
        if last is not None and not re.search(r"[，,。；;]", b[last.end():]):
            return "based_on" if last.group(1) else "implements"
    return "refers_to"


# ----------------------------------------------------------------------------
# many files

def law_files(root: str | Path) -> list[Path]:
    r = Path(root)
    if not r.exists():
        raise InputError(f"{r}: no such folder; give the laws corpus folder (e.g. ../shared/corpus/laws)")
    if r.is_file():
        return [r]
    files = sorted(p for p in r.rglob("*.md") if p.is_file())
    if not files:
        raise InputError(f"{r}: no .md law files inside")
    return files


def iter_laws(root: str | Path, *, progress: bool = False, limit: Optional[int] = None,
              errors: Optional[list[tuple[str, str]]] = None,
              on_file: Optional[Callable[[int, int, Path], None]] = None) -> Iterator[LawRecord]:
    """Parse every ``*.md`` under ``root`` (sorted, so ``limit`` takes a deterministic prefix).

    ``progress=True`` shows a Rich progress bar on stderr. An unreadable file raises
    :class:`InputError` naming it, unless ``errors`` is a list: then ``(path, message)``
    is appended and the file skipped. Two files that would get the same id raise too.
    """
    files = law_files(root)
    if limit is not None:
        files = files[: max(0, limit)]
    base = Path(root) if Path(root).is_dir() else None
    seen: dict[str, str] = {}
    bar = task = None
    if progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(TextColumn("parsing laws"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("laws", total=len(files))
    try:
        for i, f in enumerate(files):
            if on_file:
                on_file(i, len(files), f)
            try:
                rec = parse_law(f, base)
            except InputError as exc:
                if errors is None:
                    raise
                errors.append((str(f), str(exc)))
                continue
            finally:
                if bar is not None:
                    bar.advance(task)
            if rec.source_id in seen:
                raise InputError(f"{f} and {seen[rec.source_id]} are the same law (category, title, part and "
                                 f"version date); rename one or put the date in its file name")
            seen[rec.source_id] = str(f)
            yield rec
    finally:
        if bar is not None:
            bar.stop()


# ----------------------------------------------------------------------------
# graph rows

def _iso(d: Optional[date]) -> Optional[str]:
    return d.isoformat() if d else None


def _span_props(s: Span) -> dict[str, Any]:
    return {"source": s.source_id, "start": s.start, "end": s.end, "quote": s.quote}


def law_props(r: LawRecord) -> dict[str, Any]:
    mt = match_key(r.title)
    return {"title": r.title, "category": r.category, "part": r.part, "versionDate": _iso(r.version_date),
            "promulgated": _iso(r.promulgated), "effective": _iso(r.effective), "orderNumber": r.order_number,
            "articles": r.articles, "matchTitle": mt, "matchShort": _short_key(mt), **_span_props(r.span)}


def cited_props(key: str) -> dict[str, Any]:
    """What :func:`loaders.graph_rows._cited_props` gives a 《title》 key (no 文号)."""
    title = key.strip("《》") if key.startswith("《") else None
    return {"key": key, "docNumber": None if title else key, "title": title, "matchKey": match_key(key),
            "matchTitle": match_key(title) if title else None}


def resolve_key(title: str) -> str:
    """:func:`match_key` without nested-title marks: 《关于适用〈X〉的解释》 and 《关于适用《X》的解释》 meet."""
    return re.sub(r"[〈〉<>]", "", match_key(title))


class LawIndex:
    """Finds the law a title means: by match key, with or without 中华人民共和国, the right version."""

    def __init__(self, laws: Iterable[LawRecord]):
        self.by_title: dict[str, list[LawRecord]] = {}
        self.by_short: dict[str, list[LawRecord]] = {}
        for r in laws:
            k = resolve_key(r.title)
            self.by_title.setdefault(k, []).append(r)
            self.by_short.setdefault(_short_key(k), []).append(r)

    def candidates(self, title: str) -> list[LawRecord]:
        k = resolve_key(title)
        if not k:
            return []
        return self.by_title.get(k) or self.by_title.get(PRC + k) or self.by_short.get(_short_key(k)) or []

    def resolve(self, title: str, at: Optional[date] = None) -> Optional[LawRecord]:
        """The version in force at ``at``: the latest dated on or before it (the earliest when all are
        later); without ``at``, the latest. Ties prefer the whole code (民法典 总则) over its parts."""
        cands = self.candidates(title)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]

        def whole(r: LawRecord) -> int:  # 民法典 is split in parts: a citation of the code means its 总则
            return 0 if r.part is None or r.part.startswith("总则") else 1

        def order(r: LawRecord) -> tuple:
            return (r.as_of or date.min, -whole(r), r.id)

        ranked = sorted(cands, key=order)
        if at is not None:
            before = [r for r in ranked if r.as_of is not None and r.as_of <= at]
            if before:
                best = before[-1].as_of
                same = [r for r in before if r.as_of == best]
                return min(same, key=lambda r: (whole(r), r.id))
            dated = [r for r in ranked if r.as_of is not None]
            if dated:  # the citing law predates every version here: the earliest is the closest
                first = dated[0].as_of
                return min((r for r in dated if r.as_of == first), key=lambda r: (whole(r), r.id))
        best = ranked[-1].as_of
        same = [r for r in ranked if r.as_of == best]
        return min(same, key=lambda r: (whole(r), r.id))


def rows_for_laws(records: Sequence[LawRecord], index: Optional[LawIndex] = None) -> GraphRows:
    """Law nodes and CITES edges (to a Law of ``records``, else to a shared CitedDocument).

    One edge per (citing law, cited node): the strongest relation wins and keeps its span,
    so the RDF reification (one pkg:Citation per pair) and Neo4j hold the same edges.
    """
    index = index or LawIndex(records)
    g = GraphRows()
    shared: set[str] = set()
    for r in records:
        g.nodes.append(Node(r.id, "Law", law_props(r), r.source_id))
    for r in records:
        best: dict[str, LawCitation] = {}
        for c in r.citations:
            target = index.resolve(c.title, r.as_of)
            if target is not None and target.id == r.id:
                continue  # 《本条例》-like self references
            if target is not None and match_key(target.title) == match_key(r.title) and target.part == r.part:
                continue  # another version of this very law
            dst = target.id if target is not None else cited_id(c.key)
            if target is None and dst not in shared:
                shared.add(dst)
                g.nodes.append(Node(dst, "CitedDocument", cited_props(c.key)))
            old = best.get(dst)
            if old is None or _STRENGTH[c.relation] > _STRENGTH[old.relation]:
                best[dst] = c
        for dst, c in best.items():
            g.edges.append(Edge(r.id, "CITES", dst, {"relation": c.relation, **_span_props(c.span)}, r.source_id))
    return g


def extract_law(r: LawRecord) -> Extraction:
    """What the one extractor (:mod:`loaders.pipeline`, as ``policykg build``) reads in a law's text:
    its provisions with their duty-bearers, bounds, deadlines and citations. The extracted document is
    ``<source>-text-d1`` beside the ``Law`` node ``<source>-d1``; both belong to the law's source."""
    import hashlib

    src = Source(id=r.source_id, path=r.path, text=r.text, encoding=r.encoding,
                 sha256=hashlib.sha256(r.text.encode("utf-8")).hexdigest())
    return extract_source(src, doc_prefix=f"{r.source_id}-text")


def extract_laws(records: Sequence[LawRecord], workers: Optional[int] = None) -> list[Extraction]:
    """:func:`extract_law` of every record, in record order; by ``workers`` processes (default: one per
    core) when there are enough laws to pay for the pool (the laws corpus: 27 MB of text)."""
    from loaders.pipeline import default_workers

    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or len(records) < 32:
        return [extract_law(r) for r in records]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(extract_law, records, chunksize=max(1, min(32, len(records) // (4 * workers)))))


def link_cited_to_laws(rows: GraphRows, laws: Iterable[LawRecord] | LawIndex) -> list[Edge]:
    """SAME_AS edges from the CitedDocument nodes of ``rows`` that name a law of ``laws``.

    A CitedDocument is shared by every document citing it, so it is linked to the current
    (latest) version. Each edge belongs to the law's source: re-loading the law replaces it.
    """
    index = laws if isinstance(laws, LawIndex) else LawIndex(laws)
    out: list[Edge] = []
    seen: set[str] = set()
    for n in rows.nodes:
        if n.label != "CitedDocument" or n.id in seen:
            continue
        seen.add(n.id)
        title = n.props.get("title") or (n.props.get("key") or "").strip("《》")
        if not title or n.props.get("docNumber") and not n.props.get("title"):
            continue
        target = index.resolve(title)
        if target is not None:
            out.append(Edge(n.id, "SAME_AS", target.id, {}, target.source_id))
    return out


# ----------------------------------------------------------------------------
# loading (graph_api.PolicyGraph.load_laws)

def cited_nodes_in(backend: Any) -> list[Node]:
    """The 《title》 CitedDocument nodes a backend already holds (cited by policy documents or laws)."""
    out = []
    for r in backend.run("cited_titles", {}):
        key = r.get("key") or ""
        if key.startswith("《") and r.get("id"):
            out.append(Node(r["id"], "CitedDocument", cited_props(key)))
    return out


def links_to_held_laws(backend: Any, rows: GraphRows) -> Optional[tuple[GraphRows, dict[str, Node]]]:
    """For documents loaded AFTER the laws: the SAME_AS edges from their CitedDocuments to the laws
    ``backend`` holds, as the law load would have drawn them (each in its law's source), with stubs of
    the laws; None when there is nothing to link. Load with ``backend.load_linked(rows, set(), stubs)``."""
    cited = [n for n in rows.nodes if n.label == "CitedDocument"]
    if not cited:
        return None
    held = {r.id: r for r in laws_in(backend)}
    if not held:
        return None
    links = link_cited_to_laws(GraphRows(nodes=cited), LawIndex(held.values()))
    if not links:
        return None
    linked = {e.src for e in links}
    stubs = {e.dst: Node(e.dst, "Law", {}, held[e.dst].source_id) for e in links if e.dst in held}
    return GraphRows(nodes=[n for n in cited if n.id in linked], edges=links), stubs


@dataclass
class LawsLoadReport:
    files: int = 0
    citations: int = 0
    nodes: int = 0
    edges: int = 0
    law_to_law_edges: int = 0
    tasks: int = 0  # provisions (and other tasks) the extractor found in the laws' texts
    same_as: dict[str, int] = field(default_factory=dict)  # backend → SAME_AS edges drawn to loaded laws
    backends: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


def laws_in(backend: Any) -> list[LawRecord]:
    """The laws a backend already holds, as records good enough to resolve citations to them
    (id, title, part, dates; no text, no citations)."""
    rows = backend.run("laws_held", {})

    def day(v: Any) -> Optional[date]:
        try:
            return date.fromisoformat(str(v)[:10]) if v else None
        except ValueError:
            return None

    out: dict[str, LawRecord] = {}
    for r in rows:
        lid, title = r.get("id"), r.get("title")
        if not lid or not title or lid in out:
            continue
        src = lid[:-3] if lid.endswith("-d1") else lid
        out[lid] = LawRecord(id=lid, source_id=src, path="", title=str(title), category="",
                             span=Span(src, 0, 0, ""), part=r.get("part") or None,
                             version_date=day(r.get("version_date")), promulgated=day(r.get("promulgated")))
    return list(out.values())


def load_records(records: Sequence[LawRecord], backends: Sequence[tuple[str, Any]],
                 report: Optional[LawsLoadReport] = None) -> LawsLoadReport:
    """Load ``records`` into each ``(name, backend)``; each law file's subgraph is replaced, nothing else.

    Citations resolve to the loaded laws and to the laws the backend already holds (so re-loading
    one file keeps its links); CitedDocuments the backend holds that name a loaded law get a
    SAME_AS edge to it.
    """
    report = report or LawsLoadReport()
    ids = {r.id for r in records}
    sources = {r.source_id for r in records}
    report.files, report.citations = len(records), sum(len(r.citations) for r in records)
    loaded_index = LawIndex(records)
    t0 = time.perf_counter()
    extractions = extract_laws(records)  # the same extractor as `policykg build`, one process per core
    extracted = merge_rows([rows_for(ex) for ex in extractions])
    report.tasks = sum(len(ex.tasks) for ex in extractions)
    report.seconds["extract"] = time.perf_counter() - t0
    for k, (name, backend) in enumerate(backends):
        t1 = time.perf_counter()
        held = {r.id: r for r in laws_in(backend) if r.id not in ids}
        law_rows = rows_for_laws(records, LawIndex([*records, *held.values()]))
        rows = merge_rows([law_rows, extracted])
        mine = {n.id for n in law_rows.nodes}
        held_cited = cited_nodes_in(backend)
        cited = [n for n in held_cited if n.id not in mine]
        own_cited = [n for n in extracted.nodes if n.label == "CitedDocument" and n.id not in mine]
        links = link_cited_to_laws(GraphRows(nodes=cited + own_cited), loaded_index)
        linked = {e.src for e in links}
        targets = {e.dst for e in rows.edges}
        if k == 0:
            report.nodes, report.edges = len(law_rows.nodes), len(law_rows.edges)
            report.law_to_law_edges = sum(1 for e in law_rows.edges if e.dst in ids or e.dst in held)
        report.seconds[f"rows:{name}"] = time.perf_counter() - t1
        nodes = rows.nodes + [n for n in cited if n.id in linked and n.id not in {m.id for m in own_cited}]
        existing = {i: Node(i, "Law", {}, held[i].source_id) for i in sorted(targets & set(held))}
        backend.load_linked(GraphRows(nodes=nodes, edges=rows.edges + links), sources, existing)
        held_ids = {n.id for n in held_cited}
        report.same_as[name] = sum(1 for e in links if e.src in held_ids)  # from documents loaded before
        report.seconds[f"load:{name}"] = time.perf_counter() - t1 - report.seconds[f"rows:{name}"]
        report.backends.append(name)
    return report


# ----------------------------------------------------------------------------
# measuring

def measure(root: str | Path, limit: Optional[int] = None) -> dict[str, Any]:
    """Parse time, record and row counts over a corpus folder (``python -m loaders.laws ROOT``)."""
    t0 = time.perf_counter()
    records = list(iter_laws(root, limit=limit))
    t1 = time.perf_counter()
    rows = rows_for_laws(records)
    t2 = time.perf_counter()
    law_ids = {r.id for r in records}
    law_edges = sum(1 for e in rows.edges if e.dst in law_ids)
    rels: dict[str, int] = {}
    for e in rows.edges:
        rels[e.props["relation"]] = rels.get(e.props["relation"], 0) + 1
    return {"files": len(records), "parse_seconds": round(t1 - t0, 2), "rows_seconds": round(t2 - t1, 2),
            "citations": sum(len(r.citations) for r in records), "articles": sum(r.articles for r in records),
            "nodes": len(rows.nodes), "edges": len(rows.edges), "law_to_law_edges": law_edges,
            "relations": rels}


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None),
                     ensure_ascii=False, indent=1))
