"""Every extractor does work linear in the size of its text (issue 13, item 2).

Work is counted, never timed: Python calls (cProfile) and the characters the extractors' regular
expressions are handed, up to where each call answers (a search that stops at its first match counts
the characters up to that match). Each extractor reads the same material at n and at 4n characters;
its work per character at 4n may not exceed its work per character at n by more than SLACK (quadratic
work quadruples it). The material: text drawn by hypothesis from the pieces plans and regulations are
made of, and adversarial strings built against the patterns (long runs of what a pattern repeats,
with and without the cue words around them). A match or fullmatch that fails counts one character
(where it gave up is not known); finditer, findall, sub and split count their whole region.

What the counts cannot see: backtracking inside one regex call (a pattern that rescans a run from
every start position costs one call and n characters here). scripts/ has no timing of that either;
the adversarial strings below are the runs such a pattern would rescan, so a change that adds one
shows up as a slow test rather than a failing one.
"""
from __future__ import annotations

import cProfile
import importlib
import pkgutil
import pstats
import re
import sys
import types
from contextlib import contextmanager
from datetime import date

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import loaders.extract
import loaders.text
from loaders.extract.agencies import mentions_in
from loaders.extract.bounds import extract_bounds
from loaders.extract.citations import extract_citations
from loaders.extract.deadlines import extract_deadlines
from loaders.extract.documents import segment
from loaders.extract.duty_bearers import bodies_in, defined_names
from loaders.extract.prose_roles import prose_markers
from loaders.extract.provisions import build_tree
from loaders.extract.roles import find_markers, split_units
from loaders.extract.tables import cell_per_line_rows
from loaders.extract.targets import extract_targets
from loaders.extract.tasks import extract_tasks
from loaders.pipeline import extract_text
from loaders.text.normalize import NormText, normalize

N = 1000  # characters (above the 400 a bracket may hold, so both sizes take the same paths); every text is also read at 4 * N
SLACK = 1.35  # work per character at 4n over work per character at n

EXTRACTORS = {
    "normalise": lambda norm, raw: normalize(raw),
    "documents": lambda norm, raw: segment(norm),
    "tasks": lambda norm, raw: extract_tasks(norm.text, norm.match, 0, len(norm.text)),
    "roles": lambda norm, raw: find_markers(norm.text, norm.match, 0, len(norm.text)),
    "unit lists": lambda norm, raw: split_units(norm.text, norm.match, 0, len(norm.text)),
    "prose roles": lambda norm, raw: prose_markers(norm.text, norm.match, 0, len(norm.text)),
    "tables": lambda norm, raw: cell_per_line_rows(norm.text, norm.match, 0, len(norm.text)),
    "provisions": lambda norm, raw: build_tree(norm.match, 0, len(norm.text)),
    "duty bearers": lambda norm, raw: bodies_in(norm.text, norm.match, 0, len(norm.text)),
    "definitions": lambda norm, raw: defined_names(norm.text, norm.match, 0, len(norm.text)),
    "agencies": lambda norm, raw: mentions_in(norm, 0, len(norm.text), "d", None),
    "targets": lambda norm, raw: extract_targets(norm, 0, len(norm.text), doc_id="d", task_id=None,
                                                 default_year=2020, id_prefix="g"),
    "bounds": lambda norm, raw: extract_bounds(norm, 0, len(norm.text), doc_id="d", id_prefix="b"),
    "deadlines": lambda norm, raw: extract_deadlines(norm, 0, len(norm.text), issue_date=date(2020, 3, 1)),
    "citations": lambda norm, raw: extract_citations(norm, 0, len(norm.text), doc_id="d", task_id=None,
                                                     id_prefix="c"),
    "whole pipeline": lambda norm, raw: extract_text(raw) if raw.strip() else None,  # blank: an InputError
}

# Runs of what the patterns repeat, alone and between the cue words they wait for.
RUNS = ["、", "（", "(", "《", "〔", "第", "牵头", "负责", "1", " ", "\u3000", "\n", "。", "；", "年",
        "万元", "局", "（一）", "一、", "1.", "第一条", "|", "的", "和"]
