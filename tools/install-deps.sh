#!/usr/bin/env bash
# Installs the Debian packages exobd needs to build, run and test, and says
# which ones it installs.  Packages already present are left alone.
# Needs root (or sudo) only when something is missing.
#   --mpi   also what the MPI build (EXOBD_MPI) needs: Open MPI and the
#           HDF5 built on it (docs/cluster.md)
set -euo pipefail

packages=(
  gcc make cmake pkg-config          # compiler and build
  ocl-icd-opencl-dev opencl-headers  # OpenCL through the ICD loader
  pocl-opencl-icd                    # PoCL: an OpenCL CPU device
  libhdf5-dev                        # HDF5 (H5MD output)
  libconfig-dev                      # libconfig (scenario files)
  librandom123-dev                   # Random123 (tests cross-check Philox)
  python3 python3-h5py python3-numpy # tests: XDMF/HDF5 checks
  python3-matplotlib                 # tools/plot_observables.py
)
if [ "${1:-}" = "--mpi" ]; then
  packages+=(
    openmpi-bin libopenmpi-dev         # MPI (mpirun, mpicc)
    libhdf5-openmpi-dev                # parallel HDF5 (one file from all ranks)
  )
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-deps: not root and no sudo; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
echo "install-deps: done"
