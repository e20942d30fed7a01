// Options several commands share, and reading them into a config.
import { Option } from 'commander';
import { DEMO_CONFIG, DEMO_SNAPSHOT } from '../audit.js';
import { loadConfig, type Config } from '../model/config.js';
import { ALL_SECTION_PATHS } from '../model/snapshot-schema.js';
import type { AllowIncomplete } from '../rules/evaluate.js';
import { SEVERITIES } from '../rules/rule-schema.js';
import { inputError } from '../util/errors.js';

export const configOption = () => new Option('--config <file>', 'config file (jitaudit.config.yaml); every key is optional');
export const rulesOption = () =>
  new Option('--rules <dir>', 'an extra rule directory, on top of the built-in pack (repeatable)').argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );

export function configFrom(options: { config?: string }, fallback?: { path: string; display: string }): Config {
  if (options.config) return loadConfig(options.config);
  return fallback ? loadConfig(fallback.path, fallback.display) : loadConfig(null);
}

export const snapshotOption = (description = 'the snapshot to audit (JSON; see schemas/snapshot.schema.json)') =>
  new Option('--snapshot <file>', description).conflicts('demo');
export const demoOption = () => new Option('--demo', 'use the bundled demo snapshot and its config (no cloud credentials needed)');
export const failOnOption = (description: string) =>
  new Option('--fail-on <severity>', description).choices([...SEVERITIES.filter((s) => s !== 'info'), 'none']).default('high');

export interface SnapshotFlags {
  snapshot?: string;
  demo?: boolean;
  config?: string;
}

/** --snapshot FILE, or --demo, which brings its own config (breakglass users, waivers) unless --config says otherwise. */
export function snapshotSource(command: string, flags: SnapshotFlags): { snapshotFile: string; displayPath?: string; config: Config } {
  if (!flags.snapshot && !flags.demo) throw inputError(command, null, 'give --snapshot FILE or --demo');
  return {
    snapshotFile: flags.snapshot ?? DEMO_SNAPSHOT,
    ...(flags.demo ? { displayPath: 'reports/demo/snapshot.json' } : {}),
    config: configFrom(flags, flags.demo ? { path: DEMO_CONFIG, display: 'reports/demo/jitaudit.config.yaml' } : undefined),
  };
}

export const allowIncompleteOption = (description: string) => new Option('--allow-incomplete [sections]', description);

/**
 * --allow-incomplete: bare, every missing section a rule needs; with a comma-separated list, those
 * sections only (`aws.iamUsers` covers every account's). A cloud nothing was read of is never accepted.
 */
export function allowIncompleteFrom(value: boolean | string | undefined): AllowIncomplete {
  if (value === undefined || typeof value === 'boolean') return value === true;
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(ALL_SECTION_PATHS as readonly string[]).includes(name)) {
      throw inputError('--allow-incomplete', null, `"${name}" is not a snapshot section; one of ${ALL_SECTION_PATHS.join(', ')}, comma-separated`);
    }
  }
  return [...new Set(names)];
}

/** An environment variable a command reads, and what it does, for the command's --help. */
export type EnvVar = readonly [name: string, meaning: string];

/** What every command reads (main.ts, heap.ts). */
export const COMMON_ENV: readonly EnvVar[] = [
  ['JITAUDIT_DEBUG', 'set: an internal error prints its stack'],
  ['JITAUDIT_HEAP_GROWING_PERCENT', "how far the heap may grow past what is live, in per cent (default 75; 0: V8's own choice)"],
];

/** The text --help shows after the options: the variables, aligned. */
export function environmentHelp(vars: readonly EnvVar[]): string {
  const width = Math.max(...vars.map(([name]) => name.length));
  return `\nEnvironment variables:\n${vars.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`).join('\n')}`;
}
