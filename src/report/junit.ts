// report.junit.xml: the audit as a JUnit test report, for CI dashboards (Jenkins, GitLab, GitHub test
// reporters). One testsuite; one testcase per enabled rule: a failure when it has open findings, an
// error when data it reads is missing and the gate does not accept that, skipped when --allow-incomplete
// does, passed otherwise. Waived findings are named in the testcase's output, never a failure.
//
// Missing data: every reporter shows "skipped" as neutral (Jenkins does not mark the build unstable,
// GitLab and GitHub reporters grey it out), which would be a false "clean" for a rule the gate fails on.
// So a rule whose missing data holds the gate is an error (red everywhere, counted apart from failures);
// only data the run chose to accept as missing (--allow-incomplete) makes it skipped, with the reason.
//
// Written by hand, not with an XML builder: xmlbuilder2 leaves an `&` that starts an entity reference
// as it is, so a tenant's "R&D &x;" made the file unreadable. Every value goes through xmlText/xmlAttribute.
import { severityRank, type FailOn, type Finding } from '../rules/evaluate.js';
import type { Severity } from '../rules/rule-schema.js';
import { impactWords } from '../rules/impact.js';
import { isoToWords } from '../util/duration.js';
import type { Rendered } from '../util/json-chunks.js';
import { printable } from '../util/printable.js';
import { TOOL } from '../util/version.js';
import type { AuditResult } from './audit-result.js';
import { ruleOutcomes, type RuleOutcome } from './controls.js';

