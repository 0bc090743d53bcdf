"""The laws corpus parser and its graph rows (loaders/laws.py), on real files of ../shared/corpus/laws.

Inline cases name a real file and what a reader of it sees: dates, 令 numbers, amendments,
citations with their relation, and spans whose quote is exactly the file's text. The
whole corpus (1,512 files) is parsed once per session: it takes about 2 s.
"""
from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from loaders.graph_rows import _cited_props, cited_id, match_key, rows_for  # noqa: E402
from loaders.laws import (LawIndex, LawRecord, iter_laws, link_cited_to_laws, parse_law,  # noqa: E402
                          rows_for_laws)
from policykg.errors import InputError  # noqa: E402
from tests.conftest import SHARED  # noqa: E402

LAWS = SHARED / "corpus" / "laws"


@pytest.fixture(scope="session")
def laws_root() -> Path:
    if not LAWS.is_dir():
        pytest.fail(f"the laws corpus is missing at {LAWS}; set SHARED_DIR to the shared/ folder", pytrace=False)
    return LAWS


@pytest.fixture(scope="session")
def corpus(laws_root) -> dict[str, LawRecord]:
    t0 = time.perf_counter()
    errors: list = []
    records = list(iter_laws(laws_root, errors=errors))
    seconds = time.perf_counter() - t0
    assert not errors, errors[:3]
    assert seconds < 30, f"parsing the corpus took {seconds:.1f} s"
    return {Path(r.path).relative_to(laws_root).as_posix(): r for r in records}


def law(corpus, rel: str) -> LawRecord:
    return corpus[rel]


def cites(r: LawRecord, relation: str | None = None) -> list[tuple[str, str]]:
    return [(c.title, c.relation) for c in r.citations if relation is None or c.relation == relation]


# ----------------------------------------------------------------------------
# one file

def test_header_dates_order_number_and_amendments(corpus):
    r = law(corpus, "行政法规/道路运输条例(2023-07-20).md")
    assert r.title == "中华人民共和国道路运输条例" and r.category == "行政法规"
    assert r.version_date == date(2023, 7, 20)
    assert r.promulgated == date(2004, 4, 30)
    assert r.order_number == "中华人民共和国国务院令第406号"
    assert [(a.date, a.kind) for a in r.amendments] == [
        (date(2012, 11, 9), "修订"), (date(2016, 2, 6), "修订"), (date(2019, 3, 2), "修订"),
        (date(2022, 3, 29), "修订"), (date(2023, 7, 20), "修订")]
    assert r.amendments[0].decision == "国务院关于修改和废止部分行政法规的决定"
    assert r.effective == date(2004, 7, 1)  # 本条例自2004年7月1日起施行 (the header has no 施行 line)
    assert r.articles == 82
    assert r.as_of == date(2023, 7, 20)


def test_law_amended_by_decisions_based_on_the_constitution(corpus):
    r = law(corpus, "诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md")
    assert r.adopted == date(1989, 4, 4) and r.promulgated == date(1989, 4, 4)
    assert [(a.date, a.kind) for a in r.amendments] == [(date(2014, 11, 1), "修正"), (date(2017, 6, 27), "修正")]
    assert r.amendments[1].decision == "关于修改<中华人民共和国民事诉讼法>和<中华人民共和国行政诉讼法>的决定"
    # 第一条 …根据宪法，制定本法。 (no book-title marks)
    assert ("宪法", "based_on") in cites(r)
    # the decision is cited; the law itself inside it is a self-citation and dropped; the other law is refers_to
    assert ("关于修改<中华人民共和国行政诉讼法>的决定", "refers_to") in cites(r)
    assert "中华人民共和国行政诉讼法" not in [t for t, _ in cites(r)]
    nested = [c for c in r.citations if c.nested]
    assert [(c.title, c.relation) for c in nested] == [("中华人民共和国民事诉讼法", "refers_to")]


def test_citing_the_constitution_in_the_first_article(corpus):
    r = law(corpus, "行政法规/行政区划管理条例(2018-10-10).md")
    assert ("中华人民共和国宪法", "based_on") in cites(r)


def test_repeal_clause(corpus):
    r = law(corpus, "宪法相关法/居民身份证法(2011-10-29).md")
    # 第二十三条 本法自2004年1月1日起施行，《中华人民共和国居民身份证条例》同时废止。
    assert cites(r, "repeals") == [("中华人民共和国居民身份证条例", "repeals")]


