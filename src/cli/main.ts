// The command line: parse, dispatch, and turn every failure into one line and an exit code (exit-codes.ts).
import { Command, CommanderError } from 'commander';
import { InputError } from '../util/errors.js';
import { printable } from '../util/printable.js';
import { TOOL } from '../util/version.js';

export { printable };
import { auditCommand } from './audit-command.js';
import { collectCommand } from './collect-command.js';
import { rulesCommand } from './rules-command.js';
import { explainCommand } from './explain-command.js';
import { evidenceCommand } from './evidence-command.js';
import { initCommand } from './init-command.js';
import { limitHeapGrowth } from './heap.js';
import { collectAfterParsing } from '../util/release-memory.js';
import { EXIT } from './exit-codes.js';

export { EXIT };

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command()
    .name('jitaudit')
    .description('Read-only, policy-as-code auditor for just-in-time privileged access to AWS through Entra ID PIM for Groups and IAM Identity Center.')
    .version(TOOL.version)
    .exitOverride()
    // Usage errors are one line too: commander's hints ("Did you mean …?") join the message.
    .configureOutput({
      outputError: (text, write) =>
        write(`${text.replace(/^error: /, 'jitaudit: ').trim().split('\n').map((l) => l.trim()).join(' ')} (see --help)\n`),
    });
  program.addCommand(collectCommand(setExit));
  program.addCommand(auditCommand(setExit));
  program.addCommand(rulesCommand(setExit));
  program.addCommand(explainCommand(setExit));
  program.addCommand(evidenceCommand(setExit));
  program.addCommand(initCommand(setExit));
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
    for (const sub of command.commands) sub.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/** `tuneHeap`: the jitaudit process itself (bin/jitaudit.js through start.ts), not a test calling in. */
export async function main(argv: string[], options: { tuneHeap?: boolean } = {}): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    if (options.tuneHeap) {
      limitHeapGrowth();
      collectAfterParsing();
    }
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.input;
    }
    if (error instanceof InputError) {
      process.stderr.write(`jitaudit: ${printable(error.message)}\n`);
      return EXIT.input;
    }
    process.stderr.write(`jitaudit: internal error: ${printable((error as Error).message ?? String(error))}\n`);
    if (process.env.JITAUDIT_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    else process.stderr.write('jitaudit: this is a bug; set JITAUDIT_DEBUG=1 for the stack and please report it\n');
    return EXIT.internal;
  }
}

