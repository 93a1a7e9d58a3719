#!/usr/bin/env bash
# Installs moto (a local AWS emulator, used here for Secrets Manager and IAM) and Airbyte's
# Python SDK (airbyte-api, used by the emulator's public API test) into a Python virtual
# environment and prints the path of its `moto_server` executable.
#
#   scripts/setup-moto.sh              -> installs if needed, prints .../bin/moto_server
#   scripts/setup-moto.sh --version    -> prints the pinned moto version
#   scripts/setup-moto.sh --python     -> installs if needed, prints the venv's python
#
# The venv lives in .tools/venv (ignored by git); MOTO_VENV overrides the location and
# PYTHON the interpreter used to create it (default: python3, which must be >= 3.11).
# Versions come from requirements-moto.txt and requirements-python-sdk.txt, where every
# transitive dependency is pinned (the two files agree on the packages they share).
# A second run is a quick no-op: a stamp file in the venv records the sha256 of the
# requirements files it was built from, and the installed moto and airbyte-api versions are
# checked too.
#
# Only python3 is needed. If its `venv` module cannot create a venv with pip (Debian's
# python3 without the python3-venv package), the script installs python3-venv with apt-get
# when it runs as root, and otherwise says what to install.
#
# Tests find the server through tests/helpers/moto.ts, which runs <venv>/bin/moto_server,
# or reuse an already running server when MOTO_ENDPOINT is set.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$ROOT/requirements-moto.txt"
SDK_REQUIREMENTS="$ROOT/requirements-python-sdk.txt"
VENV="${MOTO_VENV:-$ROOT/.tools/venv}"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.requirements-moto.sha256"

log() { echo "setup-moto: $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ -f "$REQUIREMENTS" ]] || die "missing $REQUIREMENTS"
[[ -f "$SDK_REQUIREMENTS" ]] || die "missing $SDK_REQUIREMENTS"
MOTO_VERSION="$(sed -n 's/^moto\(\[[^]]*\]\)\{0,1\}==\([^ ;#]*\).*/\2/p' "$REQUIREMENTS" | head -n1)"
[[ -n "$MOTO_VERSION" ]] || die "no 'moto[server]==<version>' line in $REQUIREMENTS"
SDK_VERSION="$(sed -n 's/^airbyte-api==\([^ ;#]*\).*/\1/p' "$SDK_REQUIREMENTS" | head -n1)"
[[ -n "$SDK_VERSION" ]] || die "no 'airbyte-api==<version>' line in $SDK_REQUIREMENTS"
if [[ "${1:-}" == "--version" ]]; then echo "$MOTO_VERSION"; exit 0; fi
PRINT="$VENV/bin/moto_server"
if [[ "${1:-}" == "--python" ]]; then PRINT="$VENV/bin/python"; fi

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else "$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"
  fi
}
WANT_HASH="$(sha256_of "$REQUIREMENTS")+$(sha256_of "$SDK_REQUIREMENTS")"

installed_version() {
  [[ -x "$VENV/bin/python" ]] || return 1
  "$VENV/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null
}

# Fast path: already installed from these very requirements files.
if [[ -x "$VENV/bin/moto_server" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT_HASH" ]] \
   && [[ "$(installed_version moto || true)" == "$MOTO_VERSION" ]] \
   && [[ "$(installed_version airbyte-api || true)" == "$SDK_VERSION" ]]; then
  echo "$PRINT"
  exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found; install Python >= 3.11 (or set PYTHON=/path/to/python3)"
"$PYTHON" - <<'PY' || die "moto $MOTO_VERSION and its pinned dependencies need Python >= 3.11 and < 3.15 (found $("$PYTHON" --version 2>&1)); set PYTHON to a suitable interpreter"
import sys
sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 15) else 1)
PY

venv_works() { [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }

create_venv() {
  log "creating virtual environment in $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON" -m venv "$VENV" >/dev/null 2>&1 && venv_works
}

if ! venv_works; then
  if ! create_venv; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
      pyver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
      log "python's venv module is unusable; installing python3-venv with apt-get"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 || true
      apt-get install -y -qq "python${pyver}-venv" >&2 || apt-get install -y -qq python3-venv >&2 \
        || die "could not install python3-venv with apt-get"
      create_venv || die "'$PYTHON -m venv' still fails after installing python3-venv"
    else
      die "'$PYTHON -m venv' cannot create a virtual environment with pip; install your distribution's python3-venv package (Debian/Ubuntu: apt-get install python3-venv) or set PYTHON to another interpreter"
    fi
  fi
fi

log "installing moto[server]==$MOTO_VERSION, airbyte-api==$SDK_VERSION and pinned dependencies into $VENV (first run takes about a minute)"
rm -f "$STAMP"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/python" -m pip install --quiet --no-input --requirement "$REQUIREMENTS" --requirement "$SDK_REQUIREMENTS" >&2 \
  || die "pip install -r requirements-moto.txt -r requirements-python-sdk.txt failed (is PyPI reachable?)"

got="$(installed_version moto || true)"
[[ "$got" == "$MOTO_VERSION" ]] || die "expected moto $MOTO_VERSION in $VENV, found '${got:-nothing}'"
got="$(installed_version airbyte-api || true)"
[[ "$got" == "$SDK_VERSION" ]] || die "expected airbyte-api $SDK_VERSION in $VENV, found '${got:-nothing}'"
[[ -x "$VENV/bin/moto_server" ]] || die "moto is installed but $VENV/bin/moto_server is missing"
echo "$WANT_HASH" > "$STAMP"
log "moto $MOTO_VERSION and airbyte-api $SDK_VERSION ready"
echo "$PRINT"
