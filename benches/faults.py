"""Fault figures for docs/performance.md, against a release server on a fresh SQLite file:
the header bomb, a 150 000-row import while 8 clients submit, and an export of 300 000+
responses (time to first byte; peak memory of a fresh process).

    cargo build --release
    python3 benches/faults.py target/release/klantspiegel /tmp/ks-faults
"""
import json, os, subprocess, sys, threading, time, urllib.request, urllib.error, socket

BIN = sys.argv[1]; WORK = sys.argv[2]
os.makedirs(WORK, exist_ok=True)
DB = os.path.join(WORK, "bench.db")
for suf in ("", "-wal", "-shm"):
    try: os.remove(DB + suf)
    except FileNotFoundError: pass
PORT = 18600
TOKEN = "bench-admin"
env = dict(os.environ, KLANTSPIEGEL_ADMIN_TOKEN=TOKEN, KLANTSPIEGEL_RESPONDENT_LIMIT="0", RUST_LOG="warn")
srv = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}", "--database", f"sqlite://{DB}"],
                       env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, "server.log"), "w"))
BASE = f"http://127.0.0.1:{PORT}"

def req(method, path, body=None, ctype="application/json", auth=True, timeout=120):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    r = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None: r.add_header("Content-Type", ctype)
    if auth: r.add_header("Authorization", f"Bearer {TOKEN}")
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

def reset_hwm():
    with open(f"/proc/{srv.pid}/clear_refs", "w") as f: f.write("5")
def rss():
    for l in open(f"/proc/{srv.pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) // 1024
def hwm():
    for l in open(f"/proc/{srv.pid}/status"):
        if l.startswith("VmHWM"): return int(l.split()[1]) // 1024
for _ in range(100):
    try:
        if req("GET", "/healthz")[0] == 200: break
    except Exception: time.sleep(0.1)

team = json.loads(req("POST", "/api/v1/teams", {"name": "Klantenservice"})[2])["id"]
survey = json.loads(req("POST", "/api/v1/surveys", {"title": "Bench", "template": "mirror-default"})[2])
sid = survey["id"]
keys = [d["key"] for d in survey["dimensions"]]
wave = json.loads(req("POST", f"/api/v1/surveys/{sid}/waves", {"name": "W", "opens_at": "2026-01-01T00:00:00Z"})[2])["id"]
link = json.loads(req("POST", f"/api/v1/surveys/{sid}/invitations",
                      {"wave_id": wave, "team_id": team, "audience": "customer", "max_uses": 100000})[2])["tokens"][0]

def big(n, offset):
    cols = ["audience", "team", "nps"] + [k for k in keys] + [k + ".expected" for k in keys]
    lines = [",".join(cols)]
    for i in range(offset, offset + n):
        vals = ["customer", "Klantenservice", str(i % 11)] + [str(1 + (i * 7 + j) % 10) for j in range(2 * len(keys))]
        lines.append(",".join(vals))
    return ("\n".join(lines) + "\n").encode()

# 2. The header bomb.
bomb = b"a," * 9_900_000 + b"\n"
reset_hwm(); r0 = rss(); t0 = time.time(); st, h, b = req("POST", f"/api/v1/surveys/{sid}/import?wave_id={wave}", bomb, ctype="text/csv")
print(f"header bomb 19.8 MB: status {st}, {len(b)} bytes, {time.time()-t0:.2f} s, server RSS {r0} MiB before, peak {hwm()} MiB during")

# 1. A 150 000-row import while submissions arrive from 8 clients.
csv = big(150_000, 0)
done = threading.Event(); seen = []; lock = threading.Lock()
def submitter():
    while not done.is_set():
        t0 = time.time()
        st, h, b = req("POST", "/api/v1/responses", {"token": link, "ratings": {"speed": {"perceived": 7}}}, auth=False)
        with lock: seen.append((st, h.get("retry-after"), time.time() - t0))
ths = [threading.Thread(target=submitter) for _ in range(8)]
[t.start() for t in ths]
time.sleep(0.5)
t0 = time.time()
st, h, b = req("POST", f"/api/v1/surveys/{sid}/import?wave_id={wave}", csv, ctype="text/csv")
took = time.time() - t0
time.sleep(0.5); done.set(); [t.join() for t in ths]
imported = json.loads(b)["imported"] if st == 201 else None
codes = {}
for s, ra, _ in seen: codes[s] = codes.get(s, 0) + 1
ok201 = codes.get(201, 0)
bad = [x for x in seen if x[0] not in (201, 503) or (x[0] == 503 and x[1] is None)]
st2, _, body = req("GET", f"/api/v1/surveys/{sid}/export.csv?wave_id={wave}")
rows = body.count(b"\n") - 1
print(f"import 150000 rows: status {st}, {took:.2f} s; submissions {codes}; slowest {max(x[2] for x in seen):.2f} s; "
      f"bad {len(bad)}; stored rows {rows} = imported {imported} + 201s {ok201}: {rows == imported + ok201}")

# 3. Export of 300 000+ responses.
st, _, b = req("POST", f"/api/v1/surveys/{sid}/import?wave_id={wave}", big(150_000, 150_000), ctype="text/csv")
print("second import", st, b[:60])
# A fresh process for the export, so its peak is the export's own.
srv.terminate(); srv.wait()
srv = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}", "--database", f"sqlite://{DB}"],
                       env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, "server2.log"), "w"))
for _ in range(100):
    try:
        if req("GET", "/healthz")[0] == 200: break
    except Exception: time.sleep(0.1)
before = rss()
out = subprocess.run(["curl", "-s", "-o", os.path.join(WORK, "export.csv"), "-w", "%{time_starttransfer} %{time_total} %{size_download}",
                      "-H", f"Authorization: Bearer {TOKEN}", f"{BASE}/api/v1/surveys/{sid}/export.csv"], capture_output=True, text=True)
n = sum(1 for _ in open(os.path.join(WORK, "export.csv"))) - 1
print(f"export: first byte {out.stdout.split()[0]} s, total {out.stdout.split()[1]} s, {int(out.stdout.split()[2])/1e6:.1f} MB, "
      f"{n} responses; server RSS {before} MiB before, peak {hwm()} MiB (VmHWM of a fresh process)")
srv.terminate(); srv.wait()
