// The verdict on `mirrorspec check` against Ceph RGW, from its results.json: what .ci/run counts as one
// check. RGW is a plain S3 server, so the true report is: nothing failed, every S3 baseline behaviour
// (s3.*) a law judged against RGW passed (or failed as docs/peers/rgw-expected.yaml says, with its
// reason), and every mirror behaviour absent with the reason that RGW has no mirror rule API. Behaviours
// only the suite's own simulators judge are not run. Prints each problem and exits 1 if there is one.
//
//   node .ci/peers/rgw-verdict.mjs reports/peer-rgw/results.json

import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node .ci/peers/rgw-verdict.mjs <results.json>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const problems = [];
const counts = {};
if (report.exitCode !== 0) problems.push(`the run's exit status is ${report.exitCode}, not 0`);
for (const [profile, run] of Object.entries(report.results)) {
  for (const error of run.errors) problems.push(`${profile}: error: ${error}`);
  for (const [id, result] of Object.entries(run.behaviours)) {
    counts[result.status] = (counts[result.status] ?? 0) + 1;
    const ownSimulators = result.status === 'not-run' && /simulators of their own/.test(result.note ?? '');
    if (ownSimulators) continue;
    if (id.startsWith('s3.')) {
      const ok = result.status === 'passed' || (result.status === 'expected-failure' && result.reason);
      if (!ok)
        problems.push(
          `${profile}: ${id} (S3 baseline) is ${result.status}: ${result.failure ?? result.note ?? ''}`,
        );
    } else if (
      result.status !== 'absent' ||
      !/^the target has no mirror rule API: /.test(result.note ?? '')
    ) {
      problems.push(
        `${profile}: ${id} (a mirror behaviour) is ${result.status}, not absent: ${result.note ?? result.failure ?? ''}`,
      );
    }
  }
}
if (!(counts.passed > 0)) problems.push('no S3 baseline behaviour passed');
if (!(counts.absent > 0)) problems.push('no mirror behaviour is absent');
const tally = Object.entries(counts)
  .map(([status, n]) => `${n} ${status}`)
  .join(', ');
for (const problem of problems) console.log(`rgw verdict: ${problem}`);
console.log(
  `rgw verdict: ${problems.length === 0 ? 'true report of a plain S3 server' : 'NOT a true report'} (${tally})`,
);
process.exit(problems.length === 0 ? 0 : 1);
