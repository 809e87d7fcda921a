#!/usr/bin/env python3
"""tools/bench-server's table: reads the runs (JSON lines) and prints one Markdown table with
the issue's goals, met or not met. Usage: table.py RUNS.jsonl EVENTS SECONDS, or table.py --last RUNS.jsonl (a progress line)."""
import json
import sys

if sys.argv[1] == "--last":  # one progress line for the last run
    r = [json.loads(line) for line in open(sys.argv[2]) if line.strip()][-1]
    rate = r["ok"] / r["span_s"] if r["span_s"] else 0
    per = r["commit_commands"] / r["commits"] if r["commits"] else 0
    line = (f'   {r["server"]:5} {r["mode"]:9} c={r["conns"]:<3} 2xx={r["ok"]} other={r["other"]} '
            f'{rate:,.0f}/s p50={r["p50_ms"]:.1f}ms p99={r["p99_ms"]:.1f}ms per-commit={per:.1f} '
            f'added={r["events_added"]} verify={r["verify"]}/{r["verify_py"]}')
    if r["other"] or r["socket_errors"]:
        line += f' socket-errors={r["socket_errors"]} other: {r["other_samples"][:300]}'
    print(line)
    sys.exit(0)

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
events, seconds = sys.argv[2], sys.argv[3]
by = {(r["server"], r["mode"], r["conns"]): r for r in runs}


def rate(r):
    return r["ok"] / r["span_s"] if r["span_s"] > 0 else 0.0


def cpc(r):
    return r["commit_commands"] / r["commits"] if r.get("commits") else float("nan")


def checked(r):
    """Writes: events added = 2xx answers; reads: nothing added. Both verifiers passed."""
    expected = r["ok"] if r["mode"] == "write" else r.get("writes_ok", 0)
    return r["events_added"] == expected and r["verify"] and r["verify_py"]


def fmt(x, digits=0):
    return f"{x:,.{digits}f}"


def met(ok):
    return "met" if ok else "not met"


client = "pages_probe.py, 16 keep-alive connections" if runs and all(r["mode"].startswith("page-") for r in runs) else "wrk, one thread"
print(f"Ledger of {events} generated events; each run sends for {seconds} s on loopback ({client}).")
print()
print("| run | connections | 2xx | other | commands/s | p50 ms | p99 ms | commands per commit | peer commands/s | peer p99 ms | ratio | events added = 2xx, both verifiers |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for r in runs:
    if r["server"] != "group":
        continue
    peer = by.get(("peer", r["mode"], r["conns"]))
    checks = [r] + ([peer] if peer else [])
    good = all(checked(c) for c in checks)
    if r["mode"] == "write":
        name = "write delivery.correct"
        per_commit = fmt(cpc(r), 1)
    else:
        names = {"show": "read show", "reconcile": "read reconcile (one contract)", "report": "read the Cabinet report (HTML)",
                 "page-portfolio": "page: the portfolio (first 50)", "page-contract": "page: a contract", "page-report": "page: the Cabinet report"}
        read = r["mode"].removesuffix("+writes")
        name = names[read]
        if r["mode"].endswith("+writes"):
            name += f' while {r["conns"]} others write ({fmt(r.get("writes_ok", 0))} writes, p99 {fmt(r.get("writes_p99_ms", 0), 1)} ms)'
        per_commit = ""
    cells = [name, str(r["conns"]), fmt(r["ok"]), fmt(r["other"]), fmt(rate(r)), fmt(r["p50_ms"], 1),
             fmt(r["p99_ms"], 1), per_commit]
    if peer:
        cells += [fmt(rate(peer)), fmt(peer["p99_ms"], 1), fmt(rate(r) / rate(peer), 2) + "×"]
    else:
        cells += ["", "", ""]
    cells.append("yes" if good else "**no**")
    print("| " + " | ".join(cells) + " |")

print()
print("| goal | measured | |")
print("|---|---|---|")
w16 = by.get(("group", "write", 16))
p16 = by.get(("peer", "write", 16))
if w16:
    print(f"| 16 writers: ≥ 8 commands per durable commit | {fmt(cpc(w16), 1)} | {met(cpc(w16) >= 8)} |")
if w16 and p16:
    ratio = rate(w16) / rate(p16)
    print(f"| 16 writers: ≥ 2× the peer (one commit per request) | {fmt(rate(w16))} vs {fmt(rate(p16))} commands/s: {ratio:.2f}× | {met(ratio >= 2)} |")
writes = [r for r in runs if r["server"] == "group" and r["mode"] == "write"]
if writes:
    within = [r for r in writes if r["p99_ms"] <= 50]
    best = max(within, key=rate) if within else max(writes, key=rate)
    ok = rate(best) >= 3000 and best["p99_ms"] <= 50
    print(f"| ≥ 3,000 durable commands/s with p99 ≤ 50 ms | best: {fmt(rate(best))}/s at p99 {fmt(best['p99_ms'], 1)} ms ({best['conns']} writers) | {met(ok)} |")
pages = [r for r in runs if r["mode"].startswith("page-")]
for mode, goal in [("page-portfolio", 50), ("page-contract", 50), ("page-report", 500)]:
    for r in [r for r in pages if r["mode"] == mode]:
        print(f"| {mode.removeprefix('page-')} page, 16 people signed in: p99 ≤ {goal} ms | p99 {fmt(r['p99_ms'], 1)} ms, {fmt(r['ok'])} answers | {met(r['ok'] > 0 and r['other'] == 0 and r['p99_ms'] <= goal)} |")
# The goal is issue 21's: 16 readers, alone and beside 16 writers. The 64-connection reads
# (more clients than the two cores can serve at once, so they mostly queue) stay in the table
# above, unjudged.
reads = [r for r in runs if r["server"] == "group" and r["conns"] == 16 and r["mode"] != "write" and not r["mode"].startswith(("report", "page-"))]
if reads:
    worst = max(r["p99_ms"] for r in reads)
    print(f"| reads of a contract (show, reconcile) from 16 connections p99 ≤ 20 ms, alone and beside 16 writers | worst p99 {fmt(worst, 1)} ms | {met(worst <= 20)} |")
reports = [r for r in runs if r["server"] == "group" and r["mode"].startswith("report")]
if reports:
    worst = max(r["p99_ms"] for r in reports)
    answered = all(r["ok"] > 0 for r in reports)
    print(f"| the Cabinet report (HTML) p99 ≤ 300 ms under writes | p99 {fmt(worst, 1)} ms, {fmt(sum(r['ok'] for r in reports))} answers | {met(answered and worst <= 300)} |")
allok = all(checked(r) for r in runs)
nonok = sum(r["other"] + r["socket_errors"] for r in runs)
print(f"| after each run: events added = 2xx answers; svledger verify and tools/verify_ledger.py pass | {len(runs)} runs; non-2xx or socket errors: {nonok} | {met(allok)} |")
