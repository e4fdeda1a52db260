# cli_setup.sh - sourced by the end-to-end CLI tests that need h5py and an
# OpenCL device: `. "$(dirname "$0")/cli_setup.sh" "$@"` with EXOBD and
# SOURCE_DIR as the script's arguments.  Sets EXOBD (absolute), SRC, PY,
# and a fresh work folder WORK (mktemp -d, removed on exit) as the current
# directory; defines ok/bad, which count failures in $fails.  Skips (exit
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
