import { describe, expect, it } from 'vitest';
import { isToolError } from '../../errors/tool-error.ts';
import { decodeRunConfig, encodeRunConfig, type RunConfig, withRunConfig } from './run-config.ts';

const everything: RunConfig = {
  target: 'https://store.test:9443',
  profile: 'oss',
  expectProfile: 'ks3',
  dialect: 'cos',
  seed: 7,
  runs: 12,
  dialectRuns: 3,
  traceDir: '/tmp/traces',
  staticRules: '/tmp/rules.yaml',
  originPort: 8123,
  originPublicUrl: 'https://tunnel.test/base',
  originTimeoutMs: 4000,
  settleWaitMs: 250,
  accessKeyId: 'AK',
  secretAccessKey: 'SK',
  region: 'ap-guangzhou',
  rulesEndpoint: 'http://127.0.0.1:9000',
  addressing: 'path',
  obsAgency: 'agency',
  bucketPrefix: 'ms1',
  bucketSuffix: '-1250000000',
  ruleApiAbsent: 'PUT /_mirrorspec/buckets/b/mirror answered 404 NoSuchBucket',
  checkProfile: 'oss',
  checkExpected: ['hit.no-origin', 'miss.no-rule'],
  checkTargetOnly: true,
};

/** The MS_RUN_CONFIG message decoding `env` fails with. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    decodeRunConfig(env);
  } catch (error) {
    if (isToolError(error, 'MS_RUN_CONFIG')) return error.message;
    throw error;
  }
  throw new Error('decoded without complaint');
}

describe('run configuration', () => {
  it('decodes what it encodes, every field', () => {
    expect(decodeRunConfig(encodeRunConfig(everything))).toEqual(everything);
  });

  it('is the simulator with no expectations when nothing is set', () => {
    expect(decodeRunConfig({ PATH: '/bin' })).toEqual({
      target: 'simulator',
      dialectRuns: 5,
      checkExpected: [],
      checkTargetOnly: false,
    });
  });

  it('refuses an unknown MIRRORSPEC_ variable by name, so a typo never runs with a default', () => {
    expect(refusal({ MIRRORSPEC_SEEDS: '7' })).toMatch(
      /^MIRRORSPEC_SEEDS is not a run setting: .*MIRRORSPEC_SEED,/,
    );
  });

  it("passes over the CI peers' own MIRRORSPEC_PEERS and MIRRORSPEC_PEERS_STATE, which are no run settings", () => {
    expect(
      decodeRunConfig({ MIRRORSPEC_PEERS: '1', MIRRORSPEC_PEERS_STATE: '/tmp/peers', MIRRORSPEC_SEED: '7' }),
    ).toMatchObject({ seed: 7 });
  });

  it.each([
    ['MIRRORSPEC_RUNS', 'ten', 'a whole number'],
    ['MIRRORSPEC_ORIGIN_PORT', '70000', 'a port from 1 to 65535'],
    ['MIRRORSPEC_TARGET', 'ftp://store.test', 'simulator, an http(s):// URL or broken:<kind>'],
    ['MIRRORSPEC_ADDRESSING', 'host', 'virtual or path'],
    ['MIRRORSPEC_CHECK_TARGET_ONLY', 'yes', '1 or 0'],
    ['MIRRORSPEC_ORIGIN_PUBLIC_URL', 'tunnel.test', 'an http(s):// URL'],
  ])('refuses a malformed %s, saying what it takes', (name, raw, takes) => {
    expect(refusal({ [name]: raw })).toBe(`${name} takes ${takes}, got '${raw}'`);
  });

  it("replaces a child's earlier MIRRORSPEC_ variables and keeps the rest of its environment", () => {
    const env = withRunConfig(
      { PATH: '/bin', MIRRORSPEC_STATIC_RULES: '/old.yaml', MIRRORSPEC_RUNS: '99' },
      { target: 'simulator', runs: 5, dialectRuns: 5, checkExpected: [], checkTargetOnly: false },
    );
    expect(env).toEqual({
      PATH: '/bin',
      MIRRORSPEC_TARGET: 'simulator',
      MIRRORSPEC_RUNS: '5',
      MIRRORSPEC_DIALECT_RUNS: '5',
      MIRRORSPEC_CHECK_EXPECTED: '',
      MIRRORSPEC_CHECK_TARGET_ONLY: '0',
    });
  });
});
