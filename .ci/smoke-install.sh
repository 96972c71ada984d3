#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (which builds dist/), the tarball installed into a fresh folder
# with @aws-sdk/client-s3 and typescript at the lockfile's versions, then the command line (help, serve
# answering health, a check), the library from plain Node (import and require), vitest's global set-up
# helper, and a TypeScript consumer under `tsc --init`'s strict defaults. Prints the tarball's size and
# the installed size; exits 1 when any step fails. Run from anywhere: bash .ci/smoke-install.sh
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

printf '\n== install smoke test: npm pack, install the tarball in a fresh folder, use it\n'
work=$(mktemp -d)
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then kill -TERM -- "-$serve_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

failed=0
check() { # check <what> <command...>: runs the command, prints ok/FAILED with what it checked
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failed=$((failed + 1)); fi
}

npm pack --pack-destination "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; echo "FAILED: npm pack"; exit 1; }
tarball=$(ls "$work"/mirrorspec-*.tgz)
# A test of the tree has no place in the package; the law files are the suite `check` runs.
check "the tarball holds no test files, no .ci/, no fixtures/" \
  bash -c "! tar tzf '$tarball' | grep -E '\.test\.[jt]s$|(^|/)\.ci/|^package/fixtures/|^package/[a-z]+/[^/]*\.ts$' | grep -v '^package/dist/conformance/laws/[a-z0-9.-]*\.test\.js$'"

locked() { node -e "console.log(require('$repo/package-lock.json').packages['node_modules/$1'].version)"; }
app="$work/app"
mkdir "$app" && cd "$app" || exit 1
npm init -y >/dev/null && npm pkg set type=module
if ! npm install --no-audit --no-fund "$tarball" "@aws-sdk/client-s3@$(locked @aws-sdk/client-s3)" \
  "typescript@$(locked typescript)" >"$work/install.log" 2>&1; then
  cat "$work/install.log"
  echo "FAILED: npm install of the tarball"
  exit 1
fi
echo "tarball $(du -k "$tarball" | cut -f1) kB; installed with @aws-sdk/client-s3 and typescript: node_modules $(du -sm node_modules | cut -f1) MB"

check "npx mirrorspec --help" bash -c 'npx mirrorspec --help | grep -q "usage: mirrorspec <command>"'
check "a usage error is one line and 'see --help'" \
  bash -c '[ "$(npx mirrorspec serve --bogus 2>&1 >/dev/null | wc -l)" -eq 1 ] && npx mirrorspec serve --bogus 2>&1 | grep -q "see mirrorspec serve --help"'

serve_health() {
  setsid npx mirrorspec serve --port 0 >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 300); do
    endpoint=$(grep -o 'listening on http://[^ ]*' "$work/serve.log" | cut -d' ' -f3)
    [ -n "$endpoint" ] && break
    sleep 0.1
  done
  [ -n "$endpoint" ] || { cat "$work/serve.log"; return 1; }
  node -e "fetch('$endpoint/_mirrorspec/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"
  local status=$?
  kill -TERM -- "-$serve_pid"
  serve_pid=
  return $status
}
check "npx mirrorspec serve answers /_mirrorspec/health" serve_health

check "npx mirrorspec check --only 'hit.*' passes and writes reports/" \
  bash -c "npx mirrorspec check --only 'hit.*' > '$work/check.log' 2>&1 && ls reports/*/junit.xml >/dev/null || { tail -30 '$work/check.log'; false; }"

check "import { startSimulator } from 'mirrorspec' in plain Node" node --input-type=module -e "
  import { startSimulator } from 'mirrorspec';
  const running = await startSimulator();
  const response = await fetch(running.endpoint + '/_mirrorspec/health');
  await running.close();
  if (response.status !== 200) process.exit(1);"

check "require('mirrorspec') in plain Node" node -e "
  const { createSimulator } = require('mirrorspec');
  if (typeof createSimulator !== 'function') process.exit(1);"

mkdir -p test
cat >vitest.config.js <<'JS'
import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { globalSetup: ['mirrorspec/vitest'] } });
JS
cat >test/health.test.js <<'JS'
import { expect, inject, it } from 'vitest';
it('reaches the simulator the global set-up started', async () => {
  const response = await fetch(`${inject('mirrorspecEndpoint')}/_mirrorspec/health`);
  expect(response.status).toBe(200);
});
JS
check "vitest with globalSetup ['mirrorspec/vitest'] and inject('mirrorspecEndpoint')" \
  bash -c "npx vitest run > '$work/vitest.log' 2>&1 || { cat '$work/vitest.log'; false; }"

npx tsc --init >/dev/null
cat >app.ts <<'TS'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type RunningSimulator, startSimulator } from 'mirrorspec';
import { simulatorGlobalSetup } from 'mirrorspec/vitest';

const running: RunningSimulator = await startSimulator({ profile: 'oss' });
const s3 = new S3Client({ endpoint: running.endpoint, region: 'us-east-1', forcePathStyle: true });
await s3.send(new PutObjectCommand({ Bucket: 'app', Key: 'a.txt', Body: 'a' }));
const port: number = running.port;
console.log(port, typeof simulatorGlobalSetup);
await running.close();
TS
check "a TypeScript consumer compiles with tsc --init's strict defaults" \
  bash -c "npx tsc -p . --noEmit > '$work/tsc.log' 2>&1 || { cat '$work/tsc.log'; false; }"

echo "install smoke test: $failed failed"
[ "$failed" -eq 0 ]
