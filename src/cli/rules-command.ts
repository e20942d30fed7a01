// jitaudit rules list | rules test | rules docs: the rule pack as data, its inline tests, its reference docs.
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../model/config.js';
import { loadRules, type CompiledRule } from '../rules/load-rules.js';
import { ruleDocs } from '../rules/rule-docs.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { runRuleTests } from '../rules/rule-tests.js';
import { inputError } from '../util/errors.js';
import { printable, printableLines } from '../util/printable.js';
import { makeDirectory, writeOutputs } from '../util/write-outputs.js';
import { configFrom, configOption, rulesOption } from './shared-options.js';

interface RulesFlags {
  config?: string;
  rules?: string[];
  json?: boolean;
  severity?: Severity;
  out?: string;
}

/** A framework's short name for a table column: "NIST SP 800-53 Rev. 5" → "NIST 800-53", "ISO/IEC 27001:2022" → "ISO 27001". */
export function shortFramework(name: string): string {
  return name
    .replace(/^ISO\/IEC\s+/, 'ISO ')
    .replace(/^NIST SP\s+/, 'NIST ')
    .replace(/:\d{4}$/, '')
    .replace(/\s+Rev\.\s*\d+$/, '')
    .replace(/\s+Foundations(\s+v?\d+(\.\d+)*)?$/, '')
    .replace(/^CIS Microsoft Azure\b/, 'CIS Azure');
}

const frameworks = (r: CompiledRule) => [...new Set(r.def.references.map((x) => shortFramework(x.framework)))].join(', ');
const rank = (s: Severity) => SEVERITIES.indexOf(s);
/** Critical first, then by id. */
const bySeverity = (a: CompiledRule, b: CompiledRule) => rank(a.def.severity) - rank(b.def.severity) || (a.def.id < b.def.id ? -1 : 1);

export function rulesCommand(setExit: (code: number) => void): Command {
  const rules = new Command('rules').description('List the rules, run their inline tests, or write their reference docs.');
  rules
    .command('list')
    .description(
      'List every rule (built-in and --rules DIR), most severe first, with severity, resource, frameworks and title; rules the config disables are marked.',
    )
    .addOption(configOption())
    .addOption(rulesOption())
    .addOption(new Option('--severity <level>', 'only rules at or above this severity').choices([...SEVERITIES]))
    .addOption(new Option('--json', 'print JSON: every field of each rule'))
    .action((flags: RulesFlags) => {
      const config = configFrom(flags);
      const loaded = loadRules({ dirs: flags.rules ?? [], config, keepDisabled: true })
        .filter((r) => flags.severity === undefined || rank(r.def.severity) <= rank(flags.severity))
        .sort(bySeverity);
      const enabled = (r: CompiledRule) => !config.disabledRules.includes(r.def.id);
      if (flags.json) {
        const list = loaded.map((r) => ({
          id: r.def.id,
          title: r.def.title,
          severity: r.def.severity,
          resource: r.def.resource,
          // What one finding is about (rules over access paths group their matches by it).
          ...(r.def.resource === 'accessPaths' ? { object: r.object } : {}),
          enabled: enabled(r),
          description: r.def.description,
          when: r.def.when,
          message: r.def.message,
          // Values with config overrides applied; paramSpecs says what each is and its default.
          params: r.params,
          paramSpecs: r.def.params ?? {},
          evidence: r.def.evidence ?? null,
          remediation: r.def.remediation,
          references: r.def.references,
          tags: r.def.tags ?? [],
          file: r.file,
        }));
        // Rule packs from --rules DIR are not ours: bidi and C1 controls, which JSON.stringify leaves raw,
        // are written as \u escapes (the same string to a JSON reader).
        process.stdout.write(printableLines(`${JSON.stringify(list, null, 2)}\n`));
        return;
      }
      // A rule over access paths shows the object one of its findings is about: accessPaths/grant.
      const about = (r: CompiledRule) => (r.def.resource === 'accessPaths' ? `${r.def.resource}/${r.object}` : r.def.resource);
      const rows = [
        ['ID', 'SEVERITY', 'RESOURCE', 'FRAMEWORKS', 'TITLE'],
        ...loaded.map((r) => [r.def.id, r.def.severity, about(r), frameworks(r), `${r.def.title}${enabled(r) ? '' : ' (disabled)'}`].map(printable)),
      ];
      const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
      for (const row of rows) process.stdout.write(`${row.map((v, c) => (c < 4 ? v.padEnd(widths[c]!) : v)).join('  ')}\n`);
      const disabled = loaded.filter((r) => !enabled(r)).length;
      process.stdout.write(`${loaded.length} rules${disabled ? ` (${disabled} disabled by the config)` : ''}\n`);
    })
    .exitOverride();
  rules
    .command('test')
    .description('Run the inline tests of every rule (built-in and --rules DIR): pass cases must not fire, fail cases must, with the message and evidence they assert.')
    .addOption(configOption())
    .addOption(rulesOption())
    .action((flags: RulesFlags) => {
      const loaded = loadRules({ dirs: flags.rules ?? [], config: configFrom(flags) });
      const results = runRuleTests(loaded);
      for (const r of results.filter((x) => !x.ok)) {
        process.stdout.write(`FAIL ${printable(`${r.file}: rule ${r.rule}: tests.${r.expect}[${r.index}]: ${r.problem}`)}\n`);
      }
      const failed = results.filter((r) => !r.ok).length;
      process.stdout.write(`rule tests: ${results.length - failed} passed, ${failed} failed (${loaded.length} rules)\n`);
      setExit(failed ? 1 : 0);
    })
    .exitOverride();
  rules
    .command('docs')
    .description(
      'Write reference docs: OUT/rules/<id>.md for every rule (built-in and --rules DIR), OUT/rules/README.md (the index) and OUT/resources.md (the resource collections and their fields). Parameters show their defaults; no config is read.',
    )
    .requiredOption('--out <dir>', 'the docs folder')
    .addOption(rulesOption())
    .action(async (flags: RulesFlags) => {
      // Defaults, not one installation's overrides: the docs describe the rule pack itself.
      const loaded = loadRules({ dirs: flags.rules ?? [], config: loadConfig(null) });
      const files = ruleDocs(loaded);
      const out = flags.out!;
      // All or nothing, like the reports (write-outputs.ts: its mkdir -p does not spin under /proc).
      try {
        makeDirectory(join(out, 'rules'));
      } catch (error) {
        throw inputError(out, null, `cannot write the docs (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      await writeOutputs(out, files);
      process.stdout.write(`wrote ${files.size} files to ${printable(out)}\n`);
    })
    .exitOverride();
  return rules;
}
