#!/usr/bin/env python3
"""The table of scripts/bench: reads the results that the run wrote (one record a line,
`kind key=value …`), prints the table (figure, measured, reference, ratio, goal, met?) and
writes BENCHMARKS.md. Exit status 0; the invariants are judged by scripts/bench itself.

    table.py RESULTS BENCHMARKS.md
"""

import os
import sys


def parse(path):
    """Records by kind and name: {("run", "catalogue-anon/app"): {...}, ("fact", "seed"): {...}}."""
    records = {}
    for line in open(path, encoding="utf-8"):
        words = line.split()
        if not words:
            continue
        kind, fields = words[0], {}
        for word in words[1:]:
            key, _, value = word.partition("=")
            fields[key] = value
        records[(kind, fields.get("name", ""))] = fields
    return records


def num(fields, key):
    try:
        return float(fields[key])
    except (KeyError, TypeError, ValueError):
        return None


def rate(x):
    return "—" if x is None else f"{x:,.0f}"


def millis(x):
    return "—" if x is None else (f"{x:.1f}" if x >= 1 else f"{x:.2f}")


def ratio_text(x):
    return "—" if x is None else (f"{x:.2f}" if x >= 0.1 else f"{x:.3f}")


def verdict(ok):
    return "—" if ok is None else ("yes" if ok else "**no**")


class Table:
    def __init__(self):
        self.rows = []

    def add(self, figure, measured, reference, ratio, goal, ok):
        self.rows.append((figure, measured, reference, ratio_text(ratio), goal, verdict(ok)))

    def markdown(self):
        head = ("figure", "measured", "reference (same run)", "ratio", "goal", "met?")
        lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)

    def met(self):
        judged = [row for row in self.rows if row[5] != "—"]
        return sum(row[5] == "yes" for row in judged), judged


def run_text(fields):
    """'X req/s, p99 Y ms' of a wrk run, with its failures if any."""
    text = f"{rate(num(fields, 'rps'))} req/s, p99 {millis(num(fields, 'p99_ms'))} ms"
    if failures(fields):
        text += f" ({failures(fields)} failed or timed out after 5 s)"
    return text


def failures(fields):
    return sum(int(fields.get(k, "0")) for k in ("non2xx", "errors_connect", "errors_read", "errors_timeout"))


