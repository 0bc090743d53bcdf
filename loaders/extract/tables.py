"""Tables that lost their grid when a PDF or web page was turned into text: one cell per line.

    牵头单位              ← header cells, one per line (column names from data/lexicon/roles.json
    目标任务                 table_columns; letter spacing 目 标 任 务 is gone after normalisation)
    责任单位
    市政                  ← a narrow column breaks a cell over several short lines: joined
    府办
    公厅
    强化行政监督,…        ← the next cell
    市直各单位

Cells are read in header order, row after row, until a line that cannot be a cell (a heading, a
signature date, an attachment label). A person column (责任领导) is read and dropped: a person is not
an agency.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.extract.lexicon import lexicon
from loaders.extract.roles import Unit, split_units

_FRAGMENT = re.compile(r"[\u4e00-\u9fff]{1,3}")  # a piece of a cell broken by a narrow column
_NOT_A_CELL = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[章条]|附件|"
                         r"[0-9〇○零一二三四五六七八九]{4}年[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}日$)")


@dataclass
class Row:
    start: int
    end: int
    task: tuple[int, int]
    lead: list[Unit] = field(default_factory=list)
    responsible: list[Unit] = field(default_factory=list)
    number: str | None = None


@lru_cache(maxsize=1)
def _columns() -> dict[str, re.Pattern]:
    cols = dict(lexicon("roles")["table_columns"])
    return {k: re.compile(v) for k, v in cols.items()}


def column_kind(cell: str) -> str | None:
    """The column a header cell names (task, lead, responsible, deadline, number, leader), or None."""
    s = re.sub(r"\s+", "", cell)
    for kind, rx in _columns().items():
        if rx.fullmatch(s):
            return kind
    return None


@lru_cache(maxsize=1)
def _role_header_line() -> re.Pattern:
    cols = lexicon("roles")["table_columns"]
    return re.compile(r"(?m)^[ \t]*(?:" + cols["lead"] + "|" + cols["responsible"] + r")[ \t]*$")


def cell_per_line_rows(text: str, match: str, a: int, b: int) -> list[Row]:
    if _role_header_line().search(match, a, b) is None:
        return []  # no 牵头单位 / 责任单位 header cell on a line of its own
    lines = _lines(match, a, b)
    out: list[Row] = []
    k = 0
    while k < len(lines):
        head: list[str] = []
        j = k
        while j < len(lines) and (kind := column_kind(match[lines[j][0]:lines[j][1]])) is not None:
            head.append(kind)
            j += 1
        if len(head) < 2 or "task" not in head or not ({"lead", "responsible"} & set(head)):
            k = max(j, k + 1)
            continue
        out.extend(_rows(text, match, lines, j, head))
        k = j + 1
    return out


def _lines(match: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    for line in match[a:b].split("\n"):
        s = line.strip()
        if s:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(s)))
        pos += len(line) + 1
    return out


def _rows(text: str, match: str, lines: list[tuple[int, int]], j: int, head: list[str]) -> list[Row]:
    if "number" in head and j < len(lines) and not match[lines[j][0]:lines[j][1]].isdigit():
        head = [h for h in head if h != "number"]  # a row number alone on its line went as a page number
    cells: list[tuple[int, int]] = []
    while j < len(lines):
        la, lb = lines[j]
        s = match[la:lb]
        if _NOT_A_CELL.match(s) or column_kind(s):
            break
        if cells and _FRAGMENT.fullmatch(s) and len(cells) % len(head) != 0 and all(
                _FRAGMENT.fullmatch(p) for p in match[cells[-1][0]:cells[-1][1]].split("\n")):
            cells[-1] = (cells[-1][0], lb)  # 市政 / 府办 / 公厅 → one cell
        else:
            cells.append((la, lb))
        j += 1
    out: list[Row] = []
    for r in range(0, len(cells) - len(head) + 1, len(head)):
        row = dict(zip(head, cells[r:r + len(head)]))
        if "task" not in row:
            continue
        ra, rb = cells[r][0], cells[r + len(head) - 1][1]
        got = Row(start=ra, end=rb, task=row["task"])
        for kind, target in (("lead", got.lead), ("responsible", got.responsible)):
            if kind in row:
                target.extend(_units(text, match, *row[kind]))
        if "number" in row:
            got.number = match[row["number"][0]:row["number"][1]].strip()
        out.append(got)
    return out


def _units(text: str, match: str, a: int, b: int) -> list[Unit]:
    """The units of one cell; a cell broken over lines is one name (市政\\n府办\\n公厅 → 市政府办公厅)."""
    if "\n" in match[a:b] and not re.search(r"[、，,；;]", match[a:b]):
        name = re.sub(r"\s+", "", text[a:b])
        return [Unit(name, a, b)] if 2 <= len(name) <= 40 else []
    return split_units(text, match, a, b)
