#!/usr/bin/python3
"""Draw a sweep's efficiency map from `exobd summary --csv`.

usage: tools/plot_sweep.py RUN.combinations.csv... [-o OUT.png]
                           [--metric efficiency|target_capture|delivered]

`exobd summary RUN.h5 --csv RUN.csv` writes RUN.combinations.csv for a
sweep: one row per combination with its swept settings and, per metric,
the mean and its 95% interval.  The runs of a sweep.sequence each write
their own, with the run's sequence settings as columns (after `run`); give
them all and their rows are drawn together, so a heatmap can span a swept
setting and a sequence one (radius by flow speed).  With two settings this
draws a heatmap of the metric over them (each cell labelled with its mean);
with one, the metric against it with its interval as error bars; with
more, a heatmap over the first two, the others held at their first value
(and said so in the title).  Settings given as text with units ("1 mm/s")
keep the order of the runs.  Uses Debian's python3-matplotlib
(tools/install-deps.sh).  Exit status 0 on success, 2 for a file that is
not a combinations CSV.
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


def number_or_text(v):
    try:
        return float(v)
    except ValueError:
        return v


def ordered(values):
    """The distinct values: numbers ascending, text in order of appearance."""
    seen = list(dict.fromkeys(values))
    return sorted(seen) if all(isinstance(v, float) for v in seen) else seen


def label(v):
    return "%.4g" % v if isinstance(v, float) else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="+")
    ap.add_argument("-o", "--output")
    ap.add_argument("--metric", default="efficiency", choices=sorted(TITLES))
    a = ap.parse_args()
    rows, cols = [], None
    for path in a.csv:
        try:
            these = list(csv.DictReader(open(path)))
        except OSError as e:
            print("plot_sweep.py: %s" % e, file=sys.stderr)
            return 2
        if (not these or a.metric not in these[0] or "combination" not in these[0]
                or "replicates" not in these[0]):
            print("plot_sweep.py: %s is not an exobd summary combinations CSV" % path,
                  file=sys.stderr)
            return 2
        if cols is not None and list(these[0].keys()) != cols:
            print("plot_sweep.py: %s has other columns than %s" % (path, a.csv[0]),
                  file=sys.stderr)
            return 2
        cols = list(these[0].keys())
        rows += these
    settings = [c for c in cols[1:cols.index("replicates")] if c != "run"]
    if not settings:
        print("plot_sweep.py: %s varies no setting" % a.csv[0], file=sys.stderr)
        return 2
    value = lambda r, k: number_or_text(r[k])
    metric = lambda r, k: float(r[k])
    out = a.output or a.csv[0].rsplit(".csv", 1)[0] + "." + a.metric + ".png"
    fig, ax = plt.subplots(figsize=(7, 5))
    title = TITLES[a.metric]
    if len(settings) == 1:
        s = settings[0]
        xs = ordered([value(r, s) for r in rows])
        rows.sort(key=lambda r: xs.index(value(r, s)))
        x = np.array([xs.index(value(r, s)) for r in rows], dtype=float)
        if all(isinstance(v, float) for v in xs):
            x = np.array([value(r, s) for r in rows])
        else:
            ax.set_xticks(range(len(xs)), [label(v) for v in xs])
        y = np.array([metric(r, a.metric) for r in rows])
        lo = np.array([metric(r, a.metric + "_lo") for r in rows])
        hi = np.array([metric(r, a.metric + "_hi") for r in rows])
        ax.errorbar(x, y, yerr=[np.nan_to_num(y - lo), np.nan_to_num(hi - y)], marker="o",
                    capsize=3)
        ax.set_xlabel("%s (%s)" % (s, UNITS.get(s, "")) if s in UNITS else s)
        ax.set_ylabel(a.metric)
    else:
        sx, sy = settings[1], settings[0]
        held = {k: value(rows[0], k) for k in settings[2:]}
        rows = [r for r in rows if all(value(r, k) == v for k, v in held.items())]
        xs = ordered([value(r, sx) for r in rows])
        ys = ordered([value(r, sy) for r in rows])
        grid = np.full((len(ys), len(xs)), np.nan)
        for r in rows:
            grid[ys.index(value(r, sy)), xs.index(value(r, sx))] = metric(r, a.metric)
        im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
        fig.colorbar(im, ax=ax, label=a.metric)
        ax.set_xticks(range(len(xs)), [label(v) for v in xs])
        ax.set_yticks(range(len(ys)), [label(v) for v in ys])
        ax.set_xlabel("%s (%s)" % (sx, UNITS[sx]) if sx in UNITS else sx)
        ax.set_ylabel("%s (%s)" % (sy, UNITS[sy]) if sy in UNITS else sy)
        for i in range(len(ys)):
            for j in range(len(xs)):
                if not np.isnan(grid[i, j]):
                    ax.text(j, i, "%.3g" % grid[i, j], ha="center", va="center",
                            color="w", fontsize="small")
        if held:
            title += " (" + ", ".join("%s = %s" % (k, label(v)) for k, v in held.items()) + ")"
    ax.set_title(title, fontsize="medium", wrap=True)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
