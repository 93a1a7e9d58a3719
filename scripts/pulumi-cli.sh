#!/usr/bin/env bash
# Makes a Pulumi CLI available without downloading it from get.pulumi.com (which this
# project's machines cannot reach) and prints the directory holding it.
#
#   scripts/pulumi-cli.sh            -> prints the bin directory (builds on first use)
#   scripts/pulumi-cli.sh --version  -> prints the pinned version
#
# 1. If `pulumi` and `pulumi-language-nodejs` are already on PATH, that directory is used (when
#    PULUMI_CLI_VERSION asks for a release, only if it is that release; PULUMI_CLI_FORCE_BUILD=1
#    always builds).
# 2. Otherwise `pulumi` and `pulumi-language-nodejs` are built from Go modules (the Go module
#    proxy is reachable) into a cached tool folder, once per pinned release:
#       ${PULUMI_CLI_CACHE:-$HOME/.cache/pulumi-airbyte-dynamic/pulumi-cli}/<version>/bin
#    `go install pkg@version` refuses modules with `replace` directives, so a throwaway wrapper
#    module pins the CLI, the Go SDK and the language host to the same release commit.
# 3. The `pulumi-resource-pulumi-nodejs` shim (a 4-line sh script shipped in the
#    @pulumi/pulumi npm package) is copied next to the binaries, because the engine looks for
#    bundled plugins on PATH and next to the `pulumi` executable.
#
# The pinned release must match the @pulumi/pulumi the project runs on (see package.json).
# PULUMI_CLI_VERSION overrides it (the version matrix builds the newest release too).
set -euo pipefail

VERSION="${PULUMI_CLI_VERSION:-v3.248.0}"
if [[ "${1:-}" == "--version" ]]; then echo "$VERSION"; exit 0; fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PULUMI_CLI_CACHE:-$HOME/.cache/pulumi-airbyte-dynamic/pulumi-cli}"
DEST="$CACHE/$VERSION"
BIN="$DEST/bin"

log() { echo "pulumi-cli: $*" >&2; }

copy_shim() {
  local target="$1" shim
  # The shim belongs to @pulumi/pulumi; take it from the project's own install.
  shim="${PULUMI_NODEJS_SHIM:-$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs}"
  if [[ -f "$shim" && ! -x "$target/pulumi-resource-pulumi-nodejs" ]]; then
    cp "$shim" "$target/pulumi-resource-pulumi-nodejs" && chmod +x "$target/pulumi-resource-pulumi-nodejs"
  fi
}

if [[ -z "${PULUMI_CLI_FORCE_BUILD:-}" ]] && command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  # Any CLI on PATH will do, unless a release was asked for explicitly (the version matrix):
  # then only that release.
  on_path="$(pulumi version 2>/dev/null || true)"
  if [[ -z "${PULUMI_CLI_VERSION:-}" || "$on_path" == "$VERSION" ]]; then
    dirname "$(command -v pulumi)"
    exit 0
  fi
  log "the pulumi on PATH is ${on_path:-of unknown version}, not $VERSION: using a build of $VERSION"
fi

if [[ -x "$BIN/pulumi" && -x "$BIN/pulumi-language-nodejs" ]]; then
  copy_shim "$BIN"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "Go is required to build the Pulumi CLI ($VERSION) and was not found"; exit 1; }

log "building Pulumi CLI $VERSION from Go modules into $DEST (first time only; takes several minutes)"
start=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pulumi-cli-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="${GOFLAGS:-} -mod=mod"
LDF="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION"
TAGS="osusergo,grpcnotrace"   # the release build tags (.goreleaser.yml)
mkdir -p "$BIN.partial"

# --- pulumi (the CLI and engine), at the pinned release -------------------------------------
mkdir "$WORK/cli" && cd "$WORK/cli"
go mod init example.invalid/pulumi-cli >/dev/null 2>&1
go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$VERSION" >&2
go get "github.com/pulumi/pulumi/pkg/v3@$VERSION" "github.com/pulumi/pulumi/sdk/v3@$VERSION" >&2
# Same replace as upstream's go.mod files (only changes Windows DLL loading; kept for fidelity).
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
go mod tidy >&2
go build -trimpath -tags "$TAGS" -ldflags "$LDF" -o "$BIN.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2

# --- pulumi-language-nodejs (the Node.js language host) --------------------------------------
# Upstream builds it from its own module, github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3,
# which has no tags, only pseudo-versions of release commits. The Go module proxy reachable
# from this project's machines answers 403 for that module at every version, so when it is
# refused we build the host from the last release that shipped it inside the sdk/v3 module
# (v3.68.0; it moved to its own module in v3.69.0). The host only launches
# `node @pulumi/pulumi/cmd/run` with the engine's arguments; the Node SDK, the engine and the
# dynamic-provider runtime all stay at the pinned release.
mkdir "$WORK/host" && cd "$WORK/host"
go mod init example.invalid/pulumi-language-nodejs >/dev/null 2>&1
COMMIT="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@$VERSION" | sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' | head -1)"
HOST_PKG="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
if [[ -n "$COMMIT" ]] && go get -tool "$HOST_PKG@${COMMIT:0:12}" >/dev/null 2>&1; then
  HOST_VERSION="$VERSION"
  go get "github.com/pulumi/pulumi/pkg/v3@$VERSION" "github.com/pulumi/pulumi/sdk/v3@$VERSION" >&2
else
  HOST_VERSION="${PULUMI_LANGUAGE_HOST_FALLBACK:-v3.68.0}"
  HOST_PKG="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
  log "the proxy does not serve the language host at $VERSION; building it from sdk/v3@$HOST_VERSION"
  go get -tool "$HOST_PKG@$HOST_VERSION" >&2
fi
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
go mod tidy >&2
go build -trimpath -tags "$TAGS" -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$HOST_VERSION" \
  -o "$BIN.partial/pulumi-language-nodejs" "$HOST_PKG" >&2

rm -rf "$BIN" && mv "$BIN.partial" "$BIN"
copy_shim "$BIN"
log "built $("$BIN/pulumi" version) (language host $HOST_VERSION) in $(( $(date +%s) - start ))s"
echo "$BIN"
