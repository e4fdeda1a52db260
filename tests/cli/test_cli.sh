#!/bin/bash
# test_cli.sh EXOBD SOURCE_DIR - the exobd program end to end (ctest label "cli").
#
# Runs the binary as a user would, in a fresh mktemp -d folder, and checks
# exit statuses (0 success, 1 runtime failure, 2 bad input; DESIGN.md
# section 5), the words of the messages and the files a run writes.  Each
# check prints one line; the first mismatch prints the expected and actual
# values with the command's stdout and stderr and exits 1.  The parts that
# need an OpenCL device are skipped (with a message) when `exobd devices`
# fails; the cpu-reference parts always run.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 EXOBD SOURCE_DIR" >&2
    exit 2
fi
# Absolute paths: the checks run in a temporary folder.
EXOBD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd) || exit 1
DEMO=$SRC/scenarios/free_diffusion.cfg
[ -x "$EXOBD" ] || { echo "FAIL: $EXOBD is not an executable"; exit 1; }
[ -r "$DEMO" ] || { echo "FAIL: $DEMO is not readable"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/exobd_cli.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
OUT=$WORK/stdout.txt
ERR=$WORK/stderr.txt
passed=0
status=0
what=""

# A small run of the demo: a few thousand vesicles, a few frames.
SMALL=(--set 'vesicles.[0].count=2000' --set simulation.steps=20
       --set output.every=10 --set output.sample=2000 --quiet)

check() { what=$1; }
run() {
    "$@" >"$OUT" 2>"$ERR"
    status=$?
}
fail() {
    echo "FAIL: $what: $*"
    echo "--- stdout:"; cat "$OUT"
    echo "--- stderr:"; cat "$ERR"
    echo "$passed passed, 1 failed"
    exit 1
}
ok() {
    passed=$((passed + 1))
    echo "ok: $what"
}
expect_status() {
    [ "$status" -eq "$1" ] || fail "exit status: expected $1, got $status"
}
expect_stdout() {
    grep -qF -- "$1" "$OUT" || fail "stdout: expected text containing '$1', got the stdout below"
}
expect_stderr() {
    grep -qF -- "$1" "$ERR" || fail "stderr: expected text containing '$1', got the stderr below"
}
expect_png() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
        fail "$1 is not a PNG"
}
expect_file() {
    [ -s "$1" ] || fail "expected a non-empty file $1, got: $(ls -l "$1" 2>&1)"
}

# h5py (Debian's python3-h5py) is needed by check_xdmf.py.
if /usr/bin/python3 -c 'import h5py, numpy' >/dev/null 2>&1; then
    have_h5py=1
else
    have_h5py=0
fi
# The XDMF sidecar of a run against its HDF5 file, as ParaView reads it.
# Returns 1 (after saying so) when it has to be skipped.
check_xdmf() {
    if [ "$have_h5py" -eq 0 ]; then
        echo "skip: $what: /usr/bin/python3 cannot import h5py"
        return 1
    fi
    /usr/bin/python3 "$SRC/tests/tools/check_xdmf.py" "$1" >"$OUT" 2>"$ERR"
    status=$?
    [ "$status" -eq 0 ] || fail "check_xdmf.py $1: expected exit 0, got $status"
    expect_stdout "ok: 3 frames"
}

# ------------------------------------------------------------ usage
check "exobd --help: exit 0, names run, check and devices"
run "$EXOBD" --help
expect_status 0
expect_stdout "exobd run SCENARIO.cfg"
expect_stdout "exobd check SCENARIO.cfg"
expect_stdout "exobd devices"
expect_stdout "exit status: 0 success, 1 runtime failure, 2 bad input"
ok

check "exobd --version: exit 0, prints 'exobd X.Y.Z'"
run "$EXOBD" --version
expect_status 0
grep -qE '^exobd [0-9]+\.[0-9]+\.[0-9]+$' "$OUT" ||
    fail "stdout: expected a line 'exobd X.Y.Z', got '$(cat "$OUT")'"
ok

check "exobd with no arguments: exit 2"
run "$EXOBD"
expect_status 2
expect_stderr "missing command"
expect_stderr "exobd --help"
ok

check "exobd frobnicate (unknown command): exit 2"
run "$EXOBD" frobnicate
expect_status 2
expect_stderr "unknown command 'frobnicate'"
ok

check "exobd check --frobnicate (unknown option): exit 2"
run "$EXOBD" check --frobnicate "$DEMO"
expect_status 2
expect_stderr "unknown option '--frobnicate'"
ok

check "exobd run --frobnicate (unknown option): exit 2"
run "$EXOBD" run "$DEMO" --frobnicate
expect_status 2
expect_stderr "unknown option '--frobnicate'"
ok

