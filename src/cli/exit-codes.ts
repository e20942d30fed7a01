// jitaudit's exit codes, and the gate's.
//   0  nothing open at or above --fail-on, and nothing needed is missing
//   1  open findings at or above --fail-on (whether or not data is missing too); evidence verify and
//      rules test: a check failed
//   2  usage, config or input error (one line on stderr, nothing written); collect read nothing of a cloud;
//      a report in --out cannot be replaced
//   3  internal error (a bug: please report it; JITAUDIT_DEBUG=1 shows the stack)
//   4  the gate failed only because data is missing: a section a rule needs (not accepted by
//      --allow-incomplete), or nothing of a cloud in the snapshot. Apart from 1, so that a pipeline
//      can tell "fix the access" from "fix the collection".
import type { Gate } from '../rules/evaluate.js';

export const EXIT = { ok: 0, findings: 1, input: 2, internal: 3, incomplete: 4 } as const;

/** The gate as an exit code: findings win over missing data, which a re-run with the data may add to. */
export function gateExit(gate: Pick<Gate, 'passed' | 'failing'>): number {
  if (gate.passed) return EXIT.ok;
  return gate.failing > 0 ? EXIT.findings : EXIT.incomplete;
}
