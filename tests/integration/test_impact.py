"""Cross-document impact on the seed, on every backend: a repeal, the 2018 agency reform, expiry.

The seed is built into the embedded store, `oxigraph serve` and Neo4j (real servers, which these
tests own and clear first); the bundled reform file is loaded into each. A server that cannot be
reached makes the tests FAIL, never skip. The README's ```console transcripts are re-run here
through the real CLI and compared line by line.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from policykg.errors import QueryError, ServiceError
from loaders.reforms import BUNDLED_REFORM, ReformFileError, load_reform
from tests.conftest import ROOT, seed_on_three_backends

TAX_SUCCESSOR = "国家税务总局绵阳市税务局"


# ----------------------------------------------------------------------------
# the reform file (no server)

def test_bundled_reform_validates_and_says_where_each_mapping_comes_from():
    r = load_reform(BUNDLED_REFORM)
    assert r.id == "mianyang-2018" and len(r.changes) >= 20
    tax = r.changes[0]
    assert tax.from_names == ("市国税局", "市地税局") and tax.to == TAX_SUCCESSOR
    assert tax.date.isoformat() == "2018-07-20" and tax.precision == "day" and tax.certain and tax.kind == "merge"
    assert all(c.source for c in r.changes)  # every mapping names its basis
    assert any(not c.certain for c in r.changes)  # and the uncertain ones say so
    by_from = {n: c for c in r.changes if c.kind != "partial" for n in c.from_names}
    assert by_from["市卫生计生委"].to == "市卫生健康委员会"
    assert by_from["绵阳银监分局"].to == "中国银行保险监督管理委员会绵阳监管分局"
    assert by_from["市国土资源局"].to == by_from["市城乡规划局"].to == "市自然资源和规划局"
    # written names meet the graph's agencies through their canonical names
    assert tax.origins[0].canonical == "绵阳市国家税务局" and tax.origins[1].canonical == "绵阳市地方税务局"
    assert r.final_successor(tax) == TAX_SUCCESSOR


@pytest.mark.parametrize("content,message", [
    ("{not json", "not valid JSON at line 1"),
    ('{"changes": []}', "'changes' must be a non-empty list"),
    ('{"changes": [{"from": ["市国税局"], "date": "2018-07-20"}]}',
     "changes[0] (市国税局 → ?): missing 'to'"),
    ('{"changes": [{"from": "市国税局", "to": "X局", "date": "2018-13-01", "certain": true, "source": "s"}]}',
     "changes[0] (市国税局 → X局): 'date' '2018-13-01' is not a calendar date"),
    ('{"changes": [{"from": ["市国税局"], "to": "X局", "date": "20180720", "certain": true, "source": "s"}]}',
     "'date' must be YYYY-MM-DD, YYYY-MM or YYYY"),
    ('{"changes": [{"from": ["市国税局"], "to": "X局", "date": "2018", "certain": "yes", "source": "s"}]}',
     "'certain' must be true or false"),
    ('{"changes": [{"form": ["市国税局"], "to": "X局", "date": "2018", "certain": true, "source": "s"}]}',
     "unknown key(s) 'form'"),
    ('{"changes": [{"from": ["市国税局", "市地税局"], "to": "X局", "date": "2018", "kind": "rename", "certain": true, '
     '"source": "s"}]}', "a rename has exactly one 'from'"),
    ('{"changes": [{"from": ["市国税局"], "to": "绵阳市国家税务局", "date": "2018", "certain": true, "source": "s"}]}',
     "a unit cannot succeed itself"),
    ('{"changes": [{"from": ["市国税局"], "to": "X局", "date": "2018", "certain": true, "source": "s"}, '
     '{"from": ["市国税局"], "to": "Y局", "date": "2019", "certain": true, "source": "s"}]}',
     "changes[1] (市国税局 → Y局): 市国税局 already ceases in changes[0] (市国税局 → X局)"),
    ('{"changes": [{"from": ["市甲局"], "to": "市乙局", "date": "2018", "certain": true, "source": "s"}, '
     '{"from": ["市乙局"], "to": "市甲局", "date": "2019", "certain": true, "source": "s"}]}', "cycle"),
])
def test_reform_file_errors_name_the_file_and_the_entry(tmp_path, content, message):
    p = tmp_path / "bad-reform.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ReformFileError) as e:
        load_reform(p)
    assert str(p) in str(e.value) and message in str(e.value)


def test_reform_file_in_yaml(tmp_path):
    import yaml  # noqa: F401  (PyYAML is in the test extras: YAML reform files are supported)
    p = tmp_path / "tax.yaml"
    p.write_text("id: tax\nissuer: 绵阳市人民政府\nchanges:\n  - from: [市国税局, 市地税局]\n"
                 "    to: 国家税务总局绵阳市税务局\n    date: 2018-07-20\n    certain: true\n    source: 国税地税合并\n",
                 encoding="utf-8")
    r = load_reform(p)
    assert r.changes[0].date.isoformat() == "2018-07-20" and r.changes[0].origins[0].canonical == "绵阳市国家税务局"


def test_missing_reform_file(tmp_path):
    with pytest.raises(ReformFileError, match="no such reform file"):
        load_reform(tmp_path / "nope.json")


# ----------------------------------------------------------------------------
# every backend

@pytest.fixture(scope="module")
def graphs(tmp_path_factory, servers):
    out = seed_on_three_backends(tmp_path_factory.mktemp("impact-home"))
    yield out
    for x in out.values():
        x.close()


def _items(report):
    return [(i.task_id, i.direct, i.date, tuple(sorted((a.name, a.role, a.successor or "") for a in i.agencies)),
             tuple(d.text for d in i.deadlines)) for i in report.items]


@pytest.mark.integration
def test_tax_merger_on_every_backend(graphs):
    results = {}
    for name, g in graphs.items():
        r = g.reform_impact(BUNDLED_REFORM, units=("市国税局", "市地税局"))
        results[name] = _items(r)
        assert len(r.items) == 8, name  # every task the two bureaus share (责任单位)
        for i in r.items:
            assert {(a.name, a.successor) for a in i.agencies} == {("市国税局", TAX_SUCCESSOR),
                                                                   ("市地税局", TAX_SUCCESSOR)}
            assert i.date == "2018-07-20" and i.certain
        tax = next(i for i in r.items if i.task_title == "落实税收优惠")
        # on 2018-07-20 the 2017 deadline has passed; the 2011-2020 window still runs
        assert [d.date for d in tax.deadlines] == ["2020-12-31"]
        assert [q.name for q in r.queries][0] == "reform_impact"
    assert results["embedded"] == results["sparql"] == results["neo4j"]


@pytest.mark.integration
def test_whole_reform_on_every_backend(graphs):
    reports = {name: g.reform_impact(BUNDLED_REFORM) for name, g in graphs.items()}
    assert _items(reports["embedded"]) == _items(reports["sparql"]) == _items(reports["neo4j"])
    r = reports["embedded"]
    ceased = [i for i in r.items if i.direct]
    succ = {(a.name, a.successor) for i in ceased for a in i.agencies if a.kind != "partial"}
    assert ("市卫生计生委", "市卫生健康委员会") in succ
    assert ("绵阳银监分局", "中国银行保险监督管理委员会绵阳监管分局") in succ
    assert ("市国土资源局", "市自然资源和规划局") in succ and ("市城乡规划局", "市自然资源和规划局") in succ
    # 市民政局 continues (duties partly moved): never reported as ceased
    assert not any(a.name == "市民政局" and a.kind != "partial" for i in r.items for a in i.agencies)
    # a task whose only changed unit continues is not 'direct'
    assert all(any(a.kind != "partial" for a in i.agencies) == i.direct for i in r.items)
    by_unit = {a.name: a for a in r.agencies if a.kind != "partial"}
    assert (by_unit["市国土资源局"].lead, by_unit["市城乡规划局"].lead) == (4, 3)


@pytest.mark.integration
def test_reform_is_in_the_graph_and_reloads_in_place(graphs):
    from ontology.namespace import PKG

    ask = (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{PKG.succeededBy}> ?b . ?b <http://www.w3.org/2000/01/rdf-schema#label> "
           f'"{TAX_SUCCESSOR}"@zh }}')
    for name in ("embedded", "sparql"):
        g = graphs[name]
        assert int(g.sparql(ask)[0]["n"]) == 2, name  # 国税局 and 地税局
        n_changes = g.sparql(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{PKG.AgencyChange}> }}")[0]["n"]
        assert int(n_changes) == len(load_reform(BUNDLED_REFORM).changes)
    neo = graphs["neo4j"]
    count = lambda: (neo.cypher("MATCH (c:AgencyChange) RETURN count(c) AS n")[0]["n"],  # noqa: E731
                     neo.cypher("MATCH ()-[r:SUCCEEDED_BY]->() RETURN count(r) AS n")[0]["n"],
                     neo.cypher("MATCH (n) RETURN count(n) AS n")[0]["n"])
    before = count()
    rows = neo.cypher("MATCH (a:Agency)-[:SUCCEEDED_BY]->(b:Agency {name: $n}) RETURN a.name AS a", n=TAX_SUCCESSOR)
    assert sorted(r["a"] for r in rows) == ["绵阳市国家税务局", "绵阳市地方税务局"]
    neo.load_reform(BUNDLED_REFORM)  # again: replaced, not doubled
    assert count() == before
    emb = graphs["embedded"]
    quads = len(emb.backend.store.store)
    emb.load_reform(BUNDLED_REFORM)
    assert len(emb.backend.store.store) == quads


@pytest.mark.integration
def test_repeal_on_every_backend(graphs):
    reports = {name: g.repeal_impact("财税〔2015〕119号") for name, g in graphs.items()}
    assert _items(reports["embedded"]) == _items(reports["sparql"]) == _items(reports["neo4j"])
    r = reports["neo4j"]
    assert r.items[0].task_title == "落实税收优惠" and r.items[0].direct
    assert {q.language for q in r.queries} == {"cypher"}
    # deadlines still open on a date
    later = graphs["embedded"].repeal_impact("财税〔2015〕119号", on="2018-01-01")
    assert [d.date for d in later.items[0].deadlines] == ["2020-12-31"]
    amend = graphs["embedded"].repeal_impact("财税〔2015〕119号", change="amend")
    assert amend.kind == "amend" and any("amendment" in n for n in amend.notes)
    with pytest.raises(QueryError):
        graphs["embedded"].repeal_impact("财税〔2015〕119号", change="rewrite")


@pytest.mark.integration
def test_expiry_on_every_backend(graphs):
    reports = {name: g.expiry() for name, g in graphs.items()}
    assert _items(reports["embedded"]) == _items(reports["sparql"]) == _items(reports["neo4j"])
    r = reports["embedded"]
    docs = {d.doc_title: d.date for d in r.documents if d.how.startswith("valid")}
    assert docs == {"四川省外来企业投诉处理规定": "2021-06-25"}  # 有效期5年 from 2016-06-25
    assert sum(1 for i in r.items if i.how.startswith("lapses")) == 15  # the 规定's 15 provisions
    assert not [i for i in graphs["embedded"].expiry(on="2021-06-01").items if i.how.startswith("lapses")]
    assert len([i for i in graphs["neo4j"].expiry(on="2021-07-01").items if i.how.startswith("lapses")]) == 15


@pytest.mark.integration
def test_ask_on_neo4j_shows_the_cypher(graphs):
    a = graphs["neo4j"].ask("哪些部门负责去库存？")
    assert a.query_language == "cypher" and "MATCH (t:Task)" in a.query_text and a.query_params == {"goal": "去库存"}
    assert {x.task_id for x in a.items if x.role == "lead"} == \
        {x.task_id for x in graphs["embedded"].ask("去库存由谁牵头").items}


@pytest.mark.integration
def test_agency_profile(graphs):
    p = graphs["embedded"].agency_profile("市国税局")
    assert p.names == ("市国税局",) and p.lead == 0 and p.responsible == 8
    assert any(TAX_SUCCESSOR in s and "2018-07-20" in s for s in p.successors)
    assert {d.deadline.date for d in p.deadlines} >= {"2020-12-31"}


# ----------------------------------------------------------------------------
# the HTTP API

@pytest.mark.integration
def test_serve_read_only_json_api(graphs):
    from interface.server import make_server

    with pytest.raises(ServiceError, match="loopback"):
        make_server("0.0.0.0", 0, graph=graphs["embedded"])
    srv = make_server("127.0.0.1", 0, graph=graphs["embedded"])
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"

    def get(path, **q):
        url = base + path + ("?" + urllib.parse.urlencode(q) if q else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                return resp.status, json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read().decode("utf-8"))

    try:
        assert get("/health") == (200, {"ok": True, "backend": "embedded"})
        status, body = get("/ask", q="哪些部门负责去库存？")
        assert status == 200 and body["query"] == "departments_for_goal" and "VALUES" in body["query_text"]
        status, body = get("/citing", reg="财税〔2015〕119号")
        assert status == 200 and body[0]["task_title"] == "落实税收优惠"
        status, body = get("/impact", reform="mianyang-2018")
        assert status == 200 and body["kind"] == "reform"
        status, body = get("/ask", q="今天天气怎么样")
        assert status == 400 and "哪些部门负责去库存" in body["error"]
        status, body = get("/sparql", query="DELETE WHERE { ?s ?p ?o }")
        assert status == 400 and "read-only" in body["error"]
        req = urllib.request.Request(base + "/ask", data=b"q=x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        assert e.value.code == 405
    finally:
        srv.shutdown()
        srv.server_close()


# ----------------------------------------------------------------------------
# README transcripts, re-run through the CLI

def _readme_transcripts() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        cmd, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd:
                    out.append((cmd, "\n".join(lines)))
                cmd, lines = line[2:], []
            else:
                lines.append(line)
        if cmd:
            out.append((cmd, "\n".join(lines)))
    return out


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("readme-home")
    env = _cli_env(home)
    subprocess.run([sys.executable, "-m", "interface.cli", "build"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    return home


def _cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "COLUMNS", "LINES")}
    env.update(POLICYKG_HOME=str(home), COLUMNS="110", NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8")
    return env


def test_readme_has_the_transcripts():
    cmds = [c for c, _ in _readme_transcripts()]
    assert any(c.startswith("policykg impact 财税〔2015〕119号") for c in cmds)
    assert any("--reform data/reforms/mianyang-2018.json" in c and "市国税局" in c for c in cmds)


@pytest.mark.integration
@pytest.mark.parametrize("cmd,expected", _readme_transcripts(), ids=lambda x: x[:60] if isinstance(x, str) else "")
def test_readme_transcript(cli_home, cmd, expected):
    import shlex

    argv = shlex.split(cmd)
    assert argv[0] == "policykg"
    res = subprocess.run([sys.executable, "-m", "interface.cli", *argv[1:]], env=_cli_env(cli_home), cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=300)
    got = "\n".join(line.rstrip() for line in res.stdout.rstrip("\n").splitlines())
    want = "\n".join(line.rstrip() for line in expected.rstrip("\n").splitlines())
    assert res.returncode == 0, res.stderr
    assert got == want, f"README transcript of `{cmd}` differs; run it and paste the output:\n{got}"