check "exobd run --vector-width 3 (not 1, 2, 4, 8 or 16): exit 2"
run "$EXOBD" run "$DEMO" --vector-width 3
expect_status 2
expect_stderr "--vector-width expects 1, 2, 4, 8 or 16, got '3'"
ok

check "exobd run --steps-per-launch 0: exit 2"
run "$EXOBD" run "$DEMO" --steps-per-launch 0
expect_status 2
expect_stderr "--steps-per-launch expects an integer"
ok

check "exobd check without a scenario: exit 2"
run "$EXOBD" check
expect_status 2
expect_stderr "needs a scenario file"
ok

check "exobd check with a run-only option (-o): exit 2"
run "$EXOBD" check "$DEMO" -o x.h5
expect_status 2
expect_stderr "applies to 'exobd run' only"
ok

# ------------------------------------------------------------ check
check "exobd check the demo: exit 0, D = 3.7862 um^2/s, rms step, memory, output size"
run "$EXOBD" check "$DEMO"
expect_status 0
grep -qE '^ *D +3\.7862 um\^2/s' "$OUT" ||
    fail "stdout: expected a line 'D  3.7862 um^2/s ...' (PHYSICS.md: 3.786e-12 m^2/s)"
expect_stdout "rms step"
expect_stdout "device memory"
expect_stdout "output size"
expect_stdout "free_diffusion.cfg: ok"
ok

check "exobd check --set 'simulation.dt=\"2 us\"' --seed 5: the overrides are used"
run "$EXOBD" check "$DEMO" --set 'simulation.dt="2 us"' --seed 5
expect_status 0
expect_stdout "dt = 2e-06 s"
grep -qE '^seed +5$' "$OUT" || fail "stdout: expected a line 'seed  5'"
ok

check "exobd check the capillary with a desorption rate: the probability, bound time, kappa/k"
run "$EXOBD" check "$SRC/scenarios/capillary_flow.cfg" --set 'surfaces.[0].desorption_rate="0.5 /s"'
expect_status 0
expect_stdout "desorption  k = 0.5 /s (mean bound time 2 s): P = 1 - exp(-k dt) = 5e-06 per step"
expect_stdout "kappa / k = 20 um"
ok

check "exobd run a capillary along an oblique axis: trajectory and vessel walls written"
run "$EXOBD" run "$SRC/scenarios/capillary_flow.cfg" -o "$WORK/oblique.h5" --device cpu-reference \
    --set 'geometry.vessels.[0].axis=[1.0, 1.0, 0.0]' --set 'vesicles.[0].count=500' \
    --set simulation.steps=20 --set output.every=10 --set output.sample=500 --quiet
expect_status 0
[ -s "$WORK/oblique.h5" ] && [ -s "$WORK/oblique.xdmf" ] || fail "no oblique.h5 / oblique.xdmf"
# The first wall point: R e1 with e1 = (1, -1, 0)/sqrt(2), R = 4 um, in nm.
grep -qx '2828.42712 -2828.42712 0' "$WORK/oblique.vessels.vtk" ||
    fail "oblique.vessels.vtk: expected the point 2828.42712 -2828.42712 0"
ok

check "exobd run the tumour scenario, then exobd summary: target vs off-target, CSV"
run "$EXOBD" run "$SRC/scenarios/tumor_vessel_targeting.cfg" -o "$WORK/tum.h5" \
    --set 'vesicles.[0].count=3000' --set simulation.steps=300 --set output.every=100 --quiet
expect_status 0
run "$EXOBD" summary "$WORK/tum.h5" --csv "$WORK/tum.csv"
expect_status 0
expect_stdout "target regions: tumour (the highest receptor density on its wall, 100 /um^2)"
expect_stdout "population rgd_exosomes: 3000 vesicles"
expect_stdout "dwell times"
head -1 "$WORK/tum.csv" | grep -qx 'population,region,target,vesicles,captured,bindings,unbindings,internalized,dose' ||
    fail "tum.csv: no CSV header"
ok

check "tools/plot_observables.py draws the tumour run's observables to a PNG"
if /usr/bin/python3 -c 'import h5py, matplotlib' >/dev/null 2>&1; then
    run /usr/bin/python3 "$SRC/tools/plot_observables.py" "$WORK/tum.h5" -o "$WORK/tum.png"
    expect_status 0
    expect_png "$WORK/tum.png"
    run /usr/bin/python3 "$SRC/tools/plot_observables.py" "$WORK/tum.csv"
    expect_status 2
    expect_stderr "not an exobd output"
    ok
