#!/usr/bin/python3
"""Check an exobd XDMF sidecar against the HDF5 file(s) it names.

Usage: check_xdmf.py OUT.xdmf

What ParaView 5.11's readers need (docs/output.md, DESIGN.md section 6), each
checked here:
  - well-formed XML, <Xdmf> root with one <Domain>;
  - every DataItem with Format="HDF" names FILE:/path, FILE relative to the
    .xdmf's folder; the dataset exists, its shape equals Dimensions exactly
    (a larger Dimensions crashes XDMFReader) and its dtype agrees with
    NumberType/Precision; a virtual dataset's sources exist;
  - every Uniform grid has one <Time Value=...>, strictly increasing over
    the temporal collection, and no TimeType="List" (aborts Xdmf3 readers);
  - Geometry is XYZ (X_Y_Z gives 0 points in Xdmf3) with N x 3 items;
  - Topology is Polyvertex with a DataItem (explicit connectivity), and
    NumberOfElements equals the number of points;
  - each node-centred Attribute has one value (row) per point.

Prints "ok: N frames" and exits 0, or prints every problem and exits 1.
Exits 77 (ctest's skip code) when h5py or numpy cannot be imported; they
come from Debian's python3-h5py and python3-numpy, so run it with
/usr/bin/python3.
"""
import os
import sys
import xml.etree.ElementTree as ET

try:
    import h5py
    import numpy  # noqa: F401  (h5py needs it; named in the skip message)
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skip: {e} (interpreter {sys.executable}; install python3-h5py)")
    sys.exit(77)

# (NumberType, Precision) -> numpy (kind, itemsize).  XDMF defaults:
# NumberType Float, Precision 4 (1 for Char and UChar).
XDMF_TYPES = {
    ("Float", 4): ("f", 4), ("Float", 8): ("f", 8),
    ("Int", 1): ("i", 1), ("Int", 2): ("i", 2),
    ("Int", 4): ("i", 4), ("Int", 8): ("i", 8),
    ("UInt", 1): ("u", 1), ("UInt", 2): ("u", 2),
    ("UInt", 4): ("u", 4), ("UInt", 8): ("u", 8),
    ("Char", 1): ("i", 1), ("UChar", 1): ("u", 1),
}


