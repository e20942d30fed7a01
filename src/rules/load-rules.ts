// Loading rule files: schema (ajv), CEL compilation, parameter typing and config overrides.
// Any problem is one InputError naming the file and the rule id.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../model/config.js';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { inputDurationSeconds } from '../util/duration.js';
import { inputError } from '../util/errors.js';
import { parseYaml, readText } from '../util/read-input.js';
import { celDuration, comprehensionNesting, guardCondition, MAX_COMPREHENSION_NESTING, ruleEnvironment } from './cel.js';
import { RESOURCE_TYPES, type ResourceType } from './resource-types.js';
import { RuleFileSchema, type RuleFile, type RuleParam } from './rule-schema.js';
import { compileMessage, lookupKeys, placeholders } from './template.js';
import { constantFor, type PathObjectKind } from './path-object-kinds.js';
import { didYouMean, nearest } from '../util/suggest.js';
import { conditionReads } from './condition-memo.js';
import { pointerToken } from '../util/json-pointer.js';
import { testCaseProblem } from './rule-tests.js';

/** What a message may name of a finding's object and impact. */
const OBJECT_FIELDS = ['type', 'id', 'name'];
const IMPACT_FIELDS = ['paths', 'people', 'accounts', 'prodAccounts', 'worstWindow'];

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CompiledRule {
  /** The file as error lines and reports name it: built-in rules relative to the package, others to the working directory. */
  file: string;
  builtin: boolean;
  def: RuleFile;
  type: ResourceType;
  /** What one finding is about, for a rule over access paths (its matches are grouped by it); else the item. */
  object: PathObjectKind;
  evaluate: (context: Record<string, unknown>) => unknown;
  /** The `resource` fields the condition reads, or null when it may read more (condition-memo.ts). */
  reads: string[][] | null;
  /** Parameter values as written (ISO strings for durations): for messages and reports. */
  params: Record<string, unknown>;
  /** The same values as CEL sees them. */
  celParams: Record<string, unknown>;
  /** The finding message: the template (compiled once) over the item's data (a grouped rule: its first path's), the object and the impact. */
  message: (context: { resource: Record<string, unknown>; object: unknown; impact: unknown }) => string;
  /** The item's evidence: the rule's `evidence` fields, or all of the data. */
  evidence: (data: Record<string, unknown>) => Record<string, unknown>;
}

function evidencePicker(paths: string[] | undefined): CompiledRule['evidence'] {
  if (!paths) return (data) => data;
  const split = paths.map((p) => [p, p.split('.')] as const);
  return (data) => {
    const out: Record<string, unknown> = {};
    for (const [path, keys] of split) out[path] = lookupKeys(data, keys) ?? null;
    return out;
  };
}

/**
 * The rule files under a directory, in name order. Symbolic links are followed, but one that points
 * nowhere, or back to a directory being read (which would recurse without end), is an input error;
 * so is anything that is neither a directory nor a regular file (a device could be read for ever).
 * `reading` holds the real paths of the directories being read, `read` those read already.
 */
