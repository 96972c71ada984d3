// The simulator's image (Containerfile) started through testcontainers, for tests that want the
// simulator as a container: a suite in another language, a docker-compose-like set-up, or the image
// itself under test. In the style of @testcontainers/minio: start, endpoint, credentials, reset, stop.
// testcontainers is an optional peer: it is loaded only when a container is started.

import { createServer } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './protocol/auth/node-sha256.ts';
import type { Credentials } from './protocol/authenticate.ts';
import { VERSION } from './simulator.ts';

/** The port the image listens on (Containerfile `EXPOSE`). */
const IMAGE_PORT = 9000;

export interface SimulatorContainerOptions {
  /** The image; default MIRRORSPEC_IMAGE, else `mirrorspec:<version>` (`docker build -t mirrorspec:<version> .`). */
  image?: string;
  /** The vendor profile the simulator behaves as; default neutral. */
  profile?: string;
  /** Require signatures with this key pair (access control on); default none. */
  credentials?: Credentials;
  /** Allow origins on loopback and private addresses (`serve --allow-private-origins`); default false. */
  allowPrivateOrigins?: boolean;
  /**
   * `bridge` (the default): the container's port 9000 published on a free port of the machine; origins
   * must then be reachable from the container's network. `host`: the container shares the machine's
   * network and listens on 127.0.0.1 at a free port, so origins on the machine's loopback (a test's own
   * origin server) are reachable; Linux engines only.
   */
  network?: 'bridge' | 'host';
  /** More of the image's environment (MIRRORSPEC_MAX_OBJECT_SIZE, MIRRORSPEC_ORIGIN_TIMEOUT_MS). */
  environment?: Record<string, string>;
  /** How long to wait for the health check to answer; default 60 s. */
  startupTimeoutMs?: number;
}

export interface RunningSimulatorContainer {
  /** e.g. http://127.0.0.1:32768 */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly image: string;
  readonly containerId: string;
  /** The keys the simulator checks, if access control is on. */
  readonly credentials?: Credentials;
  /** Forgets every bucket, object and rule (`POST /_mirrorspec/reset`), so a test starts from nothing. */
  reset(): Promise<void>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
}

/** Starts the simulator's image and waits until its health check answers. */
export async function startSimulatorContainer(
  options: SimulatorContainerOptions = {},
): Promise<RunningSimulatorContainer> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const image = options.image ?? process.env.MIRRORSPEC_IMAGE ?? `mirrorspec:${VERSION}`;
  const network = options.network ?? 'bridge';
  const hostPort = network === 'host' ? await freeLoopbackPort() : IMAGE_PORT;
  const environment: Record<string, string> = {
    MIRRORSPEC_PROFILE: options.profile ?? 'neutral',
    MIRRORSPEC_ALLOW_PRIVATE_ORIGINS: options.allowPrivateOrigins ? 'true' : 'false',
    ...(options.credentials
      ? {
          MIRRORSPEC_ACCESS_KEY_ID: options.credentials.accessKeyId,
          MIRRORSPEC_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
        }
      : {}),
    ...options.environment,
    // On the machine's network the simulator listens on loopback only: nothing else may reach it.
    ...(network === 'host' ? { MIRRORSPEC_HOST: '127.0.0.1', MIRRORSPEC_PORT: String(hostPort) } : {}),
  };
  let container = new GenericContainer(image)
    .withEnvironment(environment)
    .withStartupTimeout(options.startupTimeoutMs ?? 60_000);
  container =
    network === 'host'
      ? // No published port to poll from outside: the line serve prints once it listens.
        container
          .withNetworkMode('host')
          .withWaitStrategy(Wait.forLogMessage(/mirrorspec simulator listening/))
      : container
          .withExposedPorts(IMAGE_PORT)
          .withWaitStrategy(Wait.forHttp('/_mirrorspec/health', IMAGE_PORT));
  const started = await container.start();
  const host = network === 'host' ? '127.0.0.1' : started.getHost();
  const port = network === 'host' ? hostPort : started.getMappedPort(IMAGE_PORT);
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    endpoint,
    host,
    port,
    image,
    containerId: started.getId(),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    async reset() {
      const response = await fetch(`${endpoint}/_mirrorspec/reset`, {
        method: 'POST',
        headers: options.credentials ? await resetSignature(endpoint, options.credentials) : {},
      });
      if (response.status !== 204) {
        throw new Error(`POST /_mirrorspec/reset answered ${response.status}: ${await response.text()}`);
      }
    },
    async stop() {
      await started.stop();
    },
  };
}

type Testcontainers = typeof import('testcontainers');

async function loadTestcontainers(): Promise<Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (error) {
    throw new Error(
      'startSimulatorContainer needs the testcontainers package (npm install --save-dev testcontainers@11)',
      { cause: error },
    );
  }
}

/** A port free on 127.0.0.1 now: bound to port 0 and given back, for a container on the host network. */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no loopback port was given');
  return address.port;
}

/** The SigV4 headers of the reset call, as an S3 client would sign it (service s3, us-east-1). */
async function resetSignature(endpoint: string, credentials: Credentials): Promise<Record<string, string>> {
  const url = new URL(`${endpoint}/_mirrorspec/reset`);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return signed.headers as Record<string, string>;
}
