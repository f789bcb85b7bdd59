#!/usr/bin/env bash
# Installs what cspverify needs on Debian 12, idempotently (run as root).
#   scripts/setup.sh          build dependencies and graphviz (dpkg-dev and file:
#                             cpack's .deb reads its Depends off the binary)
#   scripts/setup.sh --tests  also what the test suite uses (xmllint, jsonschema,
#                             headless Chromium, cvc5 for --cross-check, groff to
#                             check the manual page, neovim as a second LSP client;
#                             the z3 CLI is always installed)
#   scripts/setup.sh --fuzz   also clang and libFuzzer (fuzz/, bench/fuzz.sh)
#   scripts/setup.sh --bench  also GNU time (bench/audit.sh reads peak memory from it)
set -euo pipefail

packages=(build-essential cmake pkg-config libz3-dev libboost-program-options-dev
          libfmt-dev nlohmann-json3-dev catch2 graphviz z3 dpkg-dev file)
for option in "$@"; do
  case "$option" in
    --tests) packages+=(libxml2-utils python3-jsonschema chromium fonts-dejavu-core cvc5 groff-base neovim) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --bench) packages+=(time) ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all ${#packages[@]} packages present"
