// callgrind, as tools/bench/instructions.ts uses it: a server process under it with its instrumentation
// switched on for a window at a time, each window's dump read and split by function into V8's
// collector's, V8's compilers' and the rest.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { stopChild, waitForPort } from './peers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A server under callgrind starts many times slower than without. */
const START_TIMEOUT_MS = 180_000;
const CONTROL_TIMEOUT_MS = 60_000;

/** Instructions of one dump: all of them, and those of the collector and of V8's compilers. */
interface Split {
  instructions: number;
  gc: number;
  compiling: number;
}

// Functions by name, as callgrind_annotate gives them: V8's optimizing and baseline compilers, and its
// heap's collectors (young and old generation, concurrent marking, sweeping, cppgc).
const COMPILING =
  /v8::internal::(compiler|maglev|turboshaft|baseline)::|v8::internal::(OptimizingCompileDispatcher|Compiler::|BaselineBatchCompiler|CompileTask)/;

const COLLECTING =
  /v8::internal::(Scaveng|MarkCompact|MinorMarkCompact|MarkingVisitor|MarkingWorklist|ConcurrentMarking|IncrementalMarking|Sweeper|Evacuat|RememberedSet|SlotSet|GCTracer|Heap::(Collect|Perform|Scavenge|MarkCompact|Evacuat|Iterate))|IterateAndScavenge|heap::base::|cppgc::/;

/** Splits callgrind_annotate's self cost per function (`--inclusive=no`) into the collector's, the compilers' and the rest. */
export function splitAnnotated(annotated: string): Split {
  const split: Split = { instructions: 0, gc: 0, compiling: 0 };
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (!match) continue;
    const count = Number((match[1] as string).replaceAll(',', ''));
    const name = match[2] as string;
    if (name.includes('PROGRAM TOTALS')) {
      split.instructions = count;
      continue;
    }
    if (COMPILING.test(name)) split.compiling += count;
    else if (COLLECTING.test(name)) split.gc += count;
  }
  if (split.instructions === 0) throw new Error('the annotated dump has no PROGRAM TOTALS line');
  return split;
}

/** The total instructions of one callgrind dump. */
export function dumpTotal(text: string): number {
  const match = /^totals:\s+(\d+)\s*$/m.exec(text) ?? /^summary:\s+(\d+)\s*$/m.exec(text);
  if (!match) throw new Error('the callgrind dump has no totals line');
  return Number(match[1]);
}

/** A server process under callgrind, its instrumentation switched on for a window at a time. */
export class UnderCount {
  private dumps = 0;

  private constructor(
    readonly child: ChildProcess,
    private readonly outFile: string,
  ) {}

  static async start(args: string[], port: number, outFile: string, name: string): Promise<UnderCount> {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        `--callgrind-out-file=${outFile}`,
        process.execPath,
        ...args,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const counted = new UnderCount(child, outFile);
    try {
      await waitForPort(port, child, name, START_TIMEOUT_MS);
    } catch (error) {
      await stopChild(child);
      throw error;
    }
    return counted;
  }

  /** Instructions run while `work` runs. */
  async count(work: () => Promise<void>): Promise<Split> {
    this.control(['-i', 'on']);
    try {
      await work();
    } finally {
      this.control(['-i', 'off']);
    }
    this.control(['-d']);
    this.dumps++;
    const file = `${this.outFile}.${this.dumps}`;
    const deadline = Date.now() + CONTROL_TIMEOUT_MS;
    for (;;) {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (/^totals:/m.test(text)) return annotate(file, dumpTotal(text));
      if (Date.now() > deadline) throw new Error(`callgrind wrote no dump ${file} within a minute`);
      await sleep(200);
    }
  }

  private control(args: string[]): void {
    const pid = String(this.child.pid);
    const run = spawnSync('callgrind_control', [...args, pid], {
      encoding: 'utf8',
      timeout: CONTROL_TIMEOUT_MS,
    });
    if (run.status !== 0) {
      throw new Error(
        `callgrind_control ${args.join(' ')} ${pid} failed: ${run.stderr || run.error?.message}`,
      );
    }
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/** A dump's split into the collector's, the compilers' and the rest; its totals line is the check. */
function annotate(file: string, total: number): Split {
  const run = spawnSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    timeout: CONTROL_TIMEOUT_MS,
  });
  if (run.status !== 0)
    throw new Error(`callgrind_annotate ${file} failed: ${run.stderr || run.error?.message}`);
  const split = splitAnnotated(run.stdout);
  if (split.instructions !== total)
    throw new Error(
      `callgrind_annotate counted ${split.instructions} instructions in ${file}, its totals ${total}`,
    );
  return split;
}
