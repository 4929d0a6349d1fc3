"""`policykg ingest --emit DIR`: N-Quads files for a store's own bulk loader.

The files are loaded with the real `oxigraph load` (the `oxigraph` package) and
the loaded store must be the store `policykg ingest --store` builds from the same
files: the same quads (sorted N-Quads dumps) and the same named-query answers,
links between documents included.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import DATA, ROOT, SAMPLE, policykg_exe, run_cli

# A notice that forwards another document without reproducing it, a notice whose plan cites two
# documents of a bundle, the bundle, and the forwarded document: ingested in this (sorted) order each
# citing document comes before the one it cites, so every link is one "waiting" for its target.
FORWARDING = """某县人民政府办公室文件

某政办发〔2024〕21号

某县人民政府办公室关于转发《某市人民政府办公室关于加强公共数据管理的通知》的通知

各乡镇人民政府：

现将《某市人民政府办公室关于加强公共数据管理的通知》转发给你们，请结合实际认真贯彻执行。

某县人民政府办公室
2024年4月2日
"""

REFERRING = """关于印发某县数据共享细则的通知

各乡镇人民政府：

根据《德清县数据资源管理办法》和《某省公共数据条例》（某政发〔2020〕1号），现将《某县数据共享细则》印发给你们。《某县数据共享暂行规定》同时废止。

德清县人民政府办公室
2024年5月6日

某县数据共享细则

一、总则

按照《德清县公共数据开放工作方案》推进数据共享（责任单位：县数据局）。
"""

FORWARDED = """某市人民政府办公室文件

某府办发〔2024〕9号

某市人民政府办公室关于加强公共数据管理的通知

各县（市、区）人民政府：

为加强公共数据管理，现通知如下。

一、编制公共数据目录（责任单位：市数据局）

二、推进公共数据开放（牵头单位：市数据局；配合单位：市经信委）

某市人民政府办公室
2024年3月15日
"""

pytestmark = pytest.mark.slow  # real subprocesses, a real oxigraph load: seconds each

NAMED = [("who-owns-what", []), ("who-owns-what", ["unit=区科委"]), ("documents", []),
         ("unit-workload", []), ("targets-by-deadline", [])]


def make_corpus(folder: Path, generated: int = 14, seed: int = 21) -> Path:
    """A small folder in the genre: generated documents (benchmarks/generate_corpus.py), the sample,
    and documents that cite, bundle and forward each other."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate_corpus as gc
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    (folder / "gen").mkdir(parents=True)
    for i in range(1, generated + 1):
        g = gc.generate(i, seed=seed, forms=("txt", "gbk"))
        (folder / "gen" / g.name).write_bytes(g.data)
    (folder / "a-forwarding.txt").write_text(FORWARDING, encoding="utf-8")
    (folder / "b-referring.txt").write_text(REFERRING, encoding="utf-8")
    shutil.copy(DATA / "county-bundle.txt", folder / "c-bundle.txt")
    (folder / "d-forwarded.txt").write_text(FORWARDED, encoding="utf-8")
    shutil.copy(SAMPLE, folder / "e-putuo.txt")
    return folder


def oxigraph_exe() -> str:
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not exe:
        pytest.fail("the `oxigraph` binary is missing; install the [test] extra (pip install '.[test]')")
    return exe


def oxigraph_load(folder: Path, store: Path) -> None:
    files = sorted(str(p) for p in folder.glob("*.nq"))
    proc = subprocess.run([oxigraph_exe(), "load", "--location", str(store), "--file", *files],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()


def sorted_dump(store: Path) -> list[str]:
    from policykg import KnowledgeGraph

    with KnowledgeGraph(store, read_only=True) as kg:
        return sorted(kg.dump("nq").decode("utf-8").splitlines())


def named_rows(store: Path, name: str, params: list[str]) -> list[dict]:
    args = ["query", "--name", name, "--store", str(store), "--format", "json"]
    for p in params:
        args += ["--param", p]
    out = json.loads(run_cli(*args, check=True).stdout)
    return sorted((json.dumps(b, sort_keys=True, ensure_ascii=False) for b in out["results"]["bindings"]))


def manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("emit") / "corpus")


@pytest.fixture(scope="module")
def reference_store(corpus, tmp_path_factory) -> Path:
    """The same folder through a normal, single-process `policykg ingest --store`."""
    store = tmp_path_factory.mktemp("ref") / "store"
    run_cli("ingest", str(corpus), "--store", str(store), "-q", check=True)
    return store


def test_emit_output_loads_with_oxigraph_load_and_answers_like_an_ingest(corpus, reference_store, tmp_path):
    out = tmp_path / "nq"
    proc = run_cli("ingest", str(corpus), "--emit", str(out), "-q", check=True)
    text = proc.stdout.decode()
    assert "emitted: 19 files (20 documents) — 20 added" in text and "oxigraph load --location" in text
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    docs = [n for n in names if n.startswith("doc-")]
    assert len(docs) == 20 and names == sorted([*docs, "links.nq", "manifest.jsonl"])
    entries = manifest(out)
    assert {e["file"] for e in entries} == set(docs) and len(entries) == 20
    for e in entries:  # each file holds exactly its document's graph, as many quads as the manifest says
        lines = (out / e["file"]).read_text(encoding="utf-8").splitlines()
        assert len(lines) == e["quads"] > 0 and all(ln.endswith(f" <{e['document']}> .") for ln in lines)
        assert set(e) >= {"source", "document", "sha256", "quads", "file"}
    # the links between documents are found after all of them are known: one waiting for its target each
    links = (out / "links.nq").read_text(encoding="utf-8")
    assert "ontology#transmits> <https://w3id.org/policykg/id/doc/某府办发-2024-9>" in links
    assert links.count("ontology#references>") == 3

    store = tmp_path / "loaded"
    oxigraph_load(out, store)
    assert sorted_dump(store) == sorted_dump(reference_store)
    for name, params in NAMED:
        rows = named_rows(store, name, params)
        assert rows == named_rows(reference_store, name, params)
    assert len(named_rows(store, "who-owns-what", ["unit=区科委"])) >= 5  # the answers compared are not empty


