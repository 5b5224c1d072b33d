#!/usr/bin/env python3
"""Ratios and targets from a JMH JSON result of the Breakwater benchmarks (benchmarks/run.sh).

Usage: report.py result.json

Errors are JMH's 99.9 % confidence half-widths ("nan" with a single measurement iteration); for a ratio or difference they are combined as if
independent (relative errors in quadrature for a ratio, absolute ones for a difference). A verdict is
"met" or "missed" when the whole interval lies on one side of the target, else "within noise".
"median a/p" is the ratio of the medians of all measurement iterations (every fork): a cross-check
that one disturbed iteration cannot swing as much as it swings the mean.
"""
import json
import math
import sys

PKG = "io.breakwater.benchmarks."


def load(path):
    with open(path) as f:
        runs = json.load(f)
    results = {}
    for run in runs:
        name = run["benchmark"][len(PKG):] if run["benchmark"].startswith(PKG) else run["benchmark"]
        client = (run.get("params") or {}).get("client")
        m = run["primaryMetric"]
        err = m.get("scoreError")
        # JMH gives no error (NaN) for fewer than 2 measurement iterations.
        err = float("nan") if err is None or err == "NaN" else float(err)
        raw = sorted(x for fork in m.get("rawData", []) for x in fork)
        results[(name, client)] = (m["score"], err, m["scoreUnit"], median(raw) if raw else float("nan"))
    return results


def median(xs):
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def ratio(a, b):
    (sa, ea, _, _), (sb, eb, _, _) = a, b
    r = sa / sb
    return r, r * math.sqrt((ea / sa) ** 2 + (eb / sb) ** 2)


def diff(a, b):
    (sa, ea, _, _), (sb, eb, _, _) = a, b
    return sa - sb, math.sqrt(ea ** 2 + eb ** 2)


def verdict(value, error, target, higher_is_better):
    if math.isnan(error):
        return "no error estimate"
    lo, hi = value - error, value + error
    if higher_is_better:
        return "met" if lo >= target else "missed" if hi < target else "within noise"
    return "met" if hi <= target else "missed" if lo > target else "within noise"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    r = load(sys.argv[1])
    lines = []

    def out(s=""):
        lines.append(s)

    out("== 1. Redis GET/SET, breaker CLOSED, real local redis-server (throughput, higher is better)")
    out(f"{'client':<12} {'op':<4} {'plain ops/s':>16} {'agent ops/s':>16} {'r4j ops/s':>16}"
        f" {'agent/plain':>15} {'target>=0.98':>13} {'agent/r4j':>15} {'r4j/plain':>15} {'median a/p':>14}")
    for client in ("Jedis", "RedisClient"):
        for op in ("get", "set"):
            plain = r.get((f"RedisClosedBenchmark.{op}_plain", client))
            agent = r.get((f"RedisClosedBenchmark.{op}_agent", client))
            r4j = r.get((f"RedisClosedBenchmark.{op}_resilience4j", client))
            if not (plain or agent or r4j):
                continue
            fmt = lambda x: f"{x[0]:>8.0f} ±{x[1]:>6.0f}" if x else f"{'-':>16}"
            cells = [fmt(plain), fmt(agent), fmt(r4j)]
            if plain and agent:
                q, e = ratio(agent, plain)
                cells += [f"{q:.3f} ±{e:.3f}", verdict(q, e, 0.98, True)]
            else:
                cells += ["-", "-"]
            cells.append(f"{ratio(agent, r4j)[0]:.3f} ±{ratio(agent, r4j)[1]:.3f}" if agent and r4j else "-")
            cells.append(f"{ratio(r4j, plain)[0]:.3f} ±{ratio(r4j, plain)[1]:.3f}" if r4j and plain else "-")
            cells.append(f"{agent[3] / plain[3]:.3f}" if plain and agent else "-")
            out(f"{client:<12} {op.upper():<4} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}"
                f" {cells[3]:>15} {cells[4]:>13} {cells[5]:>15} {cells[6]:>15} {cells[7]:>14}")
    out()

    out("== 2. Breaker path without network (ns/op, lower is better)")
    base = r.get(("BreakerOverheadBenchmark.baseline", None))
    names = ["timing_only", "breaker", "guard_noFallback", "guard_mirror", "guard_mirror_set", "resilience4j_executeSupplier",
             "resilience4j_decorated", "resilience4j_withListener_executeSupplier"]
    r4j = r.get(("BreakerOverheadBenchmark.resilience4j_executeSupplier", None))
    if base:
        out(f"{'baseline':<44} {base[0]:>9.1f} ±{base[1]:.1f} ns (median {base[3]:7.1f})")
    for n in names:
        x = r.get((f"BreakerOverheadBenchmark.{n}", None))
        if not x:
            continue
        line = f"{n:<44} {x[0]:>9.1f} ±{x[1]:.1f} ns (median {x[3]:7.1f})"
        if base:
            d, e = diff(x, base)
            line += f"   added {d:7.1f} ±{e:.1f} ns"
            if n == "breaker":
                line += f"   target <=50 ns: {verdict(d, e, 50, False)} (medians: {x[3] - base[3]:.1f} ns)"
        if n in ("breaker", "guard_noFallback", "guard_mirror", "guard_mirror_set") and r4j:
            d, e = diff(x, r4j)
            line += f"   vs resilience4j_executeSupplier {d:+.1f} ±{e:.1f} ns"
            if n == "breaker":
                line += f" (target <=0: {verdict(d, e, 0, False)}; medians: {x[3] - r4j[3]:+.1f} ns)"
        out(line)
    out()

    out("== 3. GET served from memory, breaker OPEN, redis-server stopped (ns/op, lower is better)")
    for client in ("Jedis", "RedisClient"):
        x = r.get(("RedisOpenFallbackBenchmark.get_open", client))
        if x:
            out(f"{client:<12} {x[0]:>9.1f} ±{x[1]:.1f} ns   target <=1000 ns: {verdict(x[0], x[1], 1000, False)}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
