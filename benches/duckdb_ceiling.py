#!/usr/bin/env python3
"""The DuckDB ceiling for the report benchmark (docs/performance.md).

Reads the same 1 M-row rating CSV that `cargo bench` writes (target/bench-data/ratings-1000000.csv)
and computes the same per-dimension aggregate: the count per (dimension, kind, value), which is
what the report needs. Prints the best and median of 10 runs, CSV reading included.

    pip install duckdb && python3 benches/duckdb_ceiling.py
"""
import statistics
import sys
import time
from pathlib import Path

import duckdb

path = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench-data/ratings-1000000.csv")
if not path.exists():
    sys.exit(f"{path} is missing: run `cargo bench` first")

query = f"""
SELECT dimension_id, kind, value, count(*) AS n
FROM read_csv('{path}', header = true)
GROUP BY dimension_id, kind, value
"""
con = duckdb.connect()
con.execute(query).fetchall()  # warm-up (file cache, extension load)
times = []
for _ in range(10):
    t0 = time.perf_counter()
    rows = con.execute(query).fetchall()
    times.append(time.perf_counter() - t0)
print(f"duckdb {duckdb.__version__}: {len(rows)} groups from {path.name}; "
      f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms")