else
    echo "skip: $what: /usr/bin/python3 cannot import h5py and matplotlib"
fi

check "a cargo spread: the run's dose observable equals the dose exobd summary works out from the events"
cat > "$WORK/spread.cfg" <<'CFG'
name = "spread"; seed = 5;
simulation = { dt = "100 us"; steps = 3000; };
surfaces = ( { name = "endo"; behaviour = "bind"; receptors = ( { type = "R"; density = "100 /um^2"; } );
               depletion = false; internalization = { rate = "20 /s"; }; } );
binding = ( { ligand = "L"; receptor = "R"; k_on = "1 um^2/s"; k_off = "1 /s"; bond_length = "10 nm"; } );
vesicles = ( { count = 2000; radius = "50 nm"; ligands = { type = "L"; count = 100; };
               cargo = { amount = 5.0; sd = 2.0; release_rate = 0.5; };
               start = { kind = "uniform"; region = "box"; lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 0.3]; }; } );
geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 1.0];
                     faces = ["periodic", "periodic", "periodic", "periodic", "endo", "reflect"]; }; };
output = { file = "spread.h5"; every = 1000; };
CFG
run "$EXOBD" run "$WORK/spread.cfg" -o "$WORK/spread.h5" --quiet
expect_status 0
run "$EXOBD" summary "$WORK/spread.h5"
expect_status 0
expect_stdout "cargo injected"
if /usr/bin/python3 -c 'import h5py' >/dev/null 2>&1; then
    obs=$(/usr/bin/python3 -c "import h5py; print('%.6g' % h5py.File('$WORK/spread.h5')['observables/dose/value'][-1])")
    sum=$(sed -n 's/^  delivery  target dose \([^,]*\), off-target \([^:]*\):.*/\1 \2/p' "$OUT" |
          awk '{ printf "%.6g", $1 + $2 }')
    [ -n "$obs" ] && [ "$obs" = "$sum" ] && [ "$obs" != 0 ] ||
        fail "dose: observable $obs, summary $sum"
    grep -q "cargo injected 10000$" "$OUT" && fail "the injected cargo ignores the spread"
fi
ok

check "scenarios/design_sweep.cfg, shortened: check prints the grid, summary --csv the combinations, plot_sweep.py a heatmap"
run "$EXOBD" check "$SRC/scenarios/design_sweep.cfg"
expect_status 0
expect_stdout "sweep         full grid: 20 combinations x 1 replicates"
expect_stdout "combination 19: radius = 75 nm ligands.count = 300 copies"
run "$EXOBD" run "$SRC/scenarios/design_sweep.cfg" -o "$WORK/ds.h5" --quiet \
    --set 'vesicles.[0].count=200' --set simulation.steps=400 --set output.every=200
expect_status 0
run "$EXOBD" summary "$WORK/ds.h5" --csv "$WORK/ds.csv"
expect_status 0
expect_stdout "sweep: per combination"
expect_stdout "population rgd_c19_r0: 200 vesicles"
[ "$(wc -l < "$WORK/ds.combinations.csv")" -eq 21 ] ||
    fail "ds.combinations.csv: expected a header and 20 rows"
head -1 "$WORK/ds.combinations.csv" | grep -q '^combination,radius,ligands.count,replicates,' ||
    fail "ds.combinations.csv: no header"
if /usr/bin/python3 -c 'import matplotlib' >/dev/null 2>&1; then
    run /usr/bin/python3 "$SRC/tools/plot_sweep.py" "$WORK/ds.combinations.csv" \
        --metric target_capture -o "$WORK/ds.png"
    expect_status 0
    expect_png "$WORK/ds.png"
    run /usr/bin/python3 "$SRC/tools/plot_sweep.py" "$WORK/ds.csv"
    expect_status 2
    expect_stderr "not an exobd summary combinations CSV"
fi
ok

check "a sweep.sequence: check loads every run, run writes OUT_run<S>.h5 each, sweep.run=S is run S, the summary and plot_sweep.py span the runs"
SEQ=(--set 'sweep.sequence=( { setting = "geometry.vessels.[0].flow.mean_velocity"; values = ["200 um/s", "1 mm/s"]; } )'
     --set 'vesicles.[0].count=100' --set simulation.steps=200 --set output.every=100)
