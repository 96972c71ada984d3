// `mirrorspec check --target container:<kind>`: the target started as a container through
// testcontainers (Docker, or podman's Docker API), judged as the http:// endpoint it publishes (RGW and MinIO with keys
// made for this run), and stopped when the run ends. The run is otherwise the URL target's: probed
// first, what it lacks reported absent. Users with Docker get the same targets with no change.
//
//   mirrorspec   the simulator's image (Containerfile), on the machine's network so that it reaches the
//                suite's origins on loopback; it runs the one profile --profile names (default neutral)
//   rgw          Ceph RGW from Debian's packages (container/rgw/Containerfile): a plain S3 server
//   minio        MinIO through @testcontainers/minio: a plain S3 server (MinIO has no mirror rule API)
//
// Images: MIRRORSPEC_IMAGE, MIRRORSPEC_RGW_IMAGE, MIRRORSPEC_MINIO_IMAGE, defaults below.

import { randomBytes } from 'node:crypto';
import { ToolError } from '../../errors/tool-error.ts';
import { startSimulatorContainer, VERSION } from '../../simulator/index.ts';
import type { Keys } from '../client/signed-fetch.ts';

const KINDS = ['mirrorspec', 'rgw', 'minio'] as const;
type ContainerKind = (typeof KINDS)[number];

/** A MinIO community release of April 2025 (MinIO stopped publishing community images after 2025). */
const MINIO_IMAGE = 'docker.io/minio/minio:RELEASE.2025-04-22T22-12-26Z';
const RGW_PORT = 17480;

interface StartedTarget {
  endpoint: string;
  image: string;
  /** The keys the target checks; none for the simulator's image, which runs as the embedded one does. */
  keys?: Keys;
  stop(): Promise<void>;
}

/** Keys for one run: 20 and 40 characters, as AWS's look (RGW takes them as given). */
function runKeys(): Keys {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const accessKeyId = [...randomBytes(20)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return { accessKeyId, secretAccessKey: randomBytes(30).toString('base64url').slice(0, 40) };
}

/** The message of a container that would not start, with what to do about it. */
function notStarted(kind: ContainerKind, image: string, error: unknown): ToolError {
  const reason = (error as Error).message.split('\n')[0];
  const build =
    kind === 'minio'
      ? 'no MinIO image can be had here (no registry reachable and none loaded): load one, or set MIRRORSPEC_MINIO_IMAGE to one that exists'
      : `build it first (${kind === 'mirrorspec' ? 'Containerfile' : 'container/rgw/Containerfile'}; .ci/containers.sh shows how), or set ${kind === 'mirrorspec' ? 'MIRRORSPEC_IMAGE' : 'MIRRORSPEC_RGW_IMAGE'}`;
  return new ToolError(
    'MS_TARGET_UNREACHABLE',
    `container:${kind}: the image ${image} did not start (${reason}): ${build}; a container runtime must answer too (DOCKER_HOST)`,
    { cause: error },
  );
}

async function startTarget(kind: ContainerKind, profile: string): Promise<StartedTarget> {
  const keys = runKeys();
  switch (kind) {
    case 'mirrorspec': {
      const image = process.env.MIRRORSPEC_IMAGE ?? `mirrorspec:${VERSION}`;
      try {
        const running = await startSimulatorContainer({
          image,
          profile,
          // Unsigned, as the embedded simulator is judged: a signed client cannot send a law's own
          // presigned-looking query (origin.query-string) without the simulator refusing two signatures.
          // The suite's origins listen on the machine's loopback, which only the host network reaches.
          network: 'host',
          allowPrivateOrigins: true,
        });
        return { endpoint: running.endpoint, image, stop: () => running.stop() };
      } catch (error) {
        throw notStarted(kind, image, error);
      }
    }
    case 'rgw': {
      const image = process.env.MIRRORSPEC_RGW_IMAGE ?? `mirrorspec-rgw:${VERSION}`;
      const { GenericContainer, Wait } = await import('testcontainers');
      try {
        const started = await new GenericContainer(image)
          .withEnvironment({ RGW_ACCESS_KEY: keys.accessKeyId, RGW_SECRET_KEY: keys.secretAccessKey })
          .withExposedPorts(RGW_PORT)
          // container/rgw/rgw-entry.sh prints it once S3 answers and the user exists.
          .withWaitStrategy(Wait.forLogMessage(/mirrorspec-rgw: S3 ready/))
          .withStartupTimeout(90_000)
          .start();
        return {
          endpoint: `http://${started.getHost()}:${started.getMappedPort(RGW_PORT)}`,
          image,
          keys,
          // Stopping the daemons by PID takes 6-7 s (feasibility.md 2(b)).
          stop: async () => void (await started.stop({ timeout: 20_000 })),
        };
      } catch (error) {
        throw notStarted(kind, image, error);
      }
    }
    case 'minio': {
      const image = process.env.MIRRORSPEC_MINIO_IMAGE ?? MINIO_IMAGE;
      const { MinioContainer } = await import('@testcontainers/minio');
      try {
        const started = await new MinioContainer(image)
          .withUsername(keys.accessKeyId)
          .withPassword(keys.secretAccessKey)
          .start();
        return {
          endpoint: started.getConnectionUrl(),
          image,
          keys,
          stop: async () => void (await started.stop()),
        };
      } catch (error) {
        throw notStarted(kind, image, error);
      }
    }
  }
}

/** The value of --target in `argv` and where it is, if one is given. */
function targetOption(argv: string[]): { index: number; value: string; joined: boolean } | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--target' && index + 1 < argv.length)
      return { index, value: argv[index + 1] ?? '', joined: false };
    if (arg.startsWith('--target=')) return { index, value: arg.slice('--target='.length), joined: true };
  }
  return undefined;
}

