"""The declared schema of a reform file (机构改革), as pydantic models.

The minimal file is accepted::

    {"changes": [{"from": ["市国税局", "市地税局"], "to": "国家税务总局绵阳市税务局", "date": "2018-07-20"}]}

``certain`` defaults to true, ``source``, ``kind`` (merge with several ``from``, rename with one),
``note`` and every top-level key but ``changes`` are optional; keys starting with ``_`` are comments.
:func:`validate` turns pydantic's errors into one line per problem naming the entry
(``changes[3] (市国土资源局、市城乡规划局 → 市自然资源和规划局): 'certain' must be true or false, not 'yes'``);
the checks across entries (a unit ceasing twice, a cycle, a unit succeeding itself) stay in
:func:`loaders.reforms.load_reform`. ``ReformFile.model_json_schema()`` is the JSON Schema.
"""
from __future__ import annotations

import re
from datetime import date as Date
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError, field_validator

KINDS = ("merge", "rename", "partial")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ID_RE = r"^[a-z0-9][a-z0-9-]*$"


def parse_date(value: Any) -> tuple[Date, str]:
    """(first day of the stated period, precision day | month | year) of 2018-07-20, 2019-01 or 2019."""
    if isinstance(value, Date):  # YAML reads 2018-07-20 as a date
        return value, "day"
    if isinstance(value, int) and 1000 <= value <= 9999:  # YAML reads 2019 as a number
        value = str(value)
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        raise ValueError(f"'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}")
    y, m, d = _DATE_RE.match(value.strip()).groups()
    try:
        return Date(int(y), int(m or 1), int(d or 1)), ("day" if d else "month" if m else "year")
    except ValueError:
        raise ValueError(f"'date' {value!r} is not a calendar date") from None


class ChangeEntry(BaseModel):
    """One change: ``from`` unit(s) as written → ``to``, on ``date``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: list[StrictStr] = Field(alias="from", min_length=1, description="the unit(s) as written; a string is one")
    to: StrictStr = Field(min_length=1, description="the successor's name")
    date: Union[StrictStr, Date, int] = Field(description="YYYY-MM-DD, or YYYY-MM / YYYY when only that is known")
    kind: Optional[Literal["merge", "rename", "partial"]] = Field(
        None, description="merge (default with several from), rename (default with one), partial (duties move)")
    certain: StrictBool = Field(True, description="false when the mapping applies a pattern not confirmed here")
    source: Optional[StrictStr] = Field(None, description="a key of the top-level sources, or free text")
    note: Optional[StrictStr] = None

    @field_validator("from_", mode="before")
    @classmethod
    def _one_is_a_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("from_")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        if not all(x.strip() for x in v):
            raise ValueError("'from' must be a unit name or a non-empty list of unit names")
        return [x.strip() for x in v]

    @field_validator("to")
    @classmethod
    def _to(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("'to' must be the successor's name")
        return v.strip()

    @field_validator("date")
    @classmethod
    def _date(cls, v: Any) -> Any:
        parse_date(v)  # raises ValueError with the message the user sees
        return v

    @field_validator("source")
    @classmethod
    def _source(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and not v.strip():
            raise ValueError("'source' must name where the mapping comes from (a key of 'sources' or text)")
        return v.strip() if v else v


class UnchangedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr = Field(min_length=1)
    certain: StrictBool = True
    note: Optional[StrictStr] = None


class ReformFile(BaseModel):
    """A reform file: the changes, and optionally its id, name, issuer, sources and the units kept."""

    model_config = ConfigDict(extra="forbid")

    id: Optional[str] = Field(None, pattern=_ID_RE, description="lower-case letters, digits and '-' (default: from the file name)")
    name: Optional[StrictStr] = None
    jurisdiction: Optional[StrictStr] = None
    issuer: Optional[StrictStr] = Field(None, description="default: <jurisdiction>人民政府")
    description: Optional[StrictStr] = None
    sources: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    changes: list[Any] = Field(min_length=1, description="ChangeEntry objects (validated one by one)")
    unchanged: list[Union[StrictStr, UnchangedEntry]] = Field(default_factory=list)


def _without_comments(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _without_comments(v) for k, v in x.items() if not str(k).startswith("_")}
    if isinstance(x, list):
        return [_without_comments(v) for v in x]
    return x


def changes_label(ch: Any) -> str:
    """``市国税局、市地税局 → 国家税务总局绵阳市税务局`` of a raw change entry (``?`` for what is missing)."""
    if not isinstance(ch, dict):
        return "?"
    f = ch.get("from")
    f = "、".join(x for x in f if isinstance(x, str)) if isinstance(f, list) else (f if isinstance(f, str) else "?")
    t = ch.get("to") if isinstance(ch.get("to"), str) else "?"
    return f"{f} → {t}"


def _messages(exc: ValidationError, raw: dict[str, Any]) -> list[str]:
    """pydantic's errors of one entry → the sentences a user reads."""
    unknown = [str(e["loc"][-1]) for e in exc.errors() if e["type"] == "extra_forbidden"]
    missing = [str(e["loc"][0]) for e in exc.errors() if e["type"] == "missing"]
    out = []
    if unknown:
        known = sorted(f.alias or n for n, f in ChangeEntry.model_fields.items())
        out.append(f"unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(known)})")
    if missing:
        out.append(f"missing {', '.join(repr(m.rstrip('_')) for m in missing)}")
    seen: set[str] = set()
    for e in exc.errors():
        if e["type"] in ("extra_forbidden", "missing"):
            continue
        key = str(e["loc"][0]).rstrip("_")
        if key in seen:  # a union reports each branch: one line per key
            continue
        seen.add(key)
        if e["type"] == "value_error":
            out.append(str(e["ctx"]["error"]))
        elif e["type"] == "literal_error":
            out.append(f"'{key}' must be one of {', '.join(KINDS)}, not {raw.get(key)!r}")
        elif e["type"] in ("bool_type", "bool_parsing"):
            out.append(f"'{key}' must be true or false, not {raw.get(key)!r}")
        elif key == "from":
            out.append("'from' must be a unit name or a non-empty list of unit names")
        elif key == "date":
            out.append(f"'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not {raw.get(key)!r}")
        else:
            out.append(f"'{key}' must be text, not {raw.get(key)!r}")
    return out


