#!/usr/bin/python3
"""Draw the observables of an exobd output file to PNG.

usage: tools/plot_observables.py OUT.h5 [-o OUT.png] [--only NAME[,NAME...]]

Panels: vesicles per state over time; per vessel region, bound and
internalized vesicles (the targeting picture: target against off-target);
bonds per bound vesicle per region; and, when the run recorded events, the
cumulative bindings, unbindings and internalizations, and the cargo dose
delivered in all and per region.  Uses Debian's
python3-h5py and python3-matplotlib (tools/install-deps.sh installs them).
Exit status 0 on success, 2 for a file that is not an exobd output.
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

STATES = ["inactive", "free", "bound", "internalized", "absorbed", "exited", "cleared"]


def label(ax, title, ylabel):
    ax.set_title(title)
    ax.set_xlabel("time (s)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")


def series(f, name):
    g = f["observables"][name]
    return g["time"][:], g["value"][:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output", help="PNG to write (default: OUT.observables.png)")
    ap.add_argument("--only", help="comma-separated observables for the first panel")
    a = ap.parse_args()
    try:
        f = h5py.File(a.file, "r")
        obs = f["observables"]
    except (OSError, KeyError) as e:
        print(f"plot_observables: {a.file}: not an exobd output ({e})", file=sys.stderr)
        return 2
    names = list(obs.keys())
    regions = sorted({n[: -len("_bound")] for n in names if n.endswith("_bound")})
    has_events = "events" in f
    doses = [n for n in names if n == "dose" or (n.endswith("_dose") and n[:-5] in regions)]
    panels = (1 + (1 if regions else 0) + (1 if regions else 0) + (1 if has_events else 0) +
              (1 if doses else 0))
    fig, axes = plt.subplots(panels, 1, figsize=(8, 3.2 * panels), squeeze=False)
    axes = axes[:, 0]
    title = f["parameters/exobd"].attrs.get("name", a.file) if "parameters/exobd" in f else a.file

    ax = axes[0]
    wanted = a.only.split(",") if a.only else [s for s in STATES if s in names]
    for n in wanted:
        if n not in names:
            print(f"plot_observables: no observable '{n}' (have: {', '.join(names)})",
                  file=sys.stderr)
            return 2
        t, v = series(f, n)
        if a.only or v.max() > 0:
            ax.plot(t, v, label=n)
    label(ax, f"{title}: vesicles per state", "vesicles")

    k = 1
    if regions:
        ax = axes[k]
        for r in regions:
            t, b = series(f, r + "_bound")
            line = ax.plot(t, b, label=f"{r} bound")[0]
            if r + "_internalized" in names:
                t, i = series(f, r + "_internalized")
                ax.plot(t, i, "--", color=line.get_color(), label=f"{r} internalized")
        label(ax, "per region: bound (solid) and internalized (dashed)", "vesicles")
        k += 1
        ax = axes[k]
        for r in regions:
            if r + "_bonds" not in names:
                continue
            t, b = series(f, r + "_bound")
            _, n = series(f, r + "_bonds")
            with np.errstate(invalid="ignore", divide="ignore"):
                ax.plot(t, np.where(b > 0, n / np.maximum(b, 1), np.nan), label=r)
        label(ax, "bonds per bound vesicle", "mean bonds")
        k += 1
    if has_events:
        ax = axes[k]
        for kind in ("binding", "unbinding", "internalization"):
            if kind in f["events"]:
                t = np.sort(f["events"][kind]["time"][:])
                ax.step(t, np.arange(1, len(t) + 1), where="post", label=kind)
        label(ax, "events, cumulative", "events")
        k += 1
    if doses:
        ax = axes[k]
        for n in doses:
            t, d = series(f, n)
            ax.plot(t, d, label=n)
        label(ax, "cargo delivered (internalized vesicles)", "dose (cargo units)")

    fig.tight_layout()
    out = a.output or (a.file[:-3] if a.file.endswith(".h5") else a.file) + ".observables.png"
    fig.savefig(out, dpi=100)
    print(f"plot_observables: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