def build(records):
    table = Table()
    facts = {name: fields for (kind, name), fields in records.items() if kind == "fact"}
    pages = [
        ("catalogue", "`GET /cursussen`"),
        ("api", "`GET /api/v1/courses`"),
        ("course", "course page `GET /cursussen/{slug}`"),
        ("home", "home page `GET /`"),
    ]
    for key, label in pages:
        for who, whom in (("anon", "anonymous"), ("user", "logged in")):
            app = records.get(("run", f"{key}-{who}/app"))
            ref = records.get(("run", f"{key}-{who}/nginx"))
            if app is None:
                continue
            size = app.get("size")
            figure = f"{label}, {whom}" + (f" ({int(size) / 1024:.1f} KB)" if size else "")
            ratio = None
            if ref and num(ref, "rps"):
                ratio = num(app, "rps") / num(ref, "rps")
            p99 = num(app, "p99_ms")
            ok = None if ratio is None else (ratio >= 0.35 and p99 is not None and p99 <= 10 and not failures(app))
            goal = "≥ 0.35, p99 ≤ 10 ms" if key != "home" else "keep: ≥ 0.35, p99 ≤ 10 ms"
            reference = f"nginx, same bytes: {rate(num(ref, 'rps'))} req/s, p99 {millis(num(ref, 'p99_ms'))} ms" if ref else "—"
            table.add(figure, run_text(app), reference, ratio, goal, ok)

    def median_round(courses):
        """The round of this size with the median rate (the sizes ran in turn, several rounds),
        and how many rounds there were."""
        rounds = [fields for (kind, name), fields in records.items()
                  if kind == "run" and name.startswith(f"scale-{courses}-r") and num(fields, "rps") is not None]
        rounds.sort(key=lambda fields: num(fields, "rps"))
        return (rounds[len(rounds) // 2], len(rounds)) if rounds else (None, 0)

    base, _ = median_round("17")
    for courses in ("17", "500", "10000"):
        run, rounds = median_round(courses)
        if run is None:
            continue
        published = int(run.get("published", courses))
        label = (f"`GET /cursussen` with {published:,} published courses" + (" (the demo)" if courses == "17" else "")
                 + f", median of {rounds} rounds")
        if courses == "17" or base is None:
            table.add(label, run_text(run), "—", None, "p99 ≤ 10 ms", num(run, "p99_ms") <= 10 and not failures(run))
        else:
            ratio = num(run, "rps") / num(base, "rps")
            ok = ratio >= 0.8 and num(run, "p99_ms") <= 10 and not failures(run)
            table.add(label, run_text(run), f"the demo: {rate(num(base, 'rps'))} req/s", ratio,
                      "flat: ≥ 0.8 of the demo, p99 ≤ 10 ms", ok)

    enrol = records.get(("run", "enrol/app"))
    pg = records.get(("pgbench", "enrol"))
    if enrol:
        created = int(enrol.get("s201", "0"))
        rps = created / num(enrol, "seconds")
        measured = f"{rate(rps)}/s, p99 {millis(num(enrol, 'p99_ms'))} ms"
        others = [f"{enrol.get(k, '0')} {label}" for k, label in
                  (("s200", "200"), ("s4xx", "4xx"), ("s5xx", "5xx"), ("sother", "other"),
                   ("errors_timeout", "timed out"), ("errors_read", "read errors")) if enrol.get(k, "0") != "0"]
        if others:
            measured += " (also " + ", ".join(others) + ")"
        ratio = rps / num(pg, "tps") if pg and num(pg, "tps") else None
        reference = f"pgbench, same transaction: {rate(num(pg, 'tps'))} tps, p99 {millis(num(pg, 'p99_ms'))} ms" if pg else "—"
        ok = None if ratio is None else ratio >= 0.7 and num(enrol, "p99_ms") <= 50
        table.add("enrolment over HTTP, 64 clients (wrk + `enrol.lua`)", measured, reference, ratio,
                  "≥ 0.7, p99 ≤ 50 ms", ok)

    cargo = records.get(("cargo", "enrolment"))
    if cargo:
        if cargo.get("status") == "ok":
            table.add("`cargo bench --bench enrolment` (app in-process)",
                      f"{rate(num(cargo, 'http_rate'))}/s, p99 {millis(num(cargo, 'http_p99_ms'))} ms",
                      f"pgbench: {rate(num(cargo, 'pg_tps'))} tps", num(cargo, "ratio"), "≥ 0.7, p99 ≤ 50 ms",
                      num(cargo, "ratio") >= 0.7 and (num(cargo, "http_p99_ms") or 1e9) <= 50)
        else:
            table.add("`cargo bench --bench enrolment`", f"failed: {cargo.get('status')}", "—", None, "≥ 0.7", False)

    idle = records.get(("run", "storm-idle/app"))
    busy = records.get(("run", "storm-busy/app"))
    logins = records.get(("run", "storm-logins/app"))
    if idle and busy:
        ratio = num(busy, "p99_ms") / num(idle, "p99_ms")
        extra = f", {rate(num(logins, 'rps'))} logins/s" if logins else ""
        table.add("login storm: `GET /api/v1/courses` p99 while 20 clients log in",
                  f"p99 {millis(num(busy, 'p99_ms'))} ms{extra}", f"idle: p99 {millis(num(idle, 'p99_ms'))} ms",
                  ratio, "≤ 2× idle", ratio <= 2 and not failures(busy))
    storm = records.get(("cargo", "login_storm"))
    if storm:
        if storm.get("status") == "ok":
            table.add("`cargo bench --bench login_storm` (p50, in-process)",
                      f"p50 {millis(num(storm, 'busy_p50_ms'))} ms, p95 {millis(num(storm, 'busy_p95_ms'))} ms",
                      f"idle: p50 {millis(num(storm, 'idle_p50_ms'))} ms, p95 {millis(num(storm, 'idle_p95_ms'))} ms",
                      num(storm, "ratio"), "≤ 2× idle", num(storm, "ratio") <= 2)
        else:
            table.add("`cargo bench --bench login_storm`", f"failed: {storm.get('status')}", "—", None, "≤ 2× idle",
                      False)

    phases = rss_phases(records)
    if phases:
        top = max(phases, key=lambda p: num(p, "peak_kib"))
        mib = num(top, "peak_kib") / 1024
        last = num(facts.get("rss", {}), "last_kib")
        after = f"after the runs: {last / 1024:.1f} MiB" if last else "—"
        table.add("server resident memory (VmRSS), peak over all runs",
                  f"{mib:.1f} MiB (phase {top['name']}; by phase below)", after, None, "≤ 64 MiB", mib <= 64)
    table.add("a peer, pretix (its event page; its memory)", "not measured: no pretix on this machine",
              "issue 20: 25–36 req/s, 1,069 MiB", None, "app ≥ 1,000×, memory ≤ 1/8", None)
    ready = facts.get("ready")
    if ready:
        table.add("start to ready (`serve` until `/healthz` answers), migrated database",
                  f"{num(ready, 'ms'):.0f} ms", "—", None, "≤ 1 s", num(ready, "ms") <= 1000)
    seed = facts.get("seed")
    if seed:
        table.add(f"seeding the bench database ({seed.get('what', '').replace('_', ' ')})",
                  f"{num(seed, 'seconds'):.1f} s", "—", None, "< 60 s", num(seed, "seconds") < 60)
    return table


def rss_phases(records):
    """The `rss` records of scripts/bench, one per phase, in the order the phases ran."""
    phases = [fields for (kind, _), fields in records.items() if kind == "rss"]
    return sorted(phases, key=lambda p: int(p.get("order", "0")))


def memory_text(records):
    """The server's memory in each phase: which one peaks, and whether it is given back."""
    phases = rss_phases(records)
    if not phases:
        return ""
    lines = ["| phase | peak RSS | RSS at its end | threads (most) |", "| --- | --- | --- | --- |"]
    for p in phases:
        lines.append(f"| {p['name']} | {num(p, 'peak_kib') / 1024:.1f} MiB | {num(p, 'end_kib') / 1024:.1f} MiB "
                     f"| {p.get('threads', '?')} |")
    return "\n".join(lines)


def checks_text(records):
    lines = []
    for (kind, name), fields in sorted(records.items()):
        if kind == "check":
            state = "ok" if fields.get("ok") == "1" else "BROKEN"
            lines.append(f"- {fields.get('text', name).replace('_', ' ')}: {fields.get('value')} — {state}")
    return "\n".join(lines)


def main():
    results, out = sys.argv[1], sys.argv[2]
    # what limits the goals that are not met, with its profiles: written by hand after a run
    limits_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "benches", "limits.md")
    limits = ""
    if os.path.exists(limits_file):
        with open(limits_file, encoding="utf-8") as f:
            limits = "\n" + f.read()
    records = parse(results)
    machine = records.get(("machine", ""), {})
    table = build(records)
    met, judged = table.met()
    unmet = [row[0] for row in judged if row[5] != "yes"]
    summary = f"{met} of {len(judged)} goals met."
    if unmet:
        summary += " Not met: " + "; ".join(unmet) + "."
    checks = checks_text(records)
    print()
    print(table.markdown())
    print()
    print(summary)
    print()
    memory = memory_text(records)
    if memory:
        print("The server's memory by phase (VmRSS sampled every 100 ms, and VmHWM):")
        print(memory)
        print()
    print("Invariants after the runs:")
    print(checks)

    def m(key):
        return machine.get(key, "?").replace("_", " ")

    warning = ""
    if machine.get("build") != "release_build":
        warning = ("\n**Not the release build** (" + m("build") + "): these figures tell whether the command "
                   "works, not how fast the platform is.\n")
    memory_section = ""
    if memory:
        memory_section = ("\nThe server's memory by phase (`VmRSS` sampled every 100 ms; a rise of `VmHWM`, the "
                          "kernel's peak, counts for the phase in which it was seen; the `scale-…` phases are "
                          "servers of their own):\n\n" + memory + "\n")
    doc = f"""# Benchmarks

Written by `scripts/bench` (issue 20) on {m('date')}, in {m('took')}. Run it again with
`scripts/bench`; `scripts/bench --help` tells the options. Every ratio compares two figures
of the same run; the machine was shared, so read the load average before trusting a
single figure.
{warning}
- machine: {m('nproc')} CPUs ({m('cpu')}), {m('ram')} RAM, Linux {m('kernel')}
- PostgreSQL {m('postgres')}; load generator `{m('wrk')}`; reference `{m('nginx')}`
- commit {m('commit')}; {m('build')}
- load average (1, 5, 15 min): {m('load_before')} before the run, {m('load_after')} after it
- database: {m('database')}
- each HTTP figure: `wrk -t2 -c64 -d{m('duration')}s --latency` after a warm-up, the app and
  nginx interleaved (nginx serves the bytes the app answered, fetched once with curl; logged
  in = the session cookie of a participant, or a bearer token for the API)

{table.markdown()}

{summary}
{memory_section}
Invariants after the runs (scripts/bench exits non-zero when one breaks):

{checks}

How each figure is made, and what the goals mean: see the comments at the top of
`scripts/bench` and issue 20.
{limits}"""
    with open(out, "w", encoding="utf-8") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
