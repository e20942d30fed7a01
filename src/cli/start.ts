// What bin/jitaudit.js runs: the command line, in this process, with jitaudit's heap settings (heap.ts).
import { main } from './main.js';

export function start(argv: string[]): Promise<number> {
  return main(argv, { tuneHeap: true });
}