function ruleFiles(dir: string, reading = new Set<string>(), read = new Map<string, string>()): string[] {
  let entries: string[];
  let real: string;
  try {
    real = realpathSync(dir);
    entries = readdirSync(dir).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw inputError(display(dir), null, 'symbolic link loop');
    if (code === 'ENOENT' && isLink(dir)) throw inputError(display(dir), null, 'dangling symbolic link (its target does not exist)');
    throw inputError(display(dir), null, 'rules directory not found or unreadable');
  }
  if (reading.has(real)) throw inputError(display(dir), null, `symbolic link loop (leads back to ${display(real)}, which contains it)`);
  const earlier = read.get(real);
  if (earlier !== undefined) throw inputError(display(dir), null, `the same directory as ${display(earlier)} (through a symbolic link): its rules would be loaded twice`);
  reading.add(real);
  read.set(real, dir);
  const files = entries.flatMap((name) => {
    const full = join(dir, name);
    let stat: Stats;
    try {
      stat = statSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw inputError(display(full), null, 'symbolic link loop');
      if (code === 'ENOENT' && isLink(full)) throw inputError(display(full), null, 'dangling symbolic link (its target does not exist)');
      throw inputError(display(full), null, `cannot read (${code ?? 'error'})`);
    }
    if (stat.isDirectory()) return ruleFiles(full, reading, read);
    if (!/\.ya?ml$/.test(name)) return [];
    if (!stat.isFile()) throw inputError(display(full), null, 'not a regular file');
    return [full];
  });
  reading.delete(real);
  return files;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

const display = (file: string) => {
  const inPackage = relative(PACKAGE_ROOT, file);
  const rel = file.startsWith(BUILTIN_RULES_DIR) ? inPackage : relative(process.cwd(), file);
  return (rel.startsWith('..') ? file : rel).split('\\').join('/');
};

/**
 * Whether `keys` is a field of the collection's items, by its example item: null when it is, else
 * what is wrong, with the nearest field when one is a typo away. A free-form map (an account's tags,
 * listed in the type's `maps`) takes any key; a list or a scalar has no fields to select. `prefix`
 * is how the rule wrote the path (`resource.` in a condition, nothing in an evidence list).
 */
export function fieldProblem(resource: string, type: ResourceType, keys: readonly string[], prefix = ''): string | null {
  let value: unknown = type.example;
  for (let depth = 0; depth < keys.length; depth++) {
    const above = keys.slice(0, depth).join('.');
    if (depth > 0 && type.maps?.includes(above)) return null;
    const key = keys[depth]!;
    const head = `"${prefix}${keys.join('.')}" is not a field of ${resource}`;
    if (value === null) return `${head}: ${above} is null in the model, its fields are not documented`;
    if (Array.isArray(value)) return `${head}: ${above} is a list; read its items with a macro (exists, all, map, filter)`;
    if (typeof value !== 'object') {
      const kind = type.durations.includes(above) ? 'duration' : type.timestamps.includes(above) ? 'timestamp' : typeof value;
      return `${head}: ${above} is a ${kind}, it has no fields`;
    }
    if (!Object.hasOwn(value, key)) {
      const near = nearest(key, Object.keys(value));
      return `${head}${near === null ? '' : `; did you mean ${[...keys.slice(0, depth), near].join('.')}?`}`;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return null;
}

export function checkParamValue(param: RuleParam, value: unknown): string | null {
  switch (param.type) {
    case 'duration':
      return inputDurationSeconds(value) !== null ? null : 'an ISO-8601 duration such as PT4H (at most P3652500D)';
    case 'int':
      return Number.isInteger(value) ? null : 'a whole number';
    case 'string':
      return typeof value === 'string' ? null : 'a string';
    case 'bool':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'a list of strings';
  }
}

export function celParam(param: RuleParam, value: unknown): unknown {
  if (param.type === 'duration') return celDuration(value as string);
  if (param.type === 'int') return BigInt(value as number);
  return value;
}

export function compileRule(file: string, def: RuleFile, overrides: Record<string, unknown> = {}, overrideSource = 'config'): CompiledRule {
  const where = `${display(file)}: rule ${def.id}`;
  const type = RESOURCE_TYPES[def.resource];
  if (!type) throw inputError(where, '/resource', `unknown resource "${def.resource}"; one of ${Object.keys(RESOURCE_TYPES).join(', ')}`);

  const declared = def.params ?? {};
  const params: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(declared)) {
    const problem = checkParamValue(param, param.default);
    if (problem) throw inputError(where, `/params/${name}/default`, `must be ${problem}`);
    params[name] = param.default;
  }
  for (const [name, value] of Object.entries(overrides)) {
    const param = declared[name];
    if (!param) throw inputError(overrideSource, `/rules/params/${def.id}/${pointerToken(name)}`, `rule ${def.id} has no parameter "${name}"`);
    const problem = checkParamValue(param, value);
    if (problem) throw inputError(overrideSource, `/rules/params/${def.id}/${pointerToken(name)}`, `must be ${problem}`);
    params[name] = value;
  }
  const celParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, celParam(declared[k]!, v)]));

  const checked = ruleEnvironment.check(def.when);
  if (!checked.valid) {
    throw inputError(where, '/when', `CEL does not compile: ${(checked.error?.message ?? 'invalid').split('\n')[0]}`);
  }
  const compiled = ruleEnvironment.parse(def.when);
  const nesting = comprehensionNesting(compiled.ast);
  if (nesting > MAX_COMPREHENSION_NESTING) {
    throw inputError(where, '/when', `comprehensions (all, exists, exists_one, map, filter) nested ${nesting} deep, at most ${MAX_COMPREHENSION_NESTING}: each level multiplies the work by a list's length`);
  }

  if (def.object !== undefined && def.resource !== 'accessPaths') {
    throw inputError(where, '/object', `only a rule over accessPaths names an object; the items of ${def.resource} are objects already`);
  }
  // The condition reads fields of the resource model, as a typed language would check them: a
  // misspelt field is an error now, not a rule that silently never fires (CEL's has() is false, and a
  // read of a missing field fails on the first item only at audit time).
  const reads = conditionReads(compiled.ast);
  for (const chain of reads ?? []) {
    const problem = fieldProblem(def.resource, type, chain, 'resource.');
    if (problem !== null) throw inputError(where, '/when', problem);
  }
  const unguarded = guardCondition(compiled.ast);
  if (unguarded !== null) throw inputError(where, '/when', unguarded);

  const object: PathObjectKind = def.object ?? 'path';
  const grouped = (field: string) =>
    `"${field}" differs between the paths of one ${object}: name the object with {{object.name}}, or group by another object`;
  for (const path of placeholders(def.message)) {
    const [root, ...rest] = path.split('.');
    const field = rest.join('.');
    const ok =
      root === 'params'
        ? rest.length === 1 && Object.hasOwn(declared, rest[0]!)
        : root === 'resource'
          ? rest.length > 0 && fieldProblem(def.resource, type, rest) === null
          : root === 'object'
            ? rest.length === 1 && OBJECT_FIELDS.includes(rest[0]!)
            : root === 'impact' && rest.length === 1 && IMPACT_FIELDS.includes(rest[0]!);
    if (!ok) throw inputError(where, '/message', `placeholder {{${path}}} names nothing in ${def.resource}, object, impact or params`);
    if (root === 'resource' && def.resource === 'accessPaths' && !constantFor(object, field)) throw inputError(where, '/message', `placeholder {{${path}}}: ${grouped(field)}`);
  }
  for (const path of def.evidence ?? []) {
    const problem = fieldProblem(def.resource, type, path.split('.'));
    if (problem !== null) throw inputError(where, '/evidence', problem);
    if (def.resource === 'accessPaths' && !constantFor(object, path)) throw inputError(where, '/evidence', grouped(path));
  }
  if (def.resource === 'accessPaths' && def.evidence === undefined && object !== 'path') {
    throw inputError(where, '/evidence', `a rule grouped by ${object} lists its evidence fields (the fields of its paths that are the same for the whole ${object})`);
  }
  for (const expect of ['pass', 'fail'] as const) {
    def.tests[expect].forEach((testCase, i) => {
      const problem = testCaseProblem(expect, testCase);
      if (problem) throw inputError(where, `/tests/${expect}/${i}${problem.pointer}`, problem.message);
    });
  }
  const message = compileMessage(def.message);
  return {
    file: display(file),
    builtin: file.startsWith(BUILTIN_RULES_DIR),
    def,
    type,
    evaluate: (ctx) => compiled(ctx),
    reads,
    params,
    celParams,
    object,
    message: (context) => message({ ...context, params }),
    evidence: evidencePicker(def.evidence),
  };
}

