// SARIF 2.1.0 for GitHub code scanning: rules with help and security-severity, one
// result per finding (a root cause: the object a person changes) at the line of that object in the
// snapshot, its impact in words, a logical location naming the object, and partialFingerprints
// (rule + object) that stay put across nightly runs while the object's impact changes.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { readFileSync } from 'node:fs';
import type { CompiledRule } from '../rules/load-rules.js';
import type { Severity } from '../rules/rule-schema.js';
import { jsonChunks, LazyArray } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import type { LocatedFinding } from '../rules/evaluate.js';
import { impactWords, type Impact } from '../rules/impact.js';
import type { AuditResult } from './audit-result.js';
import { documentPointer, locateJsonPointersInFile } from './json-locator.js';
import { withSnapshotFile } from '../model/load-snapshot.js';
import { yamlLocator, type Position } from './locations.js';
import { isoToWords } from '../util/duration.js';

/** GitHub's bands: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const SECURITY_SEVERITY: Record<Severity, string | null> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.5',
  info: null,
};

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const pascal = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

function ruleHelp(rule: CompiledRule): { text: string; markdown: string } {
  const d = rule.def;
  const refs = d.references.map((r) => `${r.framework} ${r.id}`);
  const params = Object.entries(d.params ?? {}).map(([name, p]) => {
    const value = rule.params[name];
    const shown = p.type === 'duration' && typeof value === 'string' ? `${value} (${isoToWords(value)})` : JSON.stringify(value);
    return { name, text: `${name} = ${shown}: ${p.description}` };
  });
  const text = [
    d.description,
    `Remediation: ${d.remediation}`,
    `References: ${refs.join('; ')}`,
    ...(params.length ? [`Parameters: ${params.map((p) => p.text).join('; ')}`] : []),
    `Rule file: ${rule.file}`,
  ].join('\n\n');
  const markdown = [
    `**${d.title}**`,
    d.description,
    `**Remediation.** ${d.remediation}`,
    `**References.**\n${d.references.map((r) => `- ${r.url ? `[${r.framework} ${r.id}](${r.url})` : `${r.framework} ${r.id}`}`).join('\n')}`,
    ...(params.length ? [`**Parameters** (override under \`rules.params.${d.id}\` in the config).\n${params.map((p) => `- \`${p.text}\``).join('\n')}`] : []),
    `Rule file: \`${rule.file}\``,
  ].join('\n\n');
  return { text, markdown };
}

function descriptor(rule: CompiledRule): ReportingDescriptor {
  const d = rule.def;
  const securitySeverity = SECURITY_SEVERITY[d.severity];
  return {
    id: d.id,
    name: pascal(d.id),
    shortDescription: { text: d.title },
    fullDescription: { text: d.description },
    help: ruleHelp(rule),
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties: {
      tags: ['security', d.resource, ...(d.tags ?? [])],
      precision: 'high',
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      severity: d.severity,
      // What one result of a rule over access paths is about (its paths are grouped by it).
      ...(d.resource === 'accessPaths' ? { object: rule.object } : {}),
    },
  };
}

/**
 * GitHub code scanning shows at most 5,000 results of an upload: past that, this file is cut
 * (selectResults says what stays) and the run says what was left out. Every finding stays in report.json.
 */
export const GITHUB_MAX_RESULTS = 5_000;

export interface ResultSelection {
  /** The findings that become results, in finding order (severity, then impact). */
  kept: LocatedFinding[];
  /** Findings left out, by rule, in finding order of the rules' first cut finding. */
  cutByRule: Record<string, number>;
  /** Rules with an open finding and no result: there were more such rules than results allowed. */
  failingRulesWithoutResult: string[];
}

/**
 * The findings a file of at most `max` results holds. A reader must see every rule that fails, so the
 * first open finding of each such rule goes in first (rules in finding order: the most severe first);
 * then the other open findings in finding order; waived ones only in what room is left.
 */
export function selectResults(findings: readonly LocatedFinding[], max: number): ResultSelection {
  if (findings.length <= max) return { kept: [...findings], cutByRule: {}, failingRulesWithoutResult: [] };
  const taken = new Uint8Array(findings.length);
  let room = Math.max(0, max);
  const failing = new Set<string>();
  const represented = new Set<string>();
  findings.forEach(({ finding }, i) => {
    if (finding.status !== 'open' || failing.has(finding.ruleId)) return;
    failing.add(finding.ruleId);
    if (room === 0) return;
    taken[i] = 1;
    represented.add(finding.ruleId);
    room--;
  });
  for (const status of ['open', 'waived'] as const) {
    for (let i = 0; i < findings.length && room > 0; i++) {
      if (taken[i] || findings[i]!.finding.status !== status) continue;
      taken[i] = 1;
      room--;
    }
  }
  const kept: LocatedFinding[] = [];
  const cutByRule: Record<string, number> = {};
  findings.forEach((f, i) => {
    if (taken[i]) kept.push(f);
    else cutByRule[f.finding.ruleId] = (cutByRule[f.finding.ruleId] ?? 0) + 1;
  });
  return { kept, cutByRule, failingRulesWithoutResult: [...failing].filter((id) => !represented.has(id)) };
}

const count = (n: number) => n.toLocaleString('en-US');