def test_repeal_of_a_list_with_dates_between(corpus):
    r = law(corpus, "行政法规/企业所得税法实施条例(2019-04-23).md")
    repealed = [t for t, _ in cites(r, "repeals")]
    assert "中华人民共和国外商投资企业和外国企业所得税法实施细则" in repealed
    assert "中华人民共和国企业所得税暂行条例实施细则" in repealed


def test_alias_is_not_a_citation_of_its_own(corpus):
    r = law(corpus, "行政法规/药品管理法实施条例(2019-03-02).md")
    # 第一条 根据《中华人民共和国药品管理法》(以下简称《药品管理法》)，制定本条例。
    assert ("中华人民共和国药品管理法", "based_on") in cites(r)
    assert "药品管理法" not in [t for t, _ in cites(r)]
    aliased = [c for c in r.citations if c.written == "药品管理法"]
    assert aliased and all(c.title == "中华人民共和国药品管理法" for c in aliased)


def test_implements_in_the_first_article(corpus):
    r = law(corpus, "部门规章/人力资源社会保障部/企业职工带薪年休假实施办法(2008-07-17).md")
    assert r.category == "部门规章"
    assert cites(r)[0] == ("职工带薪年休假条例", "implements")  # 第一条 为了实施 《职工带薪年休假条例》


def test_amendments_of_other_texts(corpus):
    r = law(corpus, "刑法/刑法修正案（十一）.md")
    c = [c for c in r.citations if c.relation == "amends"]
    assert [(x.title, x.span.start) for x in c] == [("中华人民共和国刑法", 2)]  # inside the title line
    decision = next(k for k in corpus if k.startswith("司法解释/最高人民法院关于修改《最高人民法院关于破产企业"))
    amended = [t for t, _ in cites(corpus[decision], "amends")]
    assert "最高人民法院关于审理票据纠纷案件若干问题的规定" in amended  # 十、修改《…》
    assert len(amended) >= 25
    union = law(corpus, "社会法/工会法(2021-12-24).md")
    assert ("中国工会章程", "amends") not in cites(union)  # 制定或者修改《中国工会章程》: no amending act


def test_civil_code_parts(corpus):
    parts = {r.part for k, r in corpus.items() if k.startswith("民法典/")}
    assert {"总则", "物权编", "侵权责任编"} <= parts
    assert len({r.source_id for k, r in corpus.items() if k.startswith("民法典/")}) == 8


def test_spans_quote_the_file_text(corpus):
    for r in corpus.values():
        text = r.text
        assert text[r.span.start:r.span.end] == r.span.quote == r.title, r.path
        for s in [c.span for c in r.citations] + [a.span for a in r.amendments]:
            assert s.source_id == r.source_id
            assert text[s.start:s.end] == s.quote, (r.path, s)


def test_whole_corpus_parses_with_unique_ids(corpus):
    assert len(corpus) == 1512
    assert len({r.id for r in corpus.values()}) == 1512
    assert all(r.id == r.source_id + "-d1" and r.id.isascii() for r in corpus.values())
    assert sum(1 for r in corpus.values() if r.promulgated) > 1300
    assert sum(1 for r in corpus.values() if r.order_number) > 500
    assert sum(r.articles for r in corpus.values()) > 60000
    relations = {c.relation for r in corpus.values() for c in r.citations}
    assert {"based_on", "repeals", "amends", "refers_to", "implements"} <= relations


def test_ids_are_deterministic(laws_root):
    f = laws_root / "行政法规" / "道路运输条例(2023-07-20).md"
    a, b = parse_law(f), parse_law(f, laws_root)
    assert a.id == b.id and a.category == b.category == "行政法规"
    assert a == b


# ----------------------------------------------------------------------------
# bad input

def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    d = tmp_path / "laws" / "行政法规"
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    p.write_bytes(data)
    return p


SAMPLE = ("# 某某条例\n\n1990年1月1日 国务院令第1号发布\n\n<!-- INFO END -->\n\n"
          "第一条 根据《中华人民共和国宪法》，制定本条例。\n\n第二条 本条例自发布之日起施行，《某某暂行规定》同时废止。\n")


def test_gbk_file(tmp_path):
    r = parse_law(_write(tmp_path, "某某条例(1990-01-01).md", SAMPLE.encode("gb18030")))
    assert r.encoding == "gb18030" and r.warnings
    assert r.order_number == "国务院令第1号" and r.effective == date(1990, 1, 1) and r.articles == 2
    assert cites(r) == [("中华人民共和国宪法", "based_on"), ("某某暂行规定", "repeals")]


