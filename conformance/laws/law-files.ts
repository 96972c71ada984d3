// What each law file judges, as data `mirrorspec check` reads (law-files.test.ts keeps it true). A file
// judges `any-target` when its laws use the law fixture (useLawFixture), so they speak to whatever target
// the run was given, and need its mirror rule API: on a target the probe found without one, `check` leaves
// the file out and its behaviours are `absent`. A file judges `s3-target` when its laws use the fixture
// and ask nothing but the S3 API (the S3 baseline, `check --baseline`), so any S3 server can be judged; a
// law there that writes rules anyway is absent on such a server. It judges `own-simulators` when it starts simulators of its own (to check access
// control with the real AWS SDK, say), which says nothing about an endpoint: against one, `check` leaves
// it out, and a behaviour only such files cover is `not-run` with that reason.
//
// A file is named after the catalogue id prefix of every behaviour it checks (`hit.no-origin` lives in
// hit.test.ts); a prefix with many laws is split as `<prefix>.<part>.test.ts` (origin.request.test.ts).

type LawFileJudges = 'any-target' | 's3-target' | 'own-simulators';

export const LAW_FILES: Readonly<Record<string, LawFileJudges>> = {
  'auth.test.ts': 'own-simulators',
  'auth.payload-hash.test.ts': 'own-simulators',
  'auth.presigned-v2.test.ts': 'own-simulators',
  'auth.users.test.ts': 'own-simulators',
  'auth.bucket-policy.test.ts': 'own-simulators',
  'config.test.ts': 'any-target',
  'config.checks.test.ts': 'any-target',
  'config.hostile.test.ts': 'any-target',
  'config.limits.test.ts': 'any-target',
  'config.profile.test.ts': 'any-target',
  'head.test.ts': 'any-target',
  'hit.test.ts': 'any-target',
  'miss.test.ts': 'any-target',
  'mode.test.ts': 'any-target',
  'model.test.ts': 'any-target',
  'origin.failures.test.ts': 'any-target',
  'origin.faults.test.ts': 'any-target',
  'origin.profile.test.ts': 'any-target',
  'origin.query.test.ts': 'any-target',
  'origin.request.test.ts': 'any-target',
  'origin.response.test.ts': 'any-target',
  'origin.sdk.test.ts': 'own-simulators',
  'origins.test.ts': 'any-target',
  'prepush.test.ts': 'any-target',
  'race.test.ts': 'any-target',
  'range.test.ts': 'any-target',
  'rules.test.ts': 'any-target',
  's3.test.ts': 's3-target',
  's3.copy.test.ts': 's3-target',
  's3.conditions.test.ts': 's3-target',
  's3.surface.test.ts': 's3-target',
  's3.integrity.test.ts': 's3-target',
  's3.multipart.test.ts': 's3-target',
  's3.multipart-listing.test.ts': 's3-target',
  's3.listing-v1.test.ts': 's3-target',
  's3.listing-v2.test.ts': 's3-target',
  's3.delete-objects.test.ts': 's3-target',
  's3.first-calls.test.ts': 's3-target',
  's3.conditional-write.test.ts': 's3-target',
  's3.list-object-versions.test.ts': 's3-target',
  's3.sdk.test.ts': 'own-simulators',
  's3.lifecycle.test.ts': 'own-simulators',
  's3.post-object.test.ts': 'own-simulators',
  's3.upload-part-copy.test.ts': 's3-target',
  'ssrf.test.ts': 'any-target',
  'ssrf.self.test.ts': 'own-simulators',
  'stored.test.ts': 'any-target',
  'stored.object.test.ts': 'any-target',
  'stored.conditional-write.test.ts': 'any-target',
  'writeback.test.ts': 'any-target',
};