def validate(data: Any, where: str) -> tuple[Optional[ReformFile], list[Optional[ChangeEntry]], list[str]]:
    """The file's model, its changes (None where an entry is invalid) and the problems, one line each.
    A file whose top level cannot be read at all raises ValueError with the message."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the top level must be an object with a 'changes' list")
    data = _without_comments(data)
    problems: list[str] = []
    try:
        top = ReformFile.model_validate(data)
    except ValidationError as exc:
        top = None
        for e in exc.errors():
            key = str(e["loc"][0])
            if key == "changes":
                raise ValueError(f"{where}: 'changes' must be a non-empty list of "
                                 '{"from": [...], "to": "...", "date": "YYYY-MM-DD"} '
                                 '(optional: "kind", "certain" (default true), "source", "note")') from None
            if e["type"] == "extra_forbidden":
                problems.append(f"unknown top-level key {key!r} (known: {', '.join(sorted(ReformFile.model_fields))}; "
                                "keys starting with _ are comments)")
            elif key == "id":
                problems.append(f"'id' must be lower-case letters, digits and '-', not {data.get('id')!r}")
            elif key == "sources":
                problems.append("'sources' must map short keys to citation text")
            elif key == "unchanged":
                i = e["loc"][1] if len(e["loc"]) > 1 else "?"
                problems.append(f"unchanged[{i}]: must be a unit name or {{\"name\": …, \"certain\": …, \"note\": …}}")
            else:
                problems.append(f"'{key}' must be a string")
        problems = list(dict.fromkeys(problems))
    raw_changes = data.get("changes") or []
    changes: list[Optional[ChangeEntry]] = []
    for i, ch in enumerate(raw_changes):
        if not isinstance(ch, dict):
            problems.append(f"changes[{i}]: must be an object, not {type(ch).__name__}")
            changes.append(None)
            continue
        try:
            changes.append(ChangeEntry.model_validate(ch))
        except ValidationError as exc:
            problems.extend(f"changes[{i}] ({changes_label(ch)}): {m}" for m in _messages(exc, ch))
            changes.append(None)
    return top, changes, problems
