#!/usr/bin/env bash
# The whole benchmark set, in about 20 minutes on a 2-core machine (see benchmarks/README.md).
#
#   benchmarks/run_all.sh                 # 100, 1,000 and 10,000 documents
#   SIZES="100 1000" benchmarks/run_all.sh  # a quick pass (about 4 minutes)
#   FULL=1 benchmarks/run_all.sh          # also --workers 1 on 10,000 documents and no time caps
#
# Runs from the root of a checkout with the package installed (pip install -e '.[test]'), under
# `nice -n 10` so it yields to interactive work; everything it writes goes to benchmarks/out/
# (git-ignored): corpora, stores, and the figures in benchmarks/out/results/*.json, which
# `python benchmarks/growth.py --markdown` turns into the README tables.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
SIZES=${SIZES:-"100 1000 10000"}
FULL=${FULL:-0}
CAP=${CAP:-300}  # seconds allowed to each query-latency run (a named query slower than that stops it)
RESULTS=benchmarks/out/results
mkdir -p "$RESULTS"
run() { echo; echo "== $*"; nice -n 10 "$@"; }
largest=$(echo $SIZES | tr ' ' '\n' | sort -n | tail -1)
medium=$(echo $SIZES | tr ' ' '\n' | sort -n | awk '$1 <= 1000' | tail -1)
start=$(date +%s)

for n in $SIZES; do
  run $PY benchmarks/generate_corpus.py "benchmarks/out/corpus-$n" --count "$n"
done

# 1. ingest cost vs tokenisation: the sample, then 200 generated documents (with their accuracy)
run $PY benchmarks/ingest_vs_jieba.py --rounds 5 --save ingest_vs_jieba_sample
run $PY benchmarks/ingest_vs_jieba.py "benchmarks/out/corpus-$medium" --limit 200 --rounds 3 --accuracy \
    --save ingest_vs_jieba

# 2. corpus ingest (and the stores the other benchmarks use)
for n in $SIZES; do
  if [ "$n" -ge 10000 ] && [ "$FULL" != 1 ]; then workers="2"; else workers="1 2"; fi
  run $PY benchmarks/corpus_ingest.py --sizes "$n" --workers $workers
done

# 3. named-query latency on the 1,000- and 10,000-document stores
for n in $SIZES; do
  [ "$n" -ge 1000 ] || continue
  store=benchmarks/out/stores/store-$n
  rm -f "$RESULTS/query_latency-$n.json"
  if [ "$n" -ge 10000 ]; then extra="--repeat 3 --baseline-documents 0"; else extra="--repeat 5"; fi
  if [ "$FULL" = 1 ]; then cap=0; else cap=$CAP; fi
  echo; echo "== query_latency.py on $store (cap ${cap}s)"
  nice -n 10 timeout "$cap" $PY benchmarks/query_latency.py --store "$store" $extra \
      --json "$RESULTS/query_latency-$n.json" 2>&1 | tee "$RESULTS/query_latency-$n.log" || \
      echo "query_latency.py on $n documents stopped after ${cap}s; growth.py reads the rows it printed"
done

# 4. export cost
run $PY benchmarks/export_cost.py --sizes $SIZES

# HTTP API throughput on the 1,000-document store
if [ -e "benchmarks/out/stores/store-$medium" ]; then
  run timeout 180 $PY benchmarks/api_throughput.py --store "benchmarks/out/stores/store-$medium" --seconds 5 \
      --json "$RESULTS/api_throughput.json" || echo "api_throughput.py did not finish"
fi

# 5. growth, and the README tables
run $PY benchmarks/growth.py
$PY benchmarks/growth.py --markdown > "$RESULTS/README-tables.md"
echo; echo "all benchmarks: $(( $(date +%s) - start ))s; README tables in $RESULTS/README-tables.md"