class Checker:
    def __init__(self, xdmf_path):
        self.xdmf_path = xdmf_path
        self.folder = os.path.dirname(os.path.abspath(xdmf_path))
        self.problems = []
        self.files = {}

    def problem(self, text):
        self.problems.append(text)

    def close(self):
        for f in self.files.values():
            if f is not None:
                f.close()

    def h5file(self, name):
        path = os.path.normpath(os.path.join(self.folder, name))
        if path not in self.files:
            try:
                self.files[path] = h5py.File(path, "r")
            except OSError as e:
                self.problem(f"cannot open HDF5 file {name} (as {path}): {e}")
                self.files[path] = None
        return self.files[path]

    def data_item(self, item, where):
        """Check one DataItem; return its Dimensions as a tuple or None."""
        try:
            dims = tuple(int(d) for d in item.get("Dimensions", "").split())
        except ValueError:
            self.problem(f"{where}: Dimensions=\"{item.get('Dimensions')}\""
                         " is not a list of integers")
            return None
        if not dims:
            self.problem(f"{where}: DataItem has no Dimensions")
            return None
        if item.get("Format", "XML") != "HDF":
            return dims
        text = (item.text or "").strip()
        fname, sep, dpath = text.partition(":")
        if not sep or not fname or not dpath.startswith("/"):
            self.problem(f"{where}: \"{text}\" is not FILE:/path")
            return dims
        f = self.h5file(fname)
        if f is None:
            return dims
        obj = f.get(dpath)
        if not isinstance(obj, h5py.Dataset):
            self.problem(f"{where}: {fname}:{dpath} is not a dataset")
            return dims
        if obj.shape != dims:
            self.problem(f"{where}: {fname}:{dpath} has shape {obj.shape},"
                         f" Dimensions say {dims}")
        ntype = item.get("NumberType", item.get("DataType", "Float"))
        default_precision = "1" if ntype in ("Char", "UChar") else "4"
        try:
            precision = int(item.get("Precision", default_precision))
        except ValueError:
            precision = -1
        want = XDMF_TYPES.get((ntype, precision))
        got = (obj.dtype.kind, obj.dtype.itemsize)
        if want is None:
            self.problem(f"{where}: NumberType={ntype} Precision={precision}"
                         " is not a numeric XDMF type")
        elif want != got:
            self.problem(f"{where}: {fname}:{dpath} is {obj.dtype},"
                         f" DataItem says NumberType={ntype}"
                         f" Precision={precision}")
        if obj.is_virtual:
            self.virtual_sources(f, fname, dpath, obj, where)
        return dims

    def virtual_sources(self, f, fname, dpath, obj, where):
        for src in obj.virtual_sources():
            if src.file_name == ".":
                sf = f
            else:
                sf = self.h5file(os.path.join(
                    os.path.dirname(fname), src.file_name))
            if sf is not None and not isinstance(sf.get(src.dset_name),
                                                 h5py.Dataset):
                self.problem(f"{where}: virtual {fname}:{dpath} maps"
                             f" {src.file_name}:{src.dset_name},"
                             " which does not exist")

    def grid(self, grid, where):
        """Check a Uniform grid; return its time value or None."""
        times = grid.findall("Time")
        time = None
        if len(times) != 1:
            self.problem(f"{where}: {len(times)} <Time> elements, expected 1")
        else:
            t = times[0]
            if t.get("TimeType", "Single") != "Single":
                self.problem(f"{where}: TimeType=\"{t.get('TimeType')}\""
                             " (only a single Value per grid loads in Xdmf3)")
            try:
                time = float(t.get("Value"))
            except (TypeError, ValueError):
                self.problem(f"{where}: <Time> has no numeric Value")

        n_points = None
        geoms = grid.findall("Geometry")
        if len(geoms) != 1:
            self.problem(f"{where}: {len(geoms)} <Geometry>, expected 1")
        else:
            g = geoms[0]
            gtype = g.get("GeometryType", g.get("Type", "XYZ"))
            if gtype != "XYZ":
                self.problem(f"{where}: GeometryType={gtype}, expected XYZ")
            items = g.findall("DataItem")
            if len(items) != 1:
                self.problem(f"{where}: Geometry has {len(items)} DataItems")
            else:
                dims = self.data_item(items[0], f"{where} Geometry")
                if dims is not None:
                    if len(dims) != 2 or dims[1] != 3:
                        self.problem(f"{where}: Geometry Dimensions {dims},"
                                     " expected (N, 3)")
                    n_points = dims[0]

        topos = grid.findall("Topology")
        if len(topos) != 1:
            self.problem(f"{where}: {len(topos)} <Topology>, expected 1")
        else:
            t = topos[0]
            ttype = t.get("TopologyType", t.get("Type"))
            if ttype != "Polyvertex":
                self.problem(f"{where}: TopologyType={ttype},"
                             " expected Polyvertex")
            items = t.findall("DataItem")
            if len(items) != 1:
                self.problem(f"{where}: Topology has {len(items)} DataItems"
                             " (Polyvertex needs explicit connectivity)")
            else:
                dims = self.data_item(items[0], f"{where} Topology")
                if n_points is not None and dims is not None \
                        and dims != (n_points,):
                    self.problem(f"{where}: Topology Dimensions {dims},"
                                 f" expected ({n_points},)")
            ne = t.get("NumberOfElements")
            if n_points is not None and ne != str(n_points):
                self.problem(f"{where}: NumberOfElements={ne},"
                             f" expected {n_points}")

        for a in grid.findall("Attribute"):
            name = a.get("Name", "?")
            items = a.findall("DataItem")
            if len(items) != 1:
                self.problem(f"{where} Attribute {name}: {len(items)}"
                             " DataItems, expected 1")
                continue
            dims = self.data_item(items[0], f"{where} Attribute {name}")
            if dims is None or n_points is None:
                continue
            if a.get("Center", "Node") == "Node" and dims[0] != n_points:
                self.problem(f"{where} Attribute {name}: {dims[0]} values"
                             f" for {n_points} points")
            if a.get("AttributeType", "Scalar") == "Vector" \
                    and dims[1:] != (3,):
                self.problem(f"{where} Attribute {name}: Vector with"
                             f" Dimensions {dims}")
        return time

    def run(self):
        try:
            root = ET.parse(self.xdmf_path).getroot()
        except (ET.ParseError, OSError) as e:
            self.problem(f"{self.xdmf_path}: not well-formed XML: {e}")
            return 0
        if root.tag != "Xdmf":
            self.problem(f"root element is <{root.tag}>, expected <Xdmf>")
        domains = root.findall("Domain")
        if len(domains) != 1:
            self.problem(f"{len(domains)} <Domain> elements, expected 1")
            return 0
        collections = domains[0].findall("Grid")
        if len(collections) != 1 \
                or collections[0].get("GridType") != "Collection" \
                or collections[0].get("CollectionType") != "Temporal":
            self.problem("the Domain must hold one Grid with"
                         " GridType=\"Collection\" CollectionType=\"Temporal\"")
            return 0
        frames = 0
        last = None
        for grid in collections[0].findall("Grid"):
            where = f"grid {grid.get('Name', frames)}"
            if grid.get("GridType", "Uniform") != "Uniform":
                self.problem(f"{where}: GridType={grid.get('GridType')},"
                             " expected Uniform")
                continue
            time = self.grid(grid, where)
            if time is not None:
                if last is not None and not time > last:
                    self.problem(f"{where}: Time {time!r} does not increase"
                                 f" (previous {last!r})")
                last = time
            frames += 1
        return frames


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} OUT.xdmf", file=sys.stderr)
        return 2
    checker = Checker(argv[1])
    try:
        frames = checker.run()
    finally:
        checker.close()
    if checker.problems:
        for p in checker.problems:
            print(f"{argv[1]}: {p}")
        print(f"FAIL: {len(checker.problems)} problems")
        return 1
    print(f"ok: {frames} frames")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
