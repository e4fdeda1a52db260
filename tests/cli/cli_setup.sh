# cli_setup.sh - sourced by the end-to-end CLI tests that need h5py and an
# OpenCL device: `. "$(dirname "$0")/cli_setup.sh" "$@"` with EXOBD and
# SOURCE_DIR as the script's arguments.  Sets EXOBD (absolute), SRC, PY,
# and a fresh work folder WORK (mktemp -d, removed on exit) as the current
# directory; defines ok/bad, which count failures in $fails,
# binding_capillary and THREE_POPULATIONS.  Skips (exit
# 77) without h5py or without an OpenCL device.
set -u
EXOBD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd) || exit 1
PY=/usr/bin/python3
$PY -c 'import h5py, numpy' 2>/dev/null || { echo "skip: $PY cannot import h5py"; exit 77; }
"$EXOBD" devices >/dev/null 2>&1 || { echo "skip: no OpenCL device"; exit 77; }
WORK=$(mktemp -d) || exit 1
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Three populations for binding_capillary: one that starts in the capillary
# with cargo, one infused, one with many ligands; 20004 vesicles, so batch
# and rank boundaries fall inside populations.  The tests of batches and of
# MPI ranks run them.
THREE_POPULATIONS='
    { name = "a"; count = 7001; radius = "50 nm"; ligands = { type = "L"; count = 200; };
      start = { region = "cap"; }; cargo = { amount = 1.0; }; },
    { name = "b"; count = 5003; radius = "40 nm"; ligands = { type = "L"; count = 50; };
      infusion = { rate = "1e5 /s"; }; },
    { name = "c"; count = 8000; radius = "60 nm"; ligands = { type = "L"; count = 300; };
      start = { region = "cap"; }; }'

# binding_capillary NAME SEED STEPS EVERY VESICLES > FILE: a scenario of a
# periodic 1-um capillary whose middle third binds (ligand L, receptor R,
# internalisation), with flow, the vesicle list VESICLES (libconfig text),
# STEPS of 20 us, a frame every EVERY steps and observables every 10.  The
# tests of checkpoints, crashes and batches run it, since it has events,
# receptor depletion, uptake and cargo: every kind of accumulated state.
binding_capillary() {
    cat <<CFG
name = "$1";
seed = $2;
simulation = { dt = "20 us"; steps = $3; receptor_update_every = 40; };
medium = { viscosity = "1.2 mPa s"; };
surfaces = ( { name = "tumour"; behaviour = "bind"; patches = [4, 4];
               receptors = ( { type = "R"; density = "12.7 /um^2"; } );
               internalization = { rate = "5 /s"; }; } );
binding = ( { ligand = "L"; receptor = "R"; k_on = "200 um^2/s";
              k_off = "20 /s"; bond_length = "10 nm"; } );
vesicles = ( $5 );
geometry = { vessels = ( { name = "cap"; radius = "1 um"; length = "6 um";
             origin = [0.0, 0.0, 0.0]; axis = "z"; ends = "periodic";
             regions = ( { name = "t"; from = 2.0; to = 4.0; wall = "tumour"; } );
             flow = { mean_velocity = "200 um/s"; }; } ); };
output = { file = "out.h5"; every = $4; observables_every = 10;
           fields = ["position", "state", "bonds"]; };
CFG
}
