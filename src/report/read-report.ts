// Reading a report.json back (the previous evidence pack's, for the diff). Version 2 keeps what paths
// share in tables and is small (tens of MB at 50,000 people): it is read whole. Version 1 repeated
// everything on every access path and finding, and a large organisation's was more than one
// JavaScript string can hold (about 512 MiB); it puts each access path and each finding on a line of
// its own, so past a size it is read line by line, those arrays element by element and the rest as
// one small JSON text. (Version 2 has the same layout, its grants too, should one ever be that large.)

const WHOLE_TEXT_BYTES = 256 * 2 ** 20;
const LONG_ARRAYS = new Set(['accessPaths', 'findings', 'grants']);
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
