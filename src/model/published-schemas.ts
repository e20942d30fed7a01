// The JSON Schemas users can point their editors at (schemas/*.json), generated from the TypeBox
// definitions the tool itself validates with; a test keeps the checked-in copies current.
import { ConfigSchema } from './config.js';
import { SnapshotSchema } from './snapshot-schema.js';
import { RuleFileSchema } from '../rules/rule-schema.js';
import { ReportSchema } from '../report/report-schema.js';

export const PUBLISHED_SCHEMAS = {
  'snapshot.schema.json': SnapshotSchema,
  'config.schema.json': ConfigSchema,
  'rule.schema.json': RuleFileSchema,
  'report.schema.json': ReportSchema,
} as const;

export function renderSchema(schema: object): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`;
}
