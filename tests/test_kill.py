"""Nothing lost: a folder ingest killed with SIGKILL at any moment leaves a store
that opens and holds only whole documents.

Each document is written by one SPARQL update (DROP GRAPH + INSERT DATA),
which the store runs as one transaction.  The test starts a real ``policykg
ingest`` of a folder of varied documents, kills it part-way (after a few
documents, half-way, at a random moment), reopens the store and checks that
every document graph in it has exactly the quads a clean ingest of that file
gives; then a second ingest finishes the job, skipping what was complete.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from helpers import SAMPLE, policykg_exe
from test_formats import SHORT_PLAN, SHORT_PLAN_TRADITIONAL, TASK_NOTICE, TASK_ROWS

from policykg import KnowledgeGraph

PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def make_corpus(folder: Path, n: int = 48, seed: int = 11) -> None:
    """``n`` documents, each with its own 文号: the sample and two short plans,
    with paragraphs left out at random, in UTF-8, GBK and Big5."""
    rng = random.Random(seed)
    sample = SAMPLE.read_text(encoding="utf-8")
    tasks = TASK_NOTICE + "\n" + "\n".join("\t".join(r) for r in TASK_ROWS) + "\n"
    kinds = [
        (sample, "普府办〔2022〕16号", "普府办〔2022〕{n}号", "utf-8"),
        (SHORT_PLAN, "某府办〔2023〕7号", "某府办〔2023〕{n}号", "gbk"),
        (SHORT_PLAN_TRADITIONAL, "某府辦〔2023〕7號", "某府辦〔2023〕{n}號", "big5"),
        (tasks, "某数办〔2024〕3号", "某数办〔2024〕{n}号", "utf-8"),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text, number, pattern, encoding = kinds[i % len(kinds)]
        text = text.replace(number, pattern.format(n=100 + i))
        lines = text.split("\n")
        head, body = lines[:12], lines[12:]
        # the line that repeats the transmitted plan's title stays: a notice whose plan is left out links the
        # plans of the same title that later documents bring, so its graph would grow after it was written
        keep = [ln for ln in body if not ln.strip() or rng.random() > 0.15 or "\t" in ln or ln.strip() in lines[0]]
        (folder / f"doc-{i:03d}.txt").write_bytes("\n".join(head + keep).encode(encoding))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The folder and the quad count of each document graph from a clean ingest."""
    root = tmp_path_factory.mktemp("kill")
    folder = root / "corpus"
    make_corpus(folder)
    with KnowledgeGraph(root / "clean") as kg:
        reports = kg.ingest([folder])
        assert all(r.status == "added" for r in reports) and len(reports) == 48
        expected = {r["g"]: int(r["n"]) for r in kg.query(PER_GRAPH).values()}
    assert len(expected) == 48
    return folder, expected


def check_whole(store: Path, expected: dict[str, int]) -> dict[str, int]:
    """The store opens; every document in it is complete; nothing lies outside a document graph."""
    with KnowledgeGraph(store) as kg:
        got = {r["g"]: int(r["n"]) for r in kg.query(PER_GRAPH).values()}
        total = kg.count()
    partial = {g: (n, expected.get(g)) for g, n in got.items() if expected.get(g) != n}
    assert not partial, f"documents written in part: {partial}"
    assert total == sum(got.values()), "quads outside any document graph"
    return got


def start_ingest(folder: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen([*policykg_exe(), "ingest", str(folder), "--store", str(store)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def kill_after_lines(proc: subprocess.Popen, lines: int) -> int:
    """SIGKILL the ingest once it has reported ``lines`` written documents; returns how many it reported."""
    seen = 0
    for raw in proc.stdout:
        if raw.startswith(b"+ added"):
            seen += 1
            if seen >= lines:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("when", ["after-1", "half-way", "random-moment"])
def test_kill_mid_ingest_leaves_only_whole_documents(tmp_path, corpus, when):
    folder, expected = corpus
    store = tmp_path / "store"
    proc = start_ingest(folder, store)
    if when == "random-moment":
        threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
        # wait until the process has opened the store, then kill it somewhere in the run
        deadline = time.monotonic() + 60
        while not (store / "CURRENT").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(random.Random().uniform(0.0, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        reported = None
    else:
        reported = kill_after_lines(proc, 1 if when == "after-1" else len(expected) // 2)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    got = check_whole(store, expected)
    if reported is not None:
        assert len(got) >= reported  # everything it reported as written is there, whole
    assert len(got) < len(expected)

    # a second run finishes the job: complete documents are skipped, the rest are added
    with KnowledgeGraph(store) as kg:
        statuses = {r.source: r.status for r in kg.ingest([folder])}
    assert sum(s == "unchanged" for s in statuses.values()) == len(got)
    assert sum(s == "added" for s in statuses.values()) == len(expected) - len(got)
    assert check_whole(store, expected) == expected
