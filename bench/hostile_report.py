"""The "Hostile headers" table: each shape's cost divided by plain's in the same place.

    python3 bench/hostile_report.py jmh target/bench/hostile-jmh.json     (HostileHeaderBenchmark)
    python3 bench/hostile_report.py server target/bench/hostile/results.txt   (bench/hostile.sh)

Prints a markdown table (shape x place). For the server run, PASS/FAIL: exits 1 if any shape costs
more than LIMIT (3) times plain in the same place and at the same size. The JMH table is not gated:
there "plain" is the filter alone on a text without a dot (one indexOf, tens of microseconds), not a
request of that size, which is what the goal compares with; it shows where the filter's time goes.
"""
import json
import sys

LIMIT = 3.0


def rows_jmh(path):
    for r in json.load(open(path)):
        p = r["params"]
        m = r["primaryMetric"]
        yield p["place"], p["shape"], int(p["size"]), m["score"], m["scoreError"]


def rows_server(path):
    # place shape size median_ms p90_ms
    for line in open(path):
        place, shape, size, median, p90 = line.split()
        yield place, shape, int(size), float(median), float(p90)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    rows = list(rows_jmh(path) if kind == "jmh" else rows_server(path))
    cell = {(place, shape, size): (v, extra) for place, shape, size, v, extra in rows}
    places = list(dict.fromkeys(r[0] for r in rows))
    shapes = list(dict.fromkeys(r[1] for r in rows))
    extra = "± (99.9 %)" if kind == "jmh" else "p90"
    what = "ms/op" if kind == "jmh" else "median ms"
    ok = True
    worst = []
    for size in sorted({r[2] for r in rows}):
        print(f"\n{size:,} characters; each cell: {what} ({extra}), ratio to plain in the same place\n")
        print("| shape | " + " | ".join(places) + " |")
        print("|---|" + "---:|" * len(places))
        for shape in shapes:
            cells = []
            for place in places:
                if (place, shape, size) not in cell:
                    cells.append("")
                    continue
                v, e = cell[(place, shape, size)]
                plain = cell.get((place, "plain", size))
                ratio = v / plain[0] if plain else float("nan")
                if ratio > LIMIT:
                    ok = False
                    worst.append((ratio, shape, place, size))
                cells.append(f"{v:,.3f} ({e:,.3f}) **{ratio:,.1f}x**")
            print(f"| {shape} | " + " | ".join(cells) + " |")
    print()
    if kind == "jmh":
        print("JMH: the filter's own cost per shape (not gated; the 3x goal is checked by bench/hostile.sh)")
        return 0
    for ratio, shape, place, size in sorted(worst, reverse=True):
        print(f"FAIL: {shape} in {place} at {size:,}: {ratio:,.1f}x plain (limit {LIMIT:g}x)")
    print(f"{'PASS' if ok else 'FAIL'}: every shape within {LIMIT:g}x plain in the same place")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
