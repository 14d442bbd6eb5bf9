#!/usr/bin/env bash
# Debian packages the tests use beyond Node: python3 with numpy writes the reference pickles that
# the ChaLearn loader is tested against. (The editor end-to-end test installs its own: test/e2e/setup.sh.)
set -euo pipefail
missing=()
for pkg in python3 python3-numpy; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "test dependencies: python3 and python3-numpy present"
