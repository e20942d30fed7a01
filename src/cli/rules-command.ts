// jitaudit rules list | rules test: the rule pack as data, and its inline tests.
import { Command, Option } from 'commander';
import { loadRules } from '../rules/load-rules.js';
import { runRuleTests } from '../rules/rule-tests.js';
import { configFrom, configOption, rulesOption } from './shared-options.js';

interface RulesFlags {
  config?: string;
  rules?: string[];
  json?: boolean;
}

export function rulesCommand(setExit: (code: number) => void): Command {
  const rules = new Command('rules').description('List the rules, or run their inline tests.');
  rules
    .command('list')
    .description('List every rule (built-in and --rules DIR) with severity, resource and title.')
    .addOption(configOption())
    .addOption(rulesOption())
    .addOption(new Option('--json', 'print JSON'))
    .action((flags: RulesFlags) => {
      const loaded = loadRules({ dirs: flags.rules ?? [], config: configFrom(flags) });
      if (flags.json) {
        const list = loaded.map((r) => ({
          id: r.def.id,
          severity: r.def.severity,
          resource: r.def.resource,
          // What one finding is about (rules over access paths group their matches by it).
          ...(r.def.resource === 'accessPaths' ? { object: r.object } : {}),
          title: r.def.title,
          file: r.file,
          params: r.params,
        }));
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const width = Math.max(...loaded.map((r) => r.def.id.length));
      // A rule over access paths shows the object one of its findings is about: accessPaths/grant.
      const about = (r: (typeof loaded)[number]) => (r.def.resource === 'accessPaths' ? `${r.def.resource}/${r.object}` : r.def.resource);
      for (const r of loaded) {
        process.stdout.write(`${r.def.id.padEnd(width)}  ${r.def.severity.padEnd(8)}  ${about(r).padEnd(29)}  ${r.def.title}\n`);
      }
      process.stdout.write(`${loaded.length} rules\n`);
    })
    .exitOverride();
  rules
    .command('test')
    .description('Run the inline pass/fail tests of every rule (built-in and --rules DIR).')
    .addOption(configOption())
    .addOption(rulesOption())
    .action((flags: RulesFlags) => {
      const loaded = loadRules({ dirs: flags.rules ?? [], config: configFrom(flags) });
      const results = runRuleTests(loaded);
      for (const r of results.filter((x) => !x.ok)) {
        process.stdout.write(`FAIL ${r.file}: rule ${r.rule}: tests.${r.expect}[${r.index}]: ${r.problem}\n`);
      }
      const failed = results.filter((r) => !r.ok).length;
      process.stdout.write(`rule tests: ${results.length - failed} passed, ${failed} failed (${loaded.length} rules)\n`);
      setExit(failed ? 1 : 0);
    })
    .exitOverride();
  return rules;
}
