#!/usr/bin/env bash
# What the tests use beyond Node: Debian's python3 with numpy writes the reference pickles that the
# ChaLearn loader is tested against; a PyTorch venv (python3-venv, scripts/torch-venv.sh) writes the SphereFace-20
# files the weight import is tested against; ImageMagick and exiftool make the photographs predict is
# tested on; pip, g++ and make build the native TensorFlow engine (persemon backends install node);
# slurm-wlm is the real Slurm (slurmctld, slurmd, sbatch, squeue, scontrol) that `persemon sweep --to slurm` is tested against.
# (The editor end-to-end test installs its own: test/e2e/setup.sh.)
set -euo pipefail
missing=()
for pkg in python3 python3-numpy python3-venv python3-pip g++ make imagemagick libimage-exiftool-perl slurm-wlm; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "test dependencies: python3 (numpy, venv, pip), g++, make, imagemagick, exiftool and slurm-wlm present"
bash "$(dirname "$0")/torch-venv.sh"
