#!/usr/bin/env bash
# The integration suite's core against every Airbyte generation the emulator plays, and through
# both of Airbyte's APIs (`npm run test:generations`). One jest run per test profile
# (tests/helpers/airbyte-target.ts, TEST_PROFILES); extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILES=(0.50 0.63 1.6 1.7 1.8 2.0 2.0-public cloud)
failed=()
for profile in "${PROFILES[@]}"; do
  echo "=== Airbyte test profile ${profile}"
  if ! AIRBYTE_TEST_PROFILE="$profile" NODE_OPTIONS=--experimental-vm-modules JEST_PROJECTS=generations npx jest "$@"; then
    failed+=("$profile")
  fi
done
if ((${#failed[@]})); then
  echo "test:generations: failed under ${failed[*]}" >&2
  exit 1
fi
echo "test:generations: passed under ${PROFILES[*]}"