/**
 * What XML 1.0 cannot hold at all, escaped or not: C0 controls but tab, line feed and carriage
 * return, U+FFFE/U+FFFF and lone surrogates. Replaced by U+FFFD (tenant text has had its controls
 * shown as \uXXXX by printable() first; this is what is left, and the guard for everything else).
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Character data: markup characters as entities (`>` too, for `]]>`). */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes: as text, and quotes, tabs and line breaks as references (a parser would turn them into spaces). */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const attributes = (attrs: Record<string, string>) =>
  Object.entries(attrs)
    .map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`)
    .join('');

/** An element on its own line(s): empty, or with text content. */
const element = (indent: string, name: string, attrs: Record<string, string>, content?: string) =>
  content === undefined ? `${indent}<${name}${attributes(attrs)}/>` : `${indent}<${name}${attributes(attrs)}>${xmlText(content)}</${name}>`;

/** Findings listed per rule; report.json has them all. */
export const TOP_FINDINGS = 10;

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** One line per finding: the object to change and what it affects (or the message, where paths do not come into it). */
function findingLine(f: Finding): string {
  const what = f.impact ? impactWords(f.impact, isoToWords) : f.message;
  return printable(`${f.object.name} (${f.object.type} ${f.object.id}): ${what}`);
}

function waivedLine(f: Finding): string {
  const w = f.waiver;
  return printable(`${f.object.name} (${f.object.type} ${f.object.id})${w ? `: ${w.reason} (owner: ${w.owner}; expires ${w.expires})` : ''}`);
}

/** Up to TOP_FINDINGS lines, and how many more there are. */
function lines(findings: Finding[], line: (f: Finding) => string): string[] {
  const shown = findings.slice(0, TOP_FINDINGS).map((f) => `- ${line(f)}`);
  if (findings.length > TOP_FINDINGS) shown.push(`- … and ${count(findings.length - TOP_FINDINGS)} more (report.json lists every finding)`);
  return shown;
}

export function buildJunit(result: AuditResult): string {
  const outcomes = ruleOutcomes(result);
  const byRule = new Map<string, { open: Finding[]; waived: Finding[] }>();
  // Findings come most severe and widest impact first: each rule's top ones are its first ones.
  for (const { finding } of result.findings) {
    let lists = byRule.get(finding.ruleId);
    if (!lists) byRule.set(finding.ruleId, (lists = { open: [], waived: [] }));
    lists[finding.status].push(finding);
  }
  const { gate } = result;
  const blocking = new Set(gate.allowIncomplete ? [] : gate.blockingIncomplete);
  const verdict = (o: RuleOutcome) =>
    o.status === 'failed' ? 'failure' : o.status === 'not-evaluable' ? (o.missing.some((s) => blocking.has(s)) ? 'error' : 'skipped') : 'passed';
  const verdicts = outcomes.map(verdict);
  const failures = verdicts.filter((v) => v === 'failure').length;
  const errors = verdicts.filter((v) => v === 'error').length;
  const skipped = verdicts.filter((v) => v === 'skipped').length;
  const tests = String(outcomes.length);

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attributes({ name: TOOL.name, tests, failures: String(failures), errors: String(errors), time: '0' })}>`);
  out.push(
    `  <testsuite${attributes({
      name: printable(`${TOOL.name} audit of ${result.snapshot.displayPath}`),
      tests,
      failures: String(failures),
      errors: String(errors),
      skipped: String(skipped),
      // The snapshot's collection time, as everything is judged: the same input gives the same bytes.
      timestamp: result.analysis.now,
      time: '0',
    })}>`,
  );
  out.push('    <properties>');
  const property = (name: string, value: string) => out.push(element('      ', 'property', { name, value: printable(value) }));
  property('tool', `${TOOL.name} ${TOOL.version}`);
  property('snapshot', result.snapshot.displayPath);
  property('snapshot.sha256', result.snapshot.sha256);
  property('snapshot.collectedAt', result.analysis.now);
  property('gate.failOn', gate.failOn);
  property('gate.passed', String(gate.passed));
  if (result.analysis.incomplete.length) property('incomplete', result.analysis.incomplete.join(', '));
  out.push('    </properties>');

  outcomes.forEach((o, i) => {
    const def = o.rule.def;
    const open = `    <testcase${attributes({ classname: printable(`${TOOL.name}.${def.resource}`), name: printable(def.id), time: '0' })}`;
    const lists = byRule.get(def.id) ?? { open: [], waived: [] };
    const waived = lists.waived.length ? [`${plural(lists.waived.length, 'finding')} waived (not failing):`, ...lines(lists.waived, waivedLine)] : [];
    const missing = o.missing.length ? `data it reads is missing: ${o.missing.join(', ')}` : '';
    const children: string[] = [];
    const indent = '      ';
    switch (verdicts[i]) {
      case 'failure':
        children.push(failure(indent, o, lists.open, gate.failOn, missing, waived));
        break;
      case 'error':
        children.push(element(indent, 'error', { type: 'incomplete', message: printable(`not evaluated: ${missing} (the gate fails for it)`) }, def.title));
        break;
      case 'skipped':
        children.push(element(indent, 'skipped', { message: printable(`not evaluated: ${missing} (accepted by --allow-incomplete)`) }));
        break;
    }
    // A failure's body names its waived findings; any other testcase says them in its output.
    if (verdicts[i] !== 'failure' && waived.length) children.push(element(indent, 'system-out', {}, waived.join('\n')));
    out.push(children.length ? `${open}>\n${children.join('\n')}\n    </testcase>` : `${open}/>`);
  });
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

function failure(indent: string, o: RuleOutcome, open: Finding[], failOn: FailOn, missing: string, waived: string[]): string {
  const def = o.rule.def;
  const waivedNote = o.waived ? `; ${count(o.waived)} waived` : '';
  const message = `${plural(o.open, `open ${def.severity} finding`)}${waivedNote}: ${def.title}`;
  const below = failOn === 'none' || severityBelow(def.severity, failOn) ? [`Below the gate's threshold (--fail-on ${failOn}): reported, not failing the gate.`] : [];
  const body = [
    ...lines(open, findingLine),
    '',
    `Remediation: ${def.remediation}`,
    ...below,
    ...(missing ? [`Also: ${missing}.`] : []),
    ...(waived.length ? ['', ...waived] : []),
  ];
  return element(indent, 'failure', { type: def.severity, message: printable(message) }, body.join('\n'));
}

const severityBelow = (severity: Severity, failOn: Severity) => severityRank(severity) < severityRank(failOn);

export function renderJunit(result: AuditResult): Rendered {
  return buildJunit(result);
}