run "$EXOBD" check "$SRC/scenarios/design_sweep.cfg" "${SEQ[@]}"
expect_status 0
expect_stdout "sequence      2 runs, one after another, each into OUT_run<S>.h5"
expect_stdout 'run 1: geometry.vessels.[0].flow.mean_velocity = "1 mm/s"'
expect_stdout "sequence: each of the 2 runs loads and checks"
run "$EXOBD" run "$SRC/scenarios/design_sweep.cfg" "${SEQ[@]}" -o "$WORK/sq.h5" --quiet
expect_status 0
[ -e "$WORK/sq_run0.h5" ] && [ -e "$WORK/sq_run1.h5" ] && [ -e "$WORK/sq_run1.xdmf" ] &&
    [ ! -e "$WORK/sq.h5" ] || fail "expected sq_run0.h5 and sq_run1.h5 (with sidecars) only"
run "$EXOBD" run "$SRC/scenarios/design_sweep.cfg" "${SEQ[@]}" --set sweep.run=1 \
    -o "$WORK/one.h5" --quiet
expect_status 0
[ -e "$WORK/one_run1.h5" ] || fail "sweep.run=1 -o one.h5: expected one_run1.h5"
if /usr/bin/python3 -c 'import h5py' >/dev/null 2>&1; then
    run /usr/bin/python3 "$SRC/tests/tools/compare_runs.py" "$WORK/sq_run1.h5" "$WORK/one_run1.h5"
    expect_status 0
fi
run "$EXOBD" summary "$WORK/sq_run1.h5" --csv "$WORK/sq_run1.csv"
expect_status 0
expect_stdout "sequence: run 1 of 2, with geometry.vessels.[0].flow.mean_velocity = 1 mm/s"
head -1 "$WORK/sq_run1.combinations.csv" |
    grep -q '^combination,radius,ligands.count,run,geometry.vessels.\[0\].flow.mean_velocity,replicates,' ||
    fail "sq_run1.combinations.csv: no run and sequence columns"
grep -q '^19,75,300,1,1 mm/s,1,100,' "$WORK/sq_run1.combinations.csv" ||
    fail "sq_run1.combinations.csv: no row of combination 19 in run 1"
if /usr/bin/python3 -c 'import matplotlib' >/dev/null 2>&1; then
    run "$EXOBD" summary "$WORK/sq_run0.h5" --csv "$WORK/sq_run0.csv"
    run /usr/bin/python3 "$SRC/tools/plot_sweep.py" "$WORK/sq_run0.combinations.csv" \
        "$WORK/sq_run1.combinations.csv" -o "$WORK/sq.png"
    expect_status 0
    expect_png "$WORK/sq.png"
fi
# a value that is wrong for run 1 stops the run before run 0 starts
run "$EXOBD" run "$SRC/scenarios/design_sweep.cfg" -o "$WORK/bad.h5" --quiet \
    --set 'sweep.sequence=( { setting = "geometry.vessels.[0].flow.mean_velocity"; values = ["200 um/s", "1 kg"]; } )'
expect_status 2
expect_stderr "sweep.sequence, run 1: geometry.vessels.[0].flow.mean_velocity=\"1 kg\""
[ ! -e "$WORK/bad_run0.h5" ] || fail "run 0 started although run 1 is bad input"
ok

check "exobd summary of a file that is not an output, and with a bad option: exit 2"
run "$EXOBD" summary "$WORK/tum.csv"
expect_status 2
expect_stderr "cannot open it as an HDF5 file"
run "$EXOBD" summary "$WORK/tum.h5" --colour
expect_status 2
expect_stderr "unknown option '--colour' for summary"
run "$EXOBD" summary "$WORK/tum.h5" --target liver
expect_status 2
expect_stderr "--target liver: no region of that name"
ok

check "exobd check a desorption rate too high for dt: a warning"
run "$EXOBD" check "$SRC/scenarios/capillary_flow.cfg" --set 'surfaces.[0].desorption_rate="1e5 /s"'
expect_status 0
expect_stdout "warning: desorption P > 0.2 per step at tumour_endothelium"
ok

check "exobd check a scenario that does not exist: exit 2"
run "$EXOBD" check "$WORK/none.cfg"
expect_status 2
expect_stderr "cannot read scenario '$WORK/none.cfg'"
ok

# A copy of the demo with a typo in a key.
sed 's/^\( *\)radius = /\1raduis = /' "$DEMO" >typo.cfg
typo_line=$(grep -n 'raduis' typo.cfg | head -n 1 | cut -d: -f1)
check "the typo copy has one 'raduis' line"
[ -n "$typo_line" ] || fail "sed did not change 'radius' in $DEMO"
ok

check "exobd check typo.cfg: exit 2, names typo.cfg:$typo_line and 'raduis'"
run "$EXOBD" check typo.cfg
expect_status 2
expect_stderr "typo.cfg:$typo_line:"
expect_stderr "'vesicles.[0].raduis'"
expect_stderr "unknown setting"
expect_stderr "did you mean 'radius'"
ok

