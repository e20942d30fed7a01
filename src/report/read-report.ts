// Reading a report.json back (the previous evidence pack's, for the diff). A large organisation's
// report is more than one JavaScript string can hold (about 512 MiB), but report.json puts each
// access path and each finding on a line of its own (json-report.ts): past a size, it is read line
// by line, those two arrays element by element and the rest as one small JSON text.

const WHOLE_TEXT_BYTES = 256 * 2 ** 20;
const LONG_ARRAYS = new Set(['accessPaths', 'findings']);
const NEWLINE = 10;

export function parseReportJson(bytes: Buffer, wholeTextBytes = WHOLE_TEXT_BYTES): unknown {
  if (bytes.length <= wholeTextBytes) return JSON.parse(bytes.toString('utf8'));
  const arrays = new Map<string, unknown[]>();
  let skeleton = '';
  let into: unknown[] | null = null;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const line = bytes.toString('utf8', start, end);
    start = end + 1;
    if (into) {
      if (/^ {2}\],?$/.test(line)) {
        skeleton += `]${line.endsWith(',') ? ',' : ''}\n`;
        into = null;
      } else {
        into.push(JSON.parse(line.replace(/,$/, '')));
      }
      continue;
    }
    const opening = /^ {2}"([A-Za-z]+)": \[$/.exec(line);
    if (opening && LONG_ARRAYS.has(opening[1]!)) {
      into = [];
      arrays.set(opening[1]!, into);
      skeleton += `  "${opening[1]}": [`;
      continue;
    }
    skeleton += `${line}\n`;
  }
  if (into) throw new SyntaxError('unterminated array in report.json');
  const report = JSON.parse(skeleton) as Record<string, unknown>;
  for (const [key, items] of arrays) report[key] = items;
  return report;
}
