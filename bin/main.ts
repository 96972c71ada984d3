// `mirrorspec <command>`: dispatches to the command of each layer.

import { checkCommand } from '../conformance/check-command.ts';
import { serveCommand } from '../simulator/serve-command.ts';
import { prepushCommand } from '../tools/prepush-command.ts';

const USAGE = `usage: mirrorspec <command> [options]

commands:
  check    run the conformance suite and write a report (mirrorspec check --help)
  prepush  pull a list of objects from the origin into a bucket (mirrorspec prepush --help)
  serve    run the simulator on a port (mirrorspec serve --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return checkCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'prepush':
      return prepushCommand(rest);
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
