// A second, independent CSV reader for the access-review file: Python's csv module, as a spreadsheet
// import or a script would read it. In CI it must be there (JITAUDIT_REQUIRE_PYTHON=1, or CI set):
// a missing reader fails the tests that need it instead of skipping them.
import { spawnSync } from 'node:child_process';

const available = spawnSync('python3', ['--version']).status === 0;
if (!available && (process.env.JITAUDIT_REQUIRE_PYTHON === '1' || process.env.CI)) {
  throw new Error('python3 is required for the second CSV reader (JITAUDIT_REQUIRE_PYTHON or CI is set)');
}
/** Whether Python's csv module can be run here. */
export const PYTHON_CSV = available;

const READER = [
  'import csv, io, json, sys',
  "text = sys.stdin.buffer.read().decode('utf-8-sig')",
  "print(json.dumps(list(csv.reader(io.StringIO(text, newline='')))))",
].join('\n');

/** The rows Python's csv module reads from the bytes. */
export function pythonCsvRows(bytes: Buffer): string[][] {
  const run = spawnSync('python3', ['-c', READER], { input: bytes, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`python3 csv reader failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

/** Lines of cells (split at CR, LF and CRLF) that a spreadsheet would read as a formula. */
export const formulaLines = (rows: string[][]): string[] =>
  rows
    .flat()
    .flatMap((cell) =>
      cell.split(/\r\n|\n|\r(?!\n)/).filter((line) => /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]|^[^\S\r\n]+[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(line)),
    );
