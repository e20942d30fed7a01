// Which file exactly, as build tools judge it unchanged: same device, inode, size and modification
// time (hashing again would cost as much as reading). Reports that read the snapshot again (SARIF's
// positions, the evidence pack's copy) refuse one that changed since it was loaded.
import type { BigIntStats } from 'node:fs';

export interface FileIdentity {
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export const identityFrom = (st: BigIntStats): FileIdentity => ({ size: Number(st.size), mtimeNs: st.mtimeNs, ino: st.ino, dev: st.dev });

export const sameFile = (a: FileIdentity, b: FileIdentity): boolean => a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;
