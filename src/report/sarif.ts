// SARIF 2.1.0 for GitHub code scanning (DESIGN §5): rules with help and security-severity,
// every result at the line of the offending object in the snapshot, a logical location naming
// the cloud resource, and partialFingerprints (rule + resource) stable across nightly runs.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { readFileSync } from 'node:fs';
import type { CompiledRule } from '../rules/load-rules.js';
import type { Severity } from '../rules/rule-schema.js';
import { jsonChunks, LazyArray } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import type { AuditResult } from './audit-result.js';
import { documentPointer, locateJsonPointersInFile } from './json-locator.js';
import { withSnapshotFile } from '../model/load-snapshot.js';
import type { SnapshotPositions } from './snapshot-positions-thread.js';
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
    },
  };
}

/**
 * GitHub code scanning rejects a run with more than 25,000 results (and shows the 5,000 most severe):
 * past that, the most severe are kept — findings are sorted most severe first — and the run says so.
 * Every finding stays in report.json.
 */
export const GITHUB_MAX_RESULTS = 25_000;

/**
 * `lazy`: results are made only as they are written (renderSarif), not held all at once.
 * `positions`: where the snapshot's pointers start, found already (snapshot-positions-thread.ts);
 * else the snapshot file is scanned here for the results' pointers.
 */
export function buildSarif(result: AuditResult, options: { lazy?: boolean; maxResults?: number; positions?: SnapshotPositions } = {}): Log {
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.def.id, i]));
  const maxResults = options.maxResults ?? GITHUB_MAX_RESULTS;
  const findings = result.findings.length > maxResults ? result.findings.slice(0, maxResults) : result.findings;
  const cut = result.findings.length - findings.length;
  const locateSnapshot = (pointer: string): Position => found(pointer) ?? { line: 1, column: 1 };
  const found = options.positions ?? scanned(result, findings);
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

  const toResult = ({ finding, ref }: AuditResult['findings'][number]): Result => {
    const inConfig = ref.file === 'config' && configFile !== null;
    if (inConfig && !locateConfig) locateConfig = yamlLocator(readFileSync(result.config.path ?? configFile, 'utf8'));
    const position = inConfig ? locateConfig!(ref.pointer) : locateSnapshot(ref.pointer);
    const uri = inConfig ? configUri! : result.snapshot.displayPath;
    const sarifResult: Result = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: LEVEL[finding.severity],
      kind: 'fail',
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%', index: inConfig ? 1 : 0 },
            region: { startLine: position.line, startColumn: position.column },
          },
          logicalLocations: [
            {
              name: finding.resource.name,
              fullyQualifiedName: `${finding.resource.type}/${finding.resource.id}`,
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: { 'jitauditFinding/v1': finding.fingerprint },
      properties: {
        severity: finding.severity,
        resourceType: finding.resource.type,
        resourceId: finding.resource.id,
        jsonPointer: ref.pointer,
        ...(finding.account ? { account: finding.account } : {}),
        ...(finding.principal ? { principal: finding.principal } : {}),
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
                      message: {
                        text: `${findings.length} of ${result.findings.length} findings are in this SARIF file (the most severe first): GitHub code scanning rejects more than ${GITHUB_MAX_RESULTS} results per run. Every finding is in report.json.`,
                      },
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
          gate: { failOn: result.gate.failOn, passed: result.gate.passed },
        },
      },
    ],
  };
}

/** One pass over the snapshot's bytes for every pointer the results need. */
function scanned(result: AuditResult, findings: AuditResult['findings']): SnapshotPositions {
  const inSnapshot = findings.filter(({ ref }) => ref.file !== 'config').map(({ ref }) => ref.pointer);
  const positions = inSnapshot.length
    ? withSnapshotFile(result.snapshot, (fd) => locateJsonPointersInFile(fd, inSnapshot))
    : new Map<string, Position>();
  return (pointer) => positions.get(documentPointer(pointer));
}

/** Pretty-printed, chunk by chunk (see json-chunks.ts). */
export function renderSarif(result: AuditResult, positions?: SnapshotPositions): () => Iterable<string | Buffer> {
  return () => jsonChunks(buildSarif(result, { lazy: true, positions }));
}
