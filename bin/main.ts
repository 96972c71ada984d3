// `mirrorspec <command>`: dispatches to the command of each layer.

import { serveCommand } from '../simulator/serve-command.ts';

const USAGE = `usage: mirrorspec <command> [options]

commands:
  serve    run the simulator on a port (mirrorspec serve --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`mirrorspec: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}