/**
 * Runs `check` on `argv`; a `container:<kind>` target is started first and `check` is given its URL and
 * keys instead, and the container is stopped however the run ends.
 */
export async function checkWithContainerTarget(
  argv: string[],
  check: (argv: string[]) => Promise<number>,
): Promise<number> {
  const option = targetOption(argv);
  if (option === undefined || !option.value.startsWith('container:')) return check(argv);
  const kind = option.value.slice('container:'.length);
  const profileIndex = argv.indexOf('--profile');
  const profile = profileIndex >= 0 ? (argv[profileIndex + 1] ?? '') : 'neutral';
  const usage = (message: string) => {
    process.stderr.write(`mirrorspec check: MS_USAGE: ${message}\n`);
    return 2;
  };
  if (!(KINDS as readonly string[]).includes(kind))
    return usage(
      `--target '${option.value}' is not a container target: use container:${KINDS.join(', container:')}`,
    );
  if (kind === 'mirrorspec' && (profile === 'all' || profile.includes(',')))
    return usage('container:mirrorspec runs one profile: give --profile <id> (default neutral)');
  if (process.env.MIRRORSPEC_ACCESS_KEY_ID || process.env.MIRRORSPEC_SECRET_ACCESS_KEY)
    return usage(
      `--target ${option.value} makes keys of its own: unset MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY`,
    );

  const started = Date.now();
  let target: StartedTarget;
  try {
    target = await startTarget(kind as ContainerKind, profile);
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    process.stderr.write(`mirrorspec check: ${error.code}: ${error.message}\n`);
    return error.exitStatus;
  }
  process.stdout.write(
    `mirrorspec check: container:${kind} is ${target.image}, answering at ${target.endpoint} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  const rewritten = [...argv];
  rewritten.splice(option.index, option.joined ? 1 : 2, '--target', target.endpoint);
  if (target.keys !== undefined) {
    process.env.MIRRORSPEC_ACCESS_KEY_ID = target.keys.accessKeyId;
    process.env.MIRRORSPEC_SECRET_ACCESS_KEY = target.keys.secretAccessKey;
  }
  try {
    return await check(rewritten);
  } finally {
    delete process.env.MIRRORSPEC_ACCESS_KEY_ID;
    delete process.env.MIRRORSPEC_SECRET_ACCESS_KEY;
    await target.stop();
  }
}
