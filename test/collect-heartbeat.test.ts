// `collect` in a CI log: a line every 30 s for a section still running (so a job that is killed after
// some minutes without output is not), nothing more; a terminal keeps its live line and no heartbeat.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress, elapsedWords } from '../src/collect/progress.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, columns: 200, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('collect progress when stderr is not a terminal', () => {
  it('prints one heartbeat line every 30 s for each section still running, then stops', () => {
    const { stream, written } = fakeStream(false);
    const progress = createProgress({ quiet: false, stream });
    progress.start('entra.groups');
    progress.tick('entra.groups', '1234/5000 requests');
    vi.advanceTimersByTime(29_999);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['jitaudit: still collecting entra.groups: 1,234/5,000 requests, 30s\n']);
    progress.start('aws.cloudTrail');
    vi.advanceTimersByTime(120_000);
    expect(written.filter((l) => l.includes('entra.groups'))).toHaveLength(5);
    expect(written.at(-2)).toBe('jitaudit: still collecting entra.groups: 1,234/5,000 requests, 2m30s\n');
    expect(written.at(-1)).toBe('jitaudit: still collecting aws.cloudTrail: 2m00s\n');
    progress.done('entra.groups', 'collected', '5000 groups');
    expect(written.at(-1)).toBe('jitaudit: entra.groups: collected (5000 groups) in 150.0 s\n');
    const before = written.length;
    vi.advanceTimersByTime(30_000);
    // Only the section still running says so.
    expect(written.slice(before)).toEqual(['jitaudit: still collecting aws.cloudTrail: 2m30s\n']);
    progress.close();
    vi.advanceTimersByTime(300_000);
    expect(written.length).toBe(before + 1);
  });

  it('says nothing between lines for a section that finishes within 30 s', () => {
    const { stream, written } = fakeStream(false);
    const progress = createProgress({ quiet: false, stream });
    progress.start('aws.organization');
    vi.advanceTimersByTime(20_000);
    progress.done('aws.organization', 'collected');
    vi.advanceTimersByTime(600_000);
    expect(written).toEqual(['jitaudit: aws.organization: collected in 20.0 s\n']);
  });
});

describe('collect progress on a terminal, or quiet', () => {
  it('keeps the live line and prints no heartbeat', () => {
    const { stream, written } = fakeStream(true);
    const progress = createProgress({ quiet: false, stream });
    progress.start('entra.groups');
    const before = written.length;
    vi.advanceTimersByTime(600_000);
    expect(written.length).toBe(before);
    expect(written.join('')).not.toMatch(/still collecting/);
    progress.close();
  });

  it('prints nothing with --quiet', () => {
    const { stream, written } = fakeStream(false);
    const progress = createProgress({ quiet: true, stream });
    progress.start('entra.groups');
    vi.advanceTimersByTime(600_000);
    progress.done('entra.groups', 'collected');
    expect(written).toEqual([]);
  });
});

describe('elapsedWords', () => {
  it('writes seconds, minutes and hours compactly', () => {
    expect([0, 30_000, 150_000, 3_600_000 + 62_000].map(elapsedWords)).toEqual(['0s', '30s', '2m30s', '1h01m02s']);
  });
});