@pytest.mark.parametrize("data,needle", [(b"", "empty"), (bytes(range(256)) * 50, "not readable as text")])
def test_unreadable_files_name_the_file(tmp_path, data, needle):
    p = _write(tmp_path, "坏文件.md", data)
    with pytest.raises(InputError, match=needle) as exc:
        parse_law(p)
    assert "坏文件.md" in str(exc.value)
    errors: list = []
    assert list(iter_laws(tmp_path / "laws", errors=errors)) == []
    assert errors and errors[0][0] == str(p)


@pytest.mark.parametrize("text", [
    "没有标题，也没有头部。根据《中华人民共和国宪法》制定。",             # no "# " line, no INFO END
    "# 只有标题\n",
    "# 不平衡\n\n<!-- INFO END -->\n\n第一条 根据《中华人民共和国宪法，制定本法。\n",  # unbalanced 《
    "# 嵌套\n\n<!-- INFO END -->\n\n第一条 《关于修改〈某法〉<另一法>的决定》《》〈〉\n",
    "# 很长\n\n<!-- INFO END -->\n\n" + "第一条 《" + "长" * 5000 + "》\n",
])
def test_odd_files_do_not_crash(tmp_path, text):
    r = parse_law(_write(tmp_path, "怪.md", text.encode("utf-8")))
    for c in r.citations:
        assert r.text[c.span.start:c.span.end] == c.span.quote


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        list(iter_laws(tmp_path / "nope"))


# ----------------------------------------------------------------------------
# graph rows

def test_rows_law_nodes_and_citations(corpus):
    keys = ["宪法/宪法.md", "诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md", "宪法相关法/居民身份证法(2011-10-29).md"]
    recs = [corpus[k] for k in keys]
    rows = rows_for_laws(recs)
    laws = {n.id: n for n in rows.nodes if n.label == "Law"}
    assert set(laws) == {r.id for r in recs}
    n = laws[corpus[keys[1]].id]
    assert n.source_id == corpus[keys[1]].source_id
    assert n.props["title"] == "中华人民共和国行政诉讼法" and n.props["matchShort"] == "行政诉讼法"
    assert n.props["matchTitle"] == match_key("中华人民共和国行政诉讼法")
    assert n.props["versionDate"] == "2017-06-27" and n.props["category"] == "诉讼与非诉讼程序法"
    assert n.props["quote"] == n.props["title"] and n.props["source"] == n.source_id
    # 根据宪法 → the Constitution in the corpus
    e = [e for e in rows.edges if e.src == n.id and e.dst == corpus[keys[0]].id]
    assert len(e) == 1 and e[0].props["relation"] == "based_on" and e[0].type == "CITES"
    # the repealed regulation is not in the corpus: a shared CitedDocument with graph_rows' props
    key = "《中华人民共和国居民身份证条例》"
    cid = cited_id(key)
    cited = next(x for x in rows.nodes if x.id == cid)
    assert cited.label == "CitedDocument" and cited.source_id is None
    from policykg.model import Extraction, Source
    empty = Extraction(source=Source(id="x", path="x", text="", encoding="utf-8", sha256=""))
    assert cited.props == _cited_props(key, empty)
    assert any(e.dst == cid and e.props["relation"] == "repeals" for e in rows.edges)
    # one edge per (citing, cited): RDF reifies one citation per pair
    pairs = [(e.src, e.dst) for e in rows.edges]
    assert len(pairs) == len(set(pairs))


def test_the_version_in_force_at_the_citing_date(corpus):
    idx = LawIndex(corpus.values())
    old, new = "诉讼与非诉讼程序法/行政复议法(2017-09-01).md", "诉讼与非诉讼程序法/行政复议法(2023-09-01).md"
    assert idx.resolve("中华人民共和国行政复议法", date(2020, 1, 1)) is corpus[old]
    assert idx.resolve("行政复议法", date(2024, 1, 1)) is corpus[new]
    assert idx.resolve("行政复议法", date(2007, 1, 1)) is corpus[old]  # older than both: the closest
    assert idx.resolve("《中华人民共和国行政复议法》") is corpus[new]  # no date: the current one
    assert idx.resolve("民法典").part == "总则"
    assert idx.resolve("宪法") is corpus["宪法/宪法.md"]
    # 〈〉 and 《》 nested titles meet
    assert idx.resolve("最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释") is not None
    rows = rows_for_laws([corpus["行政法规/行政复议法实施条例(2007-05-29).md"], corpus[old], corpus[new]])
    src = corpus["行政法规/行政复议法实施条例(2007-05-29).md"].id
    assert [e.dst for e in rows.edges if e.src == src and e.dst in (corpus[old].id, corpus[new].id)] == \
        [corpus[old].id]


