// The tool's own errors: what goes wrong around a run (a bad option, a bad file, a target that does not
// answer), as opposed to what a target answers (S3Error in simulator/errors/, and the spec's
// CatalogueError, ProfileError and DialectError, which stay with the contract). One class keyed by a code
// union, as undici's lib/core/errors.js keys its errors by a stable `code`: scripts match the code, people
// read the message, which always says what to do next.
//
// This folder imports nothing, so every command may import it without crossing a boundary: the simulator's
// `mirrorspec serve`, the suite's `mirrorspec check` (which may reach the simulator only through
// simulator/index.ts) and the tools/ built on both.

/**
 * Each code, and the exit status of a command that stops on it: 2 where what the user gave is wrong before
 * anything ran (a usage error, as `check --help` says), 1 where the run could not go on.
 */
const EXIT_STATUS = {
  /** A command-line option or argument is wrong; the message points at the command's --help. */
  MS_USAGE: 2,
  /** The expectations file of `check --expect` cannot be read or is not what it must be. */
  MS_EXPECTATIONS: 2,
  /** The static rules file of `check --static-rules` cannot be read or is not what it must be. */
  MS_STATIC_RULES: 2,
  /** The template of `prepush` cannot be read (1: prepush has always exited so on it). */
  MS_TEMPLATE: 1,
  /** A target or store that needs keys was given none. */
  MS_CREDENTIALS: 2,
  /** The run configuration handed to the suite's child process is unknown or malformed. */
  MS_RUN_CONFIG: 2,
  /** Nothing answers at the target's or store's address. */
  MS_TARGET_UNREACHABLE: 1,
  /** The port `check --origin-port` names is held by another process, so the suite's origin cannot start. */
  MS_ORIGIN_PORT_BUSY: 1,
} as const satisfies Record<string, 1 | 2>;

type ToolErrorCode = keyof typeof EXIT_STATUS;

export class ToolError extends Error {
  override name = 'ToolError';

  constructor(
    readonly code: ToolErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The exit status of a command that stops on this error. */
  get exitStatus(): 1 | 2 {
    return EXIT_STATUS[this.code];
  }
}

/** Whether `error` is a tool error, of the given code if one is named. */
export function isToolError(error: unknown, code?: ToolErrorCode): error is ToolError {
  return error instanceof ToolError && (code === undefined || error.code === code);
}

/** The one line a command prints for a tool error: `<command>: <code>: <message>`. */
export function toolErrorLine(command: string, error: ToolError): string {
  return `${command}: ${error.code}: ${error.message}\n`;
}

/**
 * The one line a command prints for a usage error, pointing at its help rather than printing all of it
 * after every mistake: `<command>: MS_USAGE: <message>; see <command> --help`.
 */
export function usageErrorLine(command: string, error: ToolError): string {
  return `${command}: ${error.code}: ${error.message}; see ${command} --help\n`;
}
