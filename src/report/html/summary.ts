// Severity summary: open findings per severity, waived, and the access-path counts.
import type { AuditResult } from '../audit-result.js';
import { SEVERITIES } from '../../rules/rule-schema.js';
import { html, type Html } from './escape.js';
import { section } from './common.js';
import { countWhere } from '../../analyze/path-parts.js';

export function renderSummary(result: AuditResult): Html {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<string, number>;
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else counts[finding.severity]!++;
  }
  const paths = result.analysis.accessPaths;
  const { pathParts } = result.analysis;
  const standing = countWhere(paths, pathParts, 'grant', (p) => p.standing);
  const unbounded = countWhere(paths, pathParts, 'window', (p) => p.window?.unbounded === true);
  const tiles = SEVERITIES.map(
    (s) => html`<li class="tile tile-${s}${counts[s] ? '' : ' tile-zero'}"><a href="#findings" data-filter-severity="${s}"><span class="n">${counts[s]}</span><span class="l">${s}</span></a></li>`,
  );
  return section(
    'summary',
    'Summary',
    html`<ul class="tiles" aria-label="Open findings by severity">${tiles}<li class="tile tile-waived"><span class="n">${waived}</span><span class="l">waived</span></li></ul>
<ul class="tiles tiles-paths" aria-label="Access paths">
  <li class="tile"><span class="n">${paths.length}</span><span class="l">access paths</span></li>
  <li class="tile"><span class="n">${paths.length - standing}</span><span class="l">just-in-time</span></li>
  <li class="tile${standing ? ' tile-warn' : ''}"><span class="n">${standing}</span><span class="l">standing</span></li>
  <li class="tile${unbounded ? ' tile-critical' : ''}"><span class="n">${unbounded}</span><span class="l">unbounded windows</span></li>
</ul>`,
  );
}