def test_emit_shards_hold_the_documents_of_n_files(corpus, reference_store, tmp_path):
    out = tmp_path / "nq"
    run_cli("ingest", str(corpus), "--emit", str(out), "--shard-size", "5", "--workers", "2", "-q", check=True)
    shards = sorted(p.name for p in out.glob("shard-*.nq"))
    assert len(shards) == 4  # 19 files, 5 a shard
    entries = manifest(out)
    assert {e["file"] for e in entries} == set(shards) and len(entries) == 20
    for shard in shards:
        graphs = {ln.rsplit(" ", 2)[-2][1:-1] for ln in (out / shard).read_text(encoding="utf-8").splitlines()}
        assert graphs == {e["document"] for e in entries if e["file"] == shard}
    again = run_cli("ingest", str(corpus), "--emit", str(out), "--shard-size", "5", "-q", check=True)
    assert "20 unchanged" in again.stdout.decode()
    store = tmp_path / "loaded"
    oxigraph_load(out, store)
    assert sorted_dump(store) == sorted_dump(reference_store)


def test_emit_a_later_run_skips_unchanged_files_and_replaces_changed_ones(corpus, tmp_path):
    folder = tmp_path / "corpus"  # the linked documents and a few generated ones
    shutil.copytree(corpus, folder, ignore=lambda d, names: [n for n in names if n.startswith("d000")
                                                             and n not in ("d00001.txt", "d00002.txt")])
    out = tmp_path / "nq"
    for shard, unit in (([], "市发展改革委"), (["--shard-size", "4"], "市财政局")):
        shutil.rmtree(out, ignore_errors=True)
        run_cli("ingest", str(folder), "--emit", str(out), *shard, "-q", check=True)
        before = {e["document"]: e for e in manifest(out)}
        changed = folder / "d-forwarded.txt"
        changed.write_text(FORWARDED.replace("市经信委", unit), encoding="utf-8")
        proc = run_cli("ingest", str(folder), "--emit", str(out), *shard, "--format", "json", check=True)
        status = {r["source"]: r["status"] for r in json.loads(proc.stdout)}
        assert status[str(changed)] == "replaced"
        assert sum(s == "unchanged" for s in status.values()) == len(status) - 1
        after = {e["document"]: e for e in manifest(out)}
        assert after.keys() == before.keys()
        doc = "https://w3id.org/policykg/id/doc/某府办发-2024-9"
        assert after[doc]["sha256"] != before[doc]["sha256"] and after[doc]["file"] != before[doc]["file"]
        # the old version is gone from the folder: its own file deleted, or taken out of its shard
        assert not (out / before[doc]["file"]).exists() or doc not in (out / before[doc]["file"]).read_text("utf-8")
        live = {p.name for p in out.glob("*.nq")} - {"links.nq"}
        assert live == {e["file"] for e in after.values()}
        store, ref = tmp_path / f"loaded{len(shard)}", tmp_path / f"ref{len(shard)}"
        oxigraph_load(out, store)
        run_cli("ingest", str(folder), "--store", str(ref), "-q", check=True)
        assert sorted_dump(store) == sorted_dump(ref)


def test_emit_a_killed_run_leaves_only_whole_files_and_the_next_run_finishes(corpus, reference_store, tmp_path):
    from pyoxigraph import RdfFormat, parse

    out = tmp_path / "nq"
    proc = subprocess.Popen([*policykg_exe(), "ingest", str(corpus), "--emit", str(out), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        m = out / "manifest.jsonl"
        if m.exists() and m.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the run ended before it could be killed"
    written = list(out.glob("*.nq"))
    assert 3 <= len(written) < 20 and not (out / "links.nq").exists()
    for f in written:  # a loader's *.nq glob only ever sees whole files
        assert len(list(parse(f.read_bytes(), format=RdfFormat.N_QUADS))) > 0
    rerun = run_cli("ingest", str(corpus), "--emit", str(out), "--format", "json", check=True)
    status = [r["status"] for r in json.loads(rerun.stdout)]
    assert status.count("unchanged") >= 3 and status.count("added") >= 1 and "failed" not in status
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]
    store = tmp_path / "loaded"
    oxigraph_load(out, store)
    assert sorted_dump(store) == sorted_dump(reference_store)


def test_emit_reports_a_bad_file_and_writes_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")  # empty: fails alone
    out = tmp_path / "nq"
    proc = run_cli("ingest", str(folder), "--emit", str(out), "-q")
    assert proc.returncode == 1
    assert "b.txt" in proc.stderr.decode() and "1 added, 1 failed" in proc.stdout.decode()
    assert [e["source"] for e in manifest(out)] == [str(folder / "a.txt")]


@pytest.mark.parametrize("args, message", [
    (["--store", "x"], "--emit DIR writes N-Quads files instead of a store"),
    (["--dry-run"], "--emit DIR writes N-Quads files instead of a store"),
])
def test_emit_refuses_options_that_need_a_store(tmp_path, args, message):
    proc = run_cli("ingest", str(SAMPLE), "--emit", str(tmp_path / "nq"), *args)
    assert proc.returncode == 2 and message in proc.stderr.decode()
    assert run_cli("ingest", str(SAMPLE), "--shard-size", "3").returncode == 2