export interface LoadRulesOptions {
  /** Extra directories (--rules DIR); the built-in pack is always loaded first. */
  dirs: string[];
  config: Config;
  builtin?: boolean;
  /** Keep the rules the config disables too (`rules list` shows them as disabled). */
  keepDisabled?: boolean;
}

export function loadRules({ dirs, config, builtin = true, keepDisabled = false }: LoadRulesOptions): CompiledRule[] {
  const validate = validatorFor<RuleFile>(RuleFileSchema);
  const files = [...(builtin ? ruleFiles(BUILTIN_RULES_DIR) : []), ...dirs.flatMap((dir) => ruleFiles(dir))];
  const byId = new Map<string, CompiledRule>();
  for (const file of files) {
    const value = parseYaml(display(file), readText(file));
    if (!validate(value)) {
      const { pointer, message } = describeAjvError(validate.errors![0]!);
      const id = (value as { id?: unknown } | null)?.id;
      throw inputError(typeof id === 'string' ? `${display(file)}: rule ${id}` : display(file), pointer, message);
    }
    const expected = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
    if (value.id !== expected) throw inputError(display(file), '/id', `must match the file name ("${expected}")`);
    const earlier = byId.get(value.id);
    if (earlier) throw inputError(display(file), '/id', `rule id "${value.id}" is already defined in ${earlier.file}`);
    byId.set(value.id, compileRule(file, value, config.ruleParams[value.id] ?? {}, config.file ?? 'config'));
  }
  const known = new Set(byId.keys());
  const configFile = config.file ?? 'config';
  for (const id of Object.keys(config.ruleParams)) {
    if (!known.has(id)) throw inputError(configFile, `/rules/params/${pointerToken(id)}`, `unknown rule id "${id}"${didYouMean(id, known)}`);
  }
  config.disabledRules.forEach((id, i) => {
    if (!known.has(id)) throw inputError(configFile, `/rules/disabled/${i}`, `unknown rule id "${id}"${didYouMean(id, known)}`);
  });
  config.waivers.forEach((w, i) => {
    if (!known.has(w.rule)) throw inputError(configFile, `/waivers/${i}/rule`, `unknown rule id "${w.rule}"${didYouMean(w.rule, known)}`);
  });
  return [...byId.values()]
    .filter((r) => keepDisabled || !config.disabledRules.includes(r.def.id))
    .sort((a, b) => (a.def.id < b.def.id ? -1 : 1));
}
