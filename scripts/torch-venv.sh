#!/usr/bin/env bash
# A Python virtual environment with PyTorch (CPU), numpy and protobuf, for the tests that check the
# SphereFace weight import against PyTorch itself. It lives in the cache folder, outside the
# repository: ${XDG_CACHE_HOME:-~/.cache}/persemon/torch-venv. Run again, it only checks what is there.
set -euo pipefail
TORCH_VERSION="2.13.0+cpu"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/persemon/torch-venv"
python="${PYTHON:-python3}"
check='import sys, torch, numpy, google.protobuf; sys.exit(torch.__version__ != sys.argv[1])'

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$check" "$TORCH_VERSION" 2>/dev/null; then
    echo "torch venv: $venv (torch $TORCH_VERSION, numpy, protobuf) present"
    exit 0
fi
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "torch-venv.sh: $python is older than Python 3.10" >&2; exit 1; }
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "torch==$TORCH_VERSION" numpy protobuf
"$venv/bin/python" -c "$check" "$TORCH_VERSION" || { echo "torch-venv.sh: $venv lacks torch $TORCH_VERSION, numpy or protobuf" >&2; exit 1; }
echo "torch venv: $venv (torch $TORCH_VERSION, numpy, protobuf) installed"
