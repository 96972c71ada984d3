// `mirrorspec <command>`: dispatches to the command of each layer. Each command is imported only when it
// runs, so `serve` does not load the conformance suite (vitest, fast-check) and `--help` loads nothing.

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
      return (await import('../conformance/targets/container-target.ts')).checkWithContainerTarget(
        rest,
        (await import('../conformance/check-command.ts')).checkCommand,
      );
    case 'serve':
      return (await import('../simulator/serve-command.ts')).serveCommand(rest);
    case 'prepush':
      return (await import('../tools/prepush-command.ts')).prepushCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`mirrorspec: unknown command '${command}'; see mirrorspec --help\n`);
      return 2;
  }
}