def test_policy_citations_link_to_laws(corpus):
    from loaders.pipeline import extract_text

    ex = extract_text("某市人民政府关于加强预算管理的通知\n某府发〔2019〕3号\n各县区人民政府：\n"
                      "为贯彻落实《中华人民共和国预算法》和《预算法实施条例》，现就有关事项通知如下。\n"
                      "一、严格执行预算。\n", "policy-sample")
    rows = rows_for(ex)
    links = link_cited_to_laws(rows, corpus.values())
    targets = {corpus[k].id for k in corpus if "预算法" in k}
    assert {e.dst for e in links} <= targets and len(links) == 2
    law_id = corpus["经济法/预算法(2018-12-29).md"].id
    e = next(e for e in links if e.dst == law_id)
    assert e.type == "SAME_AS" and e.src == cited_id("《中华人民共和国预算法》")
    assert e.source_id == corpus["经济法/预算法(2018-12-29).md"].source_id


def test_writers_accept_law_rows(corpus):
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from loaders.neo4j_writer import shape_batches
    from loaders.rdf_writer import graph_iri, to_dataset
    from ontology.namespace import PKG

    recs = [corpus["刑法/刑法.md"], corpus["刑法/刑法修正案（十一）.md"], corpus["宪法/宪法.md"]]
    rows = rows_for_laws(recs)
    names = {name for name, _ in shape_batches(rows)}
    assert {"node:Law", "edge:CITES"} <= names
    ds = to_dataset(rows)
    amendment = recs[1]
    g = ds.graph(graph_iri(amendment.id))
    assert str(g.identifier).endswith(f"graph/{amendment.source_id}-d1")  # what a reload of the source drops
    s = next(g.subjects(RDF.type, PKG.Law))
    o = next(g.objects(s, PKG.amends))
    assert (o, RDF.type, PKG.Law) in ds.graph(graph_iri(recs[0].id))
    assert isinstance(o, URIRef)


def test_law_rdf_conforms_to_the_shapes(corpus):
    import rdflib

    from loaders.rdf_writer import to_dataset
    from ontology.reasoning import validate_shapes

    keys = ["刑法/刑法.md", "刑法/刑法修正案（十一）.md", "宪法/宪法.md", "诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md",
            "宪法相关法/居民身份证法(2011-10-29).md", "行政法规/药品管理法实施条例(2019-03-02).md"]
    ds = to_dataset(rows_for_laws([corpus[k] for k in keys]))
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    ok, report = validate_shapes(g)
    assert ok, report


def test_cli_laws_load(laws_root, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from interface.cli import app

    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    res = CliRunner().invoke(app, ["laws", "load", str(laws_root), "--limit", "3", "--json"])
    assert res.exit_code == 0, res.output
    assert '"files": 3' in res.output
    res = CliRunner().invoke(app, ["laws", "load", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "no such folder" in res.output
    assert "Examples:\n    policykg laws load" in CliRunner().invoke(app, ["laws", "load", "--help"]).output


def test_a_loaded_regulation_answers_who_is_responsible_with_its_articles(laws_root, tmp_path):
    """`policykg laws load` runs the extractor of `policykg build`: the duty-bearers of 《城市供水条例》
    answer departments_for, each with the article (第X条) that obliges it as evidence."""
    from graph_api import PolicyGraph

    from loaders.laws import extract_law

    law = next(laws_root.glob("行政法规/城市供水条例*.md"))
    rec = parse_law(law, laws_root)
    assert any(t.kind == "provision" and t.lead for t in extract_law(rec).tasks)
    with PolicyGraph(home=tmp_path / "home") as g:
        g.load_laws(law)
        answers = g.departments_for("城市供水")
    got = {(a.agency, a.role) for a in answers}
    assert {("国务院城市建设行政主管部门", "lead"), ("县级以上城市人民政府", "lead"),
            ("城市规划行政主管部门", "responsible"), ("省、自治区、直辖市人民政府", "lead")} <= got
    assert {a.evidence.doc_title for a in answers} == {"城市供水条例"}
    first = next(a for a in answers if a.agency == "国务院城市建设行政主管部门")
    assert first.evidence.quote.startswith("第七条") and "主管全国城市供水工作" in first.evidence.quote
    # every answer quotes a provision of an article
    assert all(a.task_id.startswith(rec.source_id) for a in answers)


def test_laws_extracted_in_worker_processes_equal_one_process(corpus):
    """`policykg laws load` extracts the laws by one process per core: the same extractions, in order."""
    from loaders.laws import extract_law, extract_laws

    records = [corpus[k] for k in sorted(corpus)[::40]]
    assert len(records) >= 32
    assert extract_laws(records, workers=2) == [extract_law(r) for r in records]
