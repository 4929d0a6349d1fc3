"""The command line: exit codes, one-sentence errors, formats."""

from __future__ import annotations

import csv
import io
import json

from helpers import DATA, SAMPLE, run_cli


def test_cli_ingest_reports_each_file_and_exits_1_when_one_fails(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    store = tmp_path / "store"
    proc = run_cli("ingest", str(SAMPLE), str(bad), str(DATA / "county-tasks.txt"), "--store", str(store))
    assert proc.returncode == 1
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "普府办〔2022〕16号" in out and "德政办发〔2024〕8号" in out
    assert f"{bad}: is empty" in err
    assert "Traceback" not in err
    assert "2 added, 1 failed" in out
    docs = run_cli("query", "SELECT ?d WHERE { ?d pk:sha256 ?h }", "--store", str(store), "--format", "csv")
    assert len(docs.stdout.decode().strip().splitlines()) == 3  # header + the two good documents


def test_cli_query_formats_are_machine_readable(sample_store):
    q = "SELECT ?path ?title WHERE { ?s a pk:Action ; pk:path ?path ; rdfs:label ?title } ORDER BY ?path"
    js = json.loads(run_cli("query", q, "--store", str(sample_store), "--format", "json", check=True).stdout)
    assert js["head"]["vars"] == ["path", "title"] and len(js["results"]["bindings"]) == 20
    rows = list(csv.reader(io.StringIO(run_cli("query", q, "--store", str(sample_store), "--format", "csv",
                                               check=True).stdout.decode())))
    assert rows[0] == ["path", "title"] and len(rows) == 21
    tsv = run_cli("query", q, "--store", str(sample_store), "--format", "tsv", check=True).stdout.decode()
    assert tsv.splitlines()[0] == "?path\t?title" and '"智能软件新产能"' in tsv
    table = run_cli("query", q, "--store", str(sample_store), check=True).stdout.decode()
    assert "智能软件新产能" in table and "(20 rows)" in table


def test_cli_query_from_file_and_named(sample_store, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a pk:Action }", encoding="utf-8")
    out = run_cli("query", "-f", str(rq), "--store", str(sample_store), "--format", "csv", check=True).stdout
    assert out.decode().splitlines()[1] == "20"
    named = run_cli("query", "--name", "who-owns-what", "--param", "unit=区科委", "--store", str(sample_store),
                    "--format", "json", check=True)
    paths = [b["path"]["value"] for b in json.loads(named.stdout)["results"]["bindings"]]
    assert paths == ["2.1.1", "2.1.2", "2.1.6", "2.1.7", "2.1.8", "2.1.9", "2.2.2", "2.3.5"]


def test_cli_errors_are_one_sentence_with_exit_codes(sample_store, tmp_path):
    bad = run_cli("query", "SELECT ?x WHERE { ?x", "--store", str(sample_store))
    assert bad.returncode == 1 and bad.stderr.decode().startswith("error: The SPARQL query is not valid")
    assert len(bad.stderr.decode().strip().splitlines()) == 1
    missing = run_cli("query", "SELECT * {?s ?p ?o}", "--store", str(tmp_path / "nothing"))
    assert missing.returncode == 1 and "no store" in missing.stderr.decode()
    usage = run_cli("query", "--store", str(sample_store))
    assert usage.returncode == 2
    unknown = run_cli("query", "--name", "no-such-query", "--store", str(sample_store))
    assert unknown.returncode == 1 and "policykg queries" in unknown.stderr.decode()


def test_cli_store_defaults_to_the_environment(tmp_path):
    store = tmp_path / "envstore"
    run_cli("ingest", str(SAMPLE), env={"POLICYKG_STORE": str(store)}, check=True)
    assert store.exists()
    out = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a pk:Action }", "--format", "csv",
                  env={"POLICYKG_STORE": str(store)}, check=True)
    assert out.stdout.decode().splitlines()[1] == "20"


def test_cli_dry_run_writes_nothing(tmp_path):
    store = tmp_path / "store"
    proc = run_cli("ingest", str(SAMPLE), "--dry-run", "--store", str(store), check=True)
    assert "parsed" in proc.stdout.decode() and not store.exists()


def test_cli_every_command_has_help():
    top = run_cli("--help", check=True).stdout.decode()
    import re

    commands = re.findall(r"^  (\w+)\s", top.split("Commands:")[1], flags=re.M)
    assert {"ingest", "query", "queries"} <= set(commands)
    for c in commands:
        h = run_cli(c, "--help", check=True).stdout.decode()
        body = h.split("Options:")[0]
        assert len(body.strip().splitlines()) >= 3, f"`policykg {c} --help` has no description"


def test_cli_runs_as_python_module():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "policykg", "--version"], capture_output=True, check=True)
    assert b"policykg" in out.stdout


def test_cli_named_query_table_leaves_out_parameters_and_node_iris(sample_store):
    """A terminal table shows what a person reads; the machine formats keep every projected column."""
    args = ("query", "--name", "who-owns-what", "--param", "unit=区科委", "--store", str(sample_store))
    table = run_cli(*args, check=True).stdout.decode().splitlines()
    header = table[0].split()
    assert header[:4] == ["docNumber", "path", "type", "action"] and "responsible" in header
    assert not {"section", "doc", "unit", "kind"} & set(header)
    assert "https://" not in "\n".join(table) and "(8 rows)" in table[-1]
    js = json.loads(run_cli(*args, "--format", "json", check=True).stdout)
    assert {"section", "doc", "unit", "kind"} <= set(js["head"]["vars"])