/** What a cut file says of itself, in plain words. */
function cutNotice(total: number, max: number, selection: ResultSelection): string {
  const { kept, cutByRule, failingRulesWithoutResult: missing } = selection;
  const limit =
    max === GITHUB_MAX_RESULTS
      ? `GitHub code scanning shows at most ${count(GITHUB_MAX_RESULTS)} results per upload`
      : `this file holds at most ${count(max)} results (GitHub code scanning shows at most ${count(GITHUB_MAX_RESULTS)} per upload)`;
  const rules = missing.length
    ? `There are more rules with open findings than results allowed: the most severe rules have their first finding here, and ${missing.length} ${missing.length === 1 ? 'rule has' : 'rules have'} no result: ${missing.join(', ')}.`
    : 'Every rule with an open finding has at least its first finding here; the other results are the next findings in report order (severity, then impact), open ones before waived ones.';
  const byRule = Object.entries(cutByRule)
    .map(([id, n]) => `${id} ${count(n)}`)
    .join('; ');
  return `${count(kept.length)} of ${count(total)} findings are in this SARIF file: ${limit}. ${rules} Left out, by rule: ${byRule}. Every finding is in report.json.`;
}

/** A finding's message, with its impact in words when it has one. */
function messageText(message: string, impact: Impact | undefined): string {
  if (!impact) return message;
  const stop = /[.!?]$/.test(message) ? '' : '.';
  return `${message}${stop} Impact: ${impactWords(impact, isoToWords)}.`;
}

/** `lazy`: results are made only as they are written (renderSarif), not held all at once. */
export function buildSarif(result: AuditResult, options: { lazy?: boolean; maxResults?: number } = {}): Log {
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.def.id, i]));
  const maxResults = options.maxResults ?? GITHUB_MAX_RESULTS;
  const selection = selectResults(result.findings, maxResults);
  const findings = selection.kept;
  const cut = result.findings.length - findings.length;
  const found = scanned(result, findings);
  const locateSnapshot = (pointer: string): Position => found(pointer) ?? { line: 1, column: 1 };
  const configFile = result.config.file;
  let locateConfig: ((pointer: string) => Position) | null = null;
  const configUri = configFile ? configFile.split('\\').join('/') : null;

  const artifacts = [
    {
      location: { uri: result.snapshot.displayPath, uriBaseId: '%SRCROOT%' },
      hashes: { 'sha-256': result.snapshot.sha256 },
      mimeType: 'application/json',
    },
    ...(configUri ? [{ location: { uri: configUri, uriBaseId: '%SRCROOT%' }, mimeType: 'application/yaml' }] : []),
  ];

  const toResult = ({ finding, ref }: LocatedFinding): Result => {
    const inConfig = ref.file === 'config' && configFile !== null;
    if (inConfig && !locateConfig) locateConfig = yamlLocator(readFileSync(result.config.path ?? configFile, 'utf8'));
    const position = inConfig ? locateConfig!(ref.pointer) : locateSnapshot(ref.pointer);
    const uri = inConfig ? configUri! : result.snapshot.displayPath;
    const { object, impact } = finding;
    const sarifResult: Result = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: LEVEL[finding.severity],
      kind: 'fail',
      message: { text: messageText(finding.message, impact) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%', index: inConfig ? 1 : 0 },
            region: { startLine: position.line, startColumn: position.column },
          },
          logicalLocations: [{ name: object.name, fullyQualifiedName: `${object.type}/${object.id}`, kind: 'resource' }],
        },
      ],
      // Rule + object only: the alert stays the same alert while the object's impact changes.
      partialFingerprints: { 'jitauditFinding/v1': finding.fingerprint },
      properties: {
        severity: finding.severity,
        objectType: object.type,
        objectId: object.id,
        jsonPointer: ref.pointer,
        ...(finding.account ? { account: finding.account } : {}),
        ...(finding.principal ? { principal: finding.principal } : {}),
        // The counts, not the paths: report.json lists those.
        ...(impact
          ? {
              impact: {
                people: impact.people,
                accounts: impact.accounts,
                prodAccounts: impact.prodAccounts,
                paths: impact.paths.length,
                worstWindow: impact.worstWindow,
              },
            }
          : {}),
      },
    };
    if (finding.status === 'waived' && finding.waiver) {
      sarifResult.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification: `${finding.waiver.reason} (owner: ${finding.waiver.owner}; expires ${finding.waiver.expires})`,
        },
      ];
    }
    return sarifResult;
  };
  // One result per line, like report.json's findings.
  const results: Result[] = options.lazy
    ? (new LazyArray(
        findings.length,
        function* () {
          for (const f of findings) yield toResult(f);
        },
        { oneLineEach: true },
      ) as unknown as Result[])
    : findings.map(toResult);

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            rules: rules.map(descriptor),
          },
        },
        automationDetails: { id: 'jitaudit/' },
        ...(cut
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [
                    {
                      level: 'warning' as const,
                      message: { text: cutNotice(result.findings.length, maxResults, selection) },
                    },
                  ],
                },
              ],
            }
          : {}),
        artifacts,
        results,
        properties: {
          snapshotCollectedAt: result.analysis.now,
          incomplete: result.analysis.incomplete,
          findings: result.findings.length,
          resultsIncluded: findings.length,
          resultsCut: cut,
          cutByRule: selection.cutByRule,
          failingRulesWithoutResult: selection.failingRulesWithoutResult,
          gate: { failOn: result.gate.failOn, passed: result.gate.passed },
        },
      },
    ],
  };
}

/** One pass over the snapshot's bytes for the pointers of the results kept. */
function scanned(result: AuditResult, findings: readonly LocatedFinding[]): (pointer: string) => Position | undefined {
  const inSnapshot = findings.filter(({ ref }) => ref.file !== 'config').map(({ ref }) => ref.pointer);
  const positions = inSnapshot.length
    ? withSnapshotFile(result.snapshot, (fd) => locateJsonPointersInFile(fd, inSnapshot))
    : new Map<string, Position>();
  return (pointer) => positions.get(documentPointer(pointer));
}

/** Pretty-printed, chunk by chunk (see json-chunks.ts). */
export function renderSarif(result: AuditResult): () => Iterable<string | Buffer> {
  return () => jsonChunks(buildSarif(result, { lazy: true }));
}