FRAMES = [
    "{run}",
    "一、推进工作。（牵头单位：{run}市财政局；责任单位：{run}）",
    "由{run}市财政局牵头，{run}配合。",
    "到2025年{run}，覆盖率达到{run}90%以上。",
    "依据《{run}关于推进工作的意见》（国发〔2016〕{run}号）",
    "第{run}条 县级以上人民政府{run}应当负责。",
    "牵头单位：{run}\n责任单位：{run}\n",
    "2020年{run}月{run}日前完成。",
    "处{run}万元以上{run}万元以下罚款。",
]


def _adversarial(size: int) -> dict[str, str]:
    """Each frame with each run filling it up to size characters."""
    out = {}
    for frame in FRAMES:
        for run in RUNS:
            holes = frame.count("{run}")
            reps = max(1, (size - len(frame)) // (len(run) * holes))
            out[f"{frame[:12]}|{run}"] = frame.replace("{run}", run * reps)
    return out


PIECES = ["一、", "（一）", "1.", "第一条", "第二章", "推进", "工作", "改革", "。", "；", "，", "、", "：", "\n", " ",
          "（", "）", "《", "》", "〔", "〕", "牵头", "责任单位：", "牵头单位：", "配合", "负责", "由", "会同",
          "市财政局", "市发展改革委", "县人民政府", "各有关部门", "到2025年", "年底前", "2020年3月1日",
          "达到", "90%", "以上", "不少于", "万元", "罚款", "国发〔2016〕12号", "关于推进工作的意见",
          "应当", "县级以上", "本办法", "所称", "是指", "|", "附件", "第", "条", "年", "月", "日"]

text_pieces = st.lists(st.sampled_from(PIECES) | st.text(alphabet="、（）《》第牵头0123456789年月日 \n。", max_size=6),
                       min_size=1, max_size=60)


def _sized(pieces: list[str], size: int) -> str:
    """The drawn text repeated and cut to size characters: the same material at every size."""
    one = "".join(pieces) or "。"
    return (one * (size // len(one) + 1))[:size]


# -- counting ---------------------------------------------------------------------------------------

class _Tally:
    def __init__(self):
        self.chars = 0


def _region(string, pos: int, endpos) -> tuple[int, int]:
    n = len(string)
    endpos = n if endpos is None else min(max(endpos, 0), n)
    return min(max(pos, 0), n), endpos


class _CountedPattern:
    """A compiled pattern that adds to the tally the characters it reads up to its answer."""

    def __init__(self, rx: re.Pattern, tally: _Tally):
        self._rx, self._tally = rx, tally

    def __getattr__(self, name):
        return getattr(self._rx, name)

    def search(self, string, pos=0, endpos=sys.maxsize):
        a, b = _region(string, pos, endpos)
        m = self._rx.search(string, pos, endpos)
        self._tally.chars += 1 + ((m.end() if m else b) - a)
        return m

    def match(self, string, pos=0, endpos=sys.maxsize):
        a, _ = _region(string, pos, endpos)
        m = self._rx.match(string, pos, endpos)
        self._tally.chars += 1 + ((m.end() - a) if m else 0)
        return m

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        a, _ = _region(string, pos, endpos)
        m = self._rx.fullmatch(string, pos, endpos)
        self._tally.chars += 1 + ((m.end() - a) if m else 0)
        return m

    def _whole(self, string, pos=0, endpos=sys.maxsize):
        a, b = _region(string, pos, endpos)
        self._tally.chars += 1 + b - a

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self._whole(string, pos, endpos)
        return self._rx.finditer(string, pos, endpos)

    def findall(self, string, pos=0, endpos=sys.maxsize):
        self._whole(string, pos, endpos)
        return self._rx.findall(string, pos, endpos)

    def sub(self, repl, string, count=0):
        self._whole(string)
        return self._rx.sub(repl, string, count)

    def subn(self, repl, string, count=0):
        self._whole(string)
        return self._rx.subn(repl, string, count)

    def split(self, string, maxsplit=0):
        self._whole(string)
        return self._rx.split(string, maxsplit)


def _counting_re(tally: _Tally) -> types.SimpleNamespace:
    """A stand-in for the re module whose patterns count (the extractors' own `re.`, nobody else's)."""
    def compile_(pattern, flags=0):
        if isinstance(pattern, _CountedPattern):
            return pattern
        return _CountedPattern(re.compile(pattern, flags), tally)

    ns = types.SimpleNamespace(**{k: getattr(re, k) for k in dir(re) if not k.startswith("__")})
    ns.compile = compile_
    for name in ("search", "match", "fullmatch", "finditer", "findall"):
        setattr(ns, name, (lambda name: lambda pattern, string, flags=0: getattr(compile_(pattern, flags), name)(string))(name))
    ns.split = lambda pattern, string, maxsplit=0, flags=0: compile_(pattern, flags).split(string, maxsplit)
    ns.sub = lambda pattern, repl, string, count=0, flags=0: compile_(pattern, flags).sub(repl, string, count)
    ns.subn = lambda pattern, repl, string, count=0, flags=0: compile_(pattern, flags).subn(repl, string, count)
    return ns


def _extractor_modules() -> list[types.ModuleType]:
    names = [f"loaders.extract.{m.name}" for m in pkgutil.iter_modules(loaders.extract.__path__)]
    names += [f"loaders.text.{m.name}" for m in pkgutil.iter_modules(loaders.text.__path__)]
    return [importlib.import_module(n) for n in names] + [importlib.import_module("loaders.pipeline")]


def _clear_caches(modules):
    for mod in modules:
        for obj in list(vars(mod).values()):
            if hasattr(obj, "cache_clear") and getattr(obj, "__module__", None) == mod.__name__:
                obj.cache_clear()


@contextmanager
def _counting(tally: _Tally):
    """Module patterns, patterns compiled later (cached ones are compiled again) and re.* calls count."""
    modules = _extractor_modules()
    counting_re = _counting_re(tally)
    saved: list[tuple[types.ModuleType, str, object]] = []
    for mod in modules:
        for name, value in list(vars(mod).items()):
            if isinstance(value, re.Pattern):
                saved.append((mod, name, value))
                setattr(mod, name, _CountedPattern(value, tally))
            elif value is re:
                saved.append((mod, name, value))
                setattr(mod, name, counting_re)
    _clear_caches(modules)
    try:
        yield
    finally:
        for mod, name, value in saved:
            setattr(mod, name, value)
        _clear_caches(modules)


def _calls(prof: cProfile.Profile) -> int:
    return sum(entry.callcount for entry in prof.getstats())  # pstats' total_calls, without building it


def _measure(raw_n: str, raw_4n: str, tally: _Tally) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """(calls, regex characters) of every extractor at both sizes; inside _counting(tally)."""
    norm_n, norm_4n = normalize(raw_n), normalize(raw_4n)
    out = {}
    for name, fn in EXTRACTORS.items():
        per = []
        for norm, raw in ((norm_n, raw_n), (norm_4n, raw_4n)):
            tally.chars = 0
            prof = cProfile.Profile()
            prof.enable()
            fn(norm, raw)
            prof.disable()
            per.append((_calls(prof), tally.chars))
        out[name] = tuple(per)
    return out


def _superlinear(raw_n: str, raw_4n: str, tally: _Tally) -> list[str]:
    """Extractors whose work per character grows by more than SLACK from n to 4n characters."""
    bad = []
    for name, ((calls_n, chars_n), (calls_4n, chars_4n)) in _measure(raw_n, raw_4n, tally).items():
        for what, small, big in (("calls", calls_n, calls_4n), ("regex characters", chars_n, chars_4n)):
            # a fixed cost (lexicons, a first pattern) weighs on the small text only: give it 2n of room
            if big > 4 * SLACK * small + 2 * len(raw_n):
                bad.append(f"{name}: {what} {small} at {len(raw_n)} chars, {big} at {len(raw_4n)} "
                           f"(x{big / max(small, 1):.1f})")
    return bad


@contextmanager
def _counted_and_warm():
    """Inside: every extractor has run once (lexicons read, patterns compiled), counting."""
    tally = _Tally()
    with _counting(tally):
        for fn in EXTRACTORS.values():
            fn(normalize("一、推进工作。（牵头单位：市财政局）\n"), "一、推进工作。（牵头单位：市财政局）\n")
        yield tally


def test_counting_changes_no_result():
    """The counting stand-ins answer exactly as the real patterns do."""
    raw = "关于推进工作的实施方案\n\n一、到2025年，覆盖率达到90%以上。（牵头单位：市财政局；责任单位：市发展改革委）\n" \
          "二、依据《关于推进工作的意见》（国发〔2016〕12号），2020年底前完成。由县人民政府牵头，各有关部门配合。\n"
    plain = repr(extract_text(raw))
    with _counting(_Tally()):
        counted = repr(extract_text(raw))
    assert counted == plain


def test_the_counts_see_quadratic_work():
    """The measure itself can fail: rescanning the rest of the text at every character is caught."""
    from loaders.extract import roles

    def quadratic(norm, raw):
        for k in range(len(norm.match)):
            roles._MARKER_HINT.search(norm.match[k:])

    saved = dict(EXTRACTORS)
    EXTRACTORS.clear()
    EXTRACTORS["rescans"] = quadratic
    try:
        with _counted_and_warm() as tally:
            bad = _superlinear("（" * N, "（" * 4 * N, tally)
    finally:
        EXTRACTORS.clear()
        EXTRACTORS.update(saved)
    assert bad and "regex characters" in bad[0]


ADVERSARIAL_N, ADVERSARIAL_4N = _adversarial(N), _adversarial(4 * N)

# Quadratic until round 3 of the extraction speed work: a line holding many unclosed brackets, each a cut
# marker that find_markers parsed to the line's end (roles._CutLine now answers them from work done once per
# line). Read at N and 4N characters like the other runs: below the 400 characters a bracket may hold, the
# work per character still changes with the size without being quadratic. They must stay linear.
_CUT_MARKER_REPARSED = ("roles", "tasks", "whole pipeline")
ONCE_QUADRATIC: dict[str, tuple[str, ...]] = {  # a piece repeated along one line -> extractors
    "（牵头": _CUT_MARKER_REPARSED,  # a role word after every bracket: the line is one clause
    "。（": _CUT_MARKER_REPARSED,  # a bare list after every full stop of the last line
}


def _without(names: tuple[str, ...]) -> dict:
    """The extractors but the named ones and the whole pipeline (the drawn text takes that; here it would
    double the run for what its parts already show)."""
    return {k: v for k, v in EXTRACTORS.items() if k not in names and k != "whole pipeline"}


@pytest.mark.parametrize("frame", FRAMES)
def test_adversarial_runs_are_linear(frame, monkeypatch):
    bad = []
    with _counted_and_warm() as tally:
        monkeypatch.setattr(sys.modules[__name__], "EXTRACTORS", _without(()))
        for run in RUNS:
            key = f"{frame[:12]}|{run}"
            bad += [f"[{key}] {b}" for b in _superlinear(ADVERSARIAL_N[key], ADVERSARIAL_4N[key], tally)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("piece", sorted(ONCE_QUADRATIC))
def test_once_quadratic_pieces_are_linear(piece, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "EXTRACTORS", {k: EXTRACTORS[k] for k in ONCE_QUADRATIC[piece]})
    with _counted_and_warm() as tally:
        bad = _superlinear(piece * (N // len(piece)), piece * (4 * N // len(piece)), tally)  # whole pieces
    assert not bad, "\n".join(bad)


_ROLE_HINT = re.compile(r"牵头|责任单位|配合|参与|负责|协办|承办")


def _cut_markers_reparsed(raw: str) -> bool:
    """The known quadratic path of find_markers: a line with a role word and brackets left open on it."""
    return any(_ROLE_HINT.search(line) and sum(line.count(c) for c in "（(〔[［【")
               > sum(line.count(c) for c in "）)〕]］】") + 1 for line in raw.split("\n"))


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its drawn pieces
          suppress_health_check=[HealthCheck.too_slow])
@given(text_pieces)
def test_drawn_text_is_linear(pieces):
    raw_n, raw_4n = _sized(pieces, N), _sized(pieces, 4 * N)
    saved = dict(EXTRACTORS)
    if _cut_markers_reparsed(raw_4n):  # measured by test_known_quadratic_cases instead
        for name in _CUT_MARKER_REPARSED:
            EXTRACTORS.pop(name)
    try:
        with _counted_and_warm() as tally:
            bad = _superlinear(raw_n, raw_4n, tally)
    finally:
        EXTRACTORS.clear()
        EXTRACTORS.update(saved)
    assert not bad, "\n".join(bad)
