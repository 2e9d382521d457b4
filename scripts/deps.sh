#!/usr/bin/env bash
# deps.sh — install the Debian packages that strex's build, tests and harness
# need, and only those that are missing.
#
# Called first by `make check`, `make run` and the other top-level targets,
# so a fresh Debian 12 machine needs nothing installed by hand. It runs
# `apt-get update` at most once, and only when something is missing. As root
# (CI) it installs directly; otherwise it uses sudo when that works without a
# password, and else prints the one command to run and fails.
set -eu

packages=(
    gcc clang make pkg-config git
    check libsubunit-dev
    libunwind-dev libfdt-dev libjson-c-dev libcapstone-dev
    gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi
    qemu-system-arm ipxe-qemu
    valgrind lcov jq device-tree-compiler time
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "deps.sh: missing packages: ${missing[*]}" >&2
    echo "deps.sh: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: done" >&2
