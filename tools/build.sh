#!/usr/bin/env bash
# Installs missing dependencies (tools/install-deps.sh), then configures and
# builds exobd in ./build (or $1).  Extra arguments go to cmake; with
# -DEXOBD_MPI=ON the MPI build's packages are installed too:
#   ./tools/build.sh build-mpi -DEXOBD_MPI=ON
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
mpi=""
for a in "$@"; do
  case "$a" in -DEXOBD_MPI=ON|-DEXOBD_MPI=1|-DEXOBD_MPI=TRUE) mpi="--mpi" ;; esac
done
"$root/tools/install-deps.sh" $mpi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
