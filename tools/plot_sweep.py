#!/usr/bin/python3
"""Draw a sweep's efficiency map from `exobd summary --csv`.

usage: tools/plot_sweep.py RUN.combinations.csv [-o OUT.png]
                           [--metric efficiency|target_capture|delivered]

`exobd summary RUN.h5 --csv RUN.csv` writes RUN.combinations.csv for a
sweep: one row per combination with its swept settings and, per metric,
the mean and its 95% interval.  With two swept settings this draws a
heatmap of the metric over them (each cell labelled with its mean); with
one, the metric against it with its interval as error bars; with more, a
heatmap over the first two, the others held at their first value (and
said so in the title).  Uses Debian's python3-matplotlib (tools/install-deps.sh).
Exit status 0 on success, 2 for a file that is not a combinations CSV.
"""
import argparse
import csv
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

FIXED = ["combination", "replicates", "vesicles"]
UNITS = {"radius": "nm", "ligands.count": "copies", "cargo.amount": ""}
TITLES = {"efficiency": "targeting efficiency (target / captured)",
          "target_capture": "captured at the target (of the vesicles)",
          "delivered": "cargo delivered at the target (of the injected)"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("-o", "--output")
    ap.add_argument("--metric", default="efficiency", choices=sorted(TITLES))
    a = ap.parse_args()
    try:
        rows = list(csv.DictReader(open(a.csv)))
    except OSError as e:
        print("plot_sweep.py: %s" % e, file=sys.stderr)
        return 2
    if not rows or a.metric not in rows[0] or "combination" not in rows[0]:
        print("plot_sweep.py: %s is not an exobd summary combinations CSV" % a.csv,
              file=sys.stderr)
        return 2
    cols = list(rows[0].keys())
    settings = cols[1:cols.index("replicates")]
    value = lambda r, k: float(r[k])
    out = a.output or a.csv.rsplit(".csv", 1)[0] + "." + a.metric + ".png"
    fig, ax = plt.subplots(figsize=(7, 5))
    title = TITLES[a.metric]
    if len(settings) == 1:
        s = settings[0]
        rows.sort(key=lambda r: value(r, s))
        x = np.array([value(r, s) for r in rows])
        y = np.array([value(r, a.metric) for r in rows])
        lo = np.array([value(r, a.metric + "_lo") for r in rows])
        hi = np.array([value(r, a.metric + "_hi") for r in rows])
        ax.errorbar(x, y, yerr=[np.nan_to_num(y - lo), np.nan_to_num(hi - y)], marker="o",
                    capsize=3)
        ax.set_xlabel("%s (%s)" % (s, UNITS.get(s, "")))
        ax.set_ylabel(a.metric)
    else:
        sx, sy = settings[1], settings[0]
        held = {k: value(rows[0], k) for k in settings[2:]}
        rows = [r for r in rows if all(value(r, k) == v for k, v in held.items())]
        xs = sorted({value(r, sx) for r in rows})
        ys = sorted({value(r, sy) for r in rows})
        grid = np.full((len(ys), len(xs)), np.nan)
        for r in rows:
            grid[ys.index(value(r, sy)), xs.index(value(r, sx))] = value(r, a.metric)
        im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
        fig.colorbar(im, ax=ax, label=a.metric)
        ax.set_xticks(range(len(xs)), ["%.4g" % v for v in xs])
        ax.set_yticks(range(len(ys)), ["%.4g" % v for v in ys])
        ax.set_xlabel("%s (%s)" % (sx, UNITS.get(sx, "")))
        ax.set_ylabel("%s (%s)" % (sy, UNITS.get(sy, "")))
        for i in range(len(ys)):
            for j in range(len(xs)):
                if not np.isnan(grid[i, j]):
                    ax.text(j, i, "%.3g" % grid[i, j], ha="center", va="center",
                            color="w", fontsize="small")
        if held:
            title += " (" + ", ".join("%s = %g" % kv for kv in held.items()) + ")"
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