check "exobd run typo.cfg: exit 2, names typo.cfg:$typo_line and 'raduis'"
run "$EXOBD" run typo.cfg --device cpu-reference --quiet
expect_status 2
expect_stderr "typo.cfg:$typo_line:"
expect_stderr "'vesicles.[0].raduis'"
[ ! -e free_diffusion.h5 ] || fail "a rejected scenario wrote free_diffusion.h5"
ok

check "exobd check --set with an unknown key: exit 2, names the --set"
run "$EXOBD" check "$DEMO" --set 'vesicles.[0].raduis=5'
expect_status 2
expect_stderr "--set vesicles.[0].raduis=5"
expect_stderr "unknown setting"
ok

check "exobd check --set without '=': exit 2"
run "$EXOBD" check "$DEMO" --set simulation.dt
expect_status 2
expect_stderr "--set expects PATH=VALUE"
ok

check "exobd check --set simulation.dt=-1: exit 2, names the --set"
run "$EXOBD" check "$DEMO" --set simulation.dt=-1
expect_status 2
expect_stderr "--set simulation.dt=-1"
expect_stderr "must be > 0"
ok

# ------------------------------------------------------------ devices
check "exobd devices"
run "$EXOBD" devices
if [ "$status" -eq 0 ]; then
    opencl=1
    expect_stdout "cpu-reference"
    ok
else
    opencl=0
    echo "skip: exobd devices exits $status (no OpenCL device): $(head -c 300 "$ERR")"
    echo "skip: the OpenCL parts below; the cpu-reference parts still run"
fi

# ------------------------------------------------------------ runs
mkdir -p out ref default

if [ "$opencl" -eq 1 ]; then
    check "exobd run (default OpenCL device), small: exit 0, writes run.h5 and run.xdmf"
    run "$EXOBD" run "$DEMO" "${SMALL[@]}" -o "$WORK/out/run.h5"
    expect_status 0
    expect_file out/run.h5
    expect_file out/run.xdmf
    ok

    check "check_xdmf.py out/run.xdmf (3 frames: steps 0, 10, 20)"
    check_xdmf "$WORK/out/run.xdmf" && ok

    check "exobd run --device nosuchdevice: exit 2"
    run "$EXOBD" run "$DEMO" "${SMALL[@]}" -o "$WORK/out/x.h5" --device nosuchdevice
    expect_status 2
    expect_stderr "nosuchdevice"
    ok
fi

check "exobd run --device cpu-reference, small: exit 0, writes run.h5 and run.xdmf"
run "$EXOBD" run "$DEMO" "${SMALL[@]}" -o "$WORK/ref/run.h5" --device cpu-reference
expect_status 0
expect_file ref/run.h5
expect_file ref/run.xdmf
ok

check "check_xdmf.py ref/run.xdmf (3 frames: steps 0, 10, 20)"
check_xdmf "$WORK/ref/run.xdmf" && ok

check "exobd run without -o writes output.file (free_diffusion.h5) in the working folder"
(cd default && "$EXOBD" run "$DEMO" "${SMALL[@]}" --device cpu-reference) >"$OUT" 2>"$ERR"
status=$?
expect_status 0
expect_file default/free_diffusion.h5
expect_file default/free_diffusion.xdmf
ok

check "exobd run -o /nonexistent/dir/x.h5: exit 2, names the path"
run "$EXOBD" run "$DEMO" "${SMALL[@]}" -o /nonexistent/dir/x.h5 --device cpu-reference
expect_status 2
expect_stderr "/nonexistent/dir/x.h5"
ok

check "exobd run -o with a name that is not UTF-8: exit 2, says why, writes nothing"
run "$EXOBD" run "$DEMO" "${SMALL[@]}" -o $'bad\xff\xfename.h5' --device cpu-reference
expect_status 2
expect_stderr "is not valid UTF-8"
[ -z "$(ls | grep -a 'bad.*name')" ] || { echo "FAIL: $what: a file was written"; exit 1; }
ok

check "exobd run -o with a 5000-character name: exit 2, names the problem"
long=$(printf 'a%.0s' $(seq 5000))
run "$EXOBD" run "$DEMO" "${SMALL[@]}" -o "$long.h5" --device cpu-reference
expect_status 2
expect_stderr "File name too long"
ok

check "exobd run --set name=<5000 characters>: exit 2, names the setting"
run "$EXOBD" run "$DEMO" "${SMALL[@]}" --set "name=\"$long\"" --device cpu-reference
expect_status 2
expect_stderr "setting 'name': expected 1 to 63 letters"
ok

echo "$passed passed, 0 failed"
exit 0
