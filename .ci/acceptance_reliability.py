"""Acceptance of issue 12 (runs engineer's items), through the real ./assay launcher.

1. Two processes on one run: a run held mid-way by a loopback OpenAI-compatible server that stalls its
   answers; a second `assay run --resume RUN` exits 2 naming the first's PID; after SIGKILL of the first,
   `assay list runs` says "interrupted" with the saved count; a resume finishes with every sample once.
2. A full disk: the run store on a 3 MiB tmpfs (needs root, as CI is). Exit 3, one line naming the log and
   the space needed, the index row interrupted; after the tmpfs is grown, resume finishes.
"""
import json, os, re, signal, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

root, work = Path(sys.argv[1]), Path(sys.argv[2])
assay = str(root / "assay")


def run(*args):
    return subprocess.run([assay, *args], capture_output=True, text=True, timeout=600)


def check(cond, msg, r=None):
    if not cond:
        print("ACCEPTANCE FAILED:", msg)
        if r is not None:
            print(r.stdout[-3000:], r.stderr[-3000:])
        sys.exit(1)
    print("ok:", msg)


def items(path, n, replay=None):
    with open(path, "w") as f:
        for i in range(1, n + 1):
            f.write(json.dumps({"input": f"Say {i}", "target": str(i)}) + "\n")
    if replay:
        with open(replay, "w") as f:
            for i in range(1, n + 1):
                f.write(json.dumps({"id": f"{Path(path).stem}:{i}", "completion": str(i)}) + "\n")


def ids(log):
    seen = [json.loads(line)["id"] for line in open(log)]
    return seen, set(seen)


def row(store, run_id):
    r = run("list", "runs", "--out", str(store))
    return next((l for l in r.stdout.splitlines() if l.startswith(run_id)), "")


# 1. the run lock ------------------------------------------------------------------------------------
release = threading.Event()
held = [0]


class Stalling(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        m = re.search(r"Say (\d+)", body)
        n = m.group(1) if m else "?"
        if m and int(n) >= 4:
            held[0] += 1
            release.wait()
        if self.path.endswith("/chat/completions"):
            answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": n}, "finish_reason": "stop"}]}
        else:
            answer = {"choices": [{"index": 0, "text": n, "finish_reason": "stop"}]}
        data = json.dumps(answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the SIGKILL'd client's held request

    def log_message(self, *a):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Stalling)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}/v1"
lock_store = work / "lock-runs"
f = work / "lockitems.jsonl"
items(f, 10)
a = subprocess.Popen([assay, "run", f"file:{f}#target=target", "--model", "openai-compatible/m", "--model-base-url", url,
                      "--concurrency", "1", "--no-cache", "--out", str(lock_store)],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
log = None
for _ in range(1200):
    logs = list(lock_store.glob("*/samples.jsonl"))
    if logs and held[0] > 0 and len(open(logs[0]).readlines()) >= 3:
        log = logs[0]
        break
    time.sleep(0.1)
check(log is not None, "the first process is mid-run (3 samples logged, the 4th held by the server)")
run_id = log.parent.name
b = run("run", "--resume", run_id, "--out", str(lock_store))
check(b.returncode == 2 and f"in use by process {a.pid}" in b.stderr,
      f"a second writer exits 2 naming the holder's PID {a.pid}", b)
os.killpg(a.pid, signal.SIGKILL)
a.wait()
r = row(lock_store, run_id)
check("interrupted" in r and " 3/10" in r, f"after SIGKILL, list runs shows it interrupted with 3 of 10 saved: {r.strip()}")
release.set()
c = run("run", "--resume", run_id, "--out", str(lock_store))
seen, unique = ids(log)
check(c.returncode == 0 and len(seen) == 10 and len(unique) == 10, "a resume finishes with every sample exactly once", c)
server.shutdown()

# 2. a full disk -------------------------------------------------------------------------------------
check(os.geteuid() == 0, "running as root (needed to mount a tmpfs)")
disk = Path(tempfile.mkdtemp(dir=work, prefix="tmpfs-"))
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], check=True)
try:
    store = disk / "runs"
    n = 20000
    items(work / "big.jsonl", n, work / "big-replay.jsonl")
    r = run("run", f"file:{work / 'big.jsonl'}#target=target", "--model", f"replay/{work / 'big-replay.jsonl'}", "--out", str(store))
    msgs = [l for l in r.stderr.splitlines() if l.startswith("assay:")]
    check(r.returncode == 3, f"a full disk exits 3 (got {r.returncode})", r)
    check(len(msgs) == 1 and "samples.jsonl" in msgs[0] and "the disk is full" in msgs[0] and "more needed" in msgs[0]
          and "Exception" not in r.stderr, f"with one line naming the log and the space needed: {msgs}", r)
    run_dir = next(store.glob("*/samples.jsonl")).parent
    check("interrupted" in row(store, run_dir.name), "the index row says interrupted")
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
    r = run("run", "--resume", run_dir.name, "--out", str(store))
    seen, unique = ids(run_dir / "samples.jsonl")
    check(r.returncode == 0 and len(seen) == n and len(unique) == n, f"with room again, resume finishes all {n} samples once", r)
finally:
    subprocess.run(["umount", str(disk)])
    os.rmdir(disk)
