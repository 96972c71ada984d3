// `check --origin-port` names the one port the suite's origin listens on, in every law file. If something
// already holds it, each file's origin fails to start; found out that late, a run spent minutes in silence
// and then printed one EADDRINUSE per file. So the port is tried once before anything runs.

import { createServer } from 'node:net';
import { ToolError } from '../../errors/tool-error.ts';

/** Resolves if the suite's origin can listen on 127.0.0.1:`port`; else an MS_ORIGIN_PORT_BUSY error. */
export async function checkOriginPort(port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      // Where the scriptable origin listens (conformance/origin/scriptable-origin.ts).
      server.listen(port, '127.0.0.1', listening);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError(
      'MS_ORIGIN_PORT_BUSY',
      code === 'EADDRINUSE'
        ? `--origin-port ${port}: another process already listens on 127.0.0.1:${port}; stop it, or give a free port (and point the tunnel at that port)`
        : `--origin-port ${port}: the suite's origin cannot listen on 127.0.0.1:${port} (${code ?? String(error)}); give another port`,
      { cause: error },
    );
  } finally {
    await new Promise<void>((closed) => (server.listening ? server.close(() => closed()) : closed()));
  }
}
