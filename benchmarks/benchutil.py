"""What the benchmark scripts share: the machine, corpora, runs measured with the memory of their
whole process tree, folder sizes, and the JSON results ``growth.py`` and the README table read.

Not a benchmark itself; ``import benchutil`` from a script in ``benchmarks/``.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
OUT = BENCH / "out"
RESULTS = OUT / "results"
sys.path.insert(0, str(BENCH))


def machine() -> dict:
    """Cores, memory, load, versions: printed and saved with every figure."""
    import pyoxigraph

    try:
        import psutil

        mem = psutil.virtual_memory().total
    except ImportError:  # pragma: no cover
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "memory_gb": round(mem / 2**30, 1), "cpu": cpu,
            "load_1min": round(os.getloadavg()[0], 2), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "platform": platform.platform(terse=True)}


def describe_machine(m: dict) -> str:
    return (f"{m['date']}; {m['cores']} cores ({m['cpu'] or 'unknown cpu'}), {m['memory_gb']} GB; "
            f"load {m['load_1min']} at start; Python {m['python']}, pyoxigraph {m['pyoxigraph']}")


def corpus(count: int, seed: int | None = None, forms: tuple[str, ...] = ("txt", "gbk")) -> Path:
    """``benchmarks/out/corpus-COUNT``, generated unless it already holds that corpus."""
    import generate_corpus as gc

    seed = gc.DEFAULT_SEED if seed is None else seed
    name = f"corpus-{count}" + ("" if seed == gc.DEFAULT_SEED else f"-s{seed}") + (
        "" if forms == ("txt", "gbk") else "-" + "-".join(forms))
    folder = OUT / name
    t0 = time.perf_counter()
    manifest = gc.write_corpus(folder, count, seed, forms)
    took = time.perf_counter() - t0
    if took > 1:
        print(f"  generated {folder.relative_to(ROOT)}: {count:,} documents, {manifest['chars']:,} characters "
              f"in {took:.0f}s", flush=True)
    return folder


def corpus_manifest(folder: Path) -> dict:
    return json.loads((Path(folder) / "corpus.json").read_text(encoding="utf-8"))


def policykg_exe() -> list[str]:
    exe = shutil.which("policykg", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "policykg"]


@dataclass
class Run:
    """One command, measured: wall time, CPU of the tree, peak memory of the tree."""

    cmd: list[str]
    returncode: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0  # user + system of the command and every process it started
    peak_rss_mb: float = 0.0  # the largest sum of RSS over the process and its descendants
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("stdout")
        d.pop("stderr")
        d["cmd"] = " ".join(self.cmd)
        return d


def run_measured(cmd: list[str], *, interval: float = 0.1, env: dict | None = None, timeout: float | None = None) -> Run:
    """Run ``cmd``, sampling the RSS of its whole process tree every ``interval`` seconds.

    RSS of forked workers counts pages they share with their parent once per
    process, so the peak is an upper bound of what the tree needs.
    """
    import psutil

    run = Run(cmd)
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    out: dict[str, bytes] = {}

    def drain(name, stream):
        out[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True) for n, s in (("o", proc.stdout), ("e", proc.stderr))]
    for r in readers:
        r.start()
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            peak = max(peak, total)
        except psutil.NoSuchProcess:
            pass
        if timeout and time.perf_counter() - t0 > timeout:
            proc.kill()
        time.sleep(interval)
    run.wall_s = time.perf_counter() - t0
    for r in readers:
        r.join()
    after = os.times()
    run.returncode = proc.returncode
    run.cpu_s = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    run.peak_rss_mb = peak / 2**20
    run.stdout = out.get("o", b"").decode("utf-8", "replace")
    run.stderr = out.get("e", b"").decode("utf-8", "replace")
    return run


def dir_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def save_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def load_result(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def jieba_baseline(texts: list[str]) -> dict:
    """``jieba.cut`` over ``texts`` in this process (dictionary loaded first): the yardstick."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        for _ in jieba.cut(t):
            pass
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    chars = sum(map(len, texts))
    return {"chars": chars, "wall_s": wall, "cpu_s": cpu, "chars_per_s": chars / wall, "chars_per_cpu_s": chars / cpu}


_SUMMARY = re.compile(r"ingested: ([\d,]+) files? — (?P<statuses>[^;]*); ([\d,]+) actions, ([\d,]+) targets, "
                      r"(?P<quads>[\d,]+) quads")


def parse_ingest_summary(text: str) -> dict:
    """The counts in ``policykg ingest``'s summary line."""
    m = _SUMMARY.search(text)
    if not m:
        return {}
    statuses = dict((k, int(v.replace(",", ""))) for v, k in re.findall(r"([\d,]+) (\w+)", m.group("statuses")))
    return {"files": int(m.group(1).replace(",", "")), "statuses": statuses,
            "actions": int(m.group(3).replace(",", "")), "targets": int(m.group(4).replace(",", "")),
            "quads": int(m.group("quads").replace(",", ""))}


def mb(n_bytes: float) -> float:
    return round(n_bytes / 2**20, 1)


def export_rows(run: dict) -> list[tuple]:
    """One export_cost run as table rows, the dump baseline first:
    ``(export, wall s, peak MB, MB out, ratio to the dump, note)``, the figures ``None`` for a skipped one."""
    d = run["dump"]
    rows = [("N-Quads dump (baseline)", d["wall_s"], d["peak_rss_mb"], mb(d["bytes"]), 1.0, f"{run['quads']:,} quads")]
    for e in run["exports"]:
        note = e.get("message", "")
        if e.get("nodes") is not None:
            note = f"{e['nodes']:,} nodes, {e['edges']:,} edges"
        if e.get("skipped"):
            rows.append((e["format"], None, None, None, None, note))
        else:
            rows.append((e["format"], e["wall_s"], e["peak_rss_mb"], mb(e["bytes"]), e["ratio_vs_dump"] or 0, note))
    return rows
