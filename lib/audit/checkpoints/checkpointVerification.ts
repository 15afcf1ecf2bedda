import type * as pkijs from 'pkijs';
import type { AuditChain, VerifyResult } from '../auditChain';
import { type CheckpointClaims, type CheckpointPublicKeys, openCheckpoint } from './checkpointSignature';
import { readCheckpoints } from './checkpointStore';
import { checkTimestamp } from './checkpointTimestamp';

/** A valid checkpoint: where it is stored and what it signed. */
export interface CheckpointRef {
  file: string;
  line: number;
  at: string;
  headId: number;
  /** Its RFC 3161 time-stamp, when it has a valid one. */
  stamped?: { genTime: Date; tsa: string };
}

export interface BadCheckpoint {
  file: string;
  line: number;
  reason: string;
}

/**
 * How the chain stands against its checkpoints. The chain's own check (`AuditChain.verify`)
 * says records 1..count are internally consistent; a checkpoint then says what record
 * `headId`'s hash was when it was signed, which a consistent chain can only still show if
 * no record up to it was changed, removed or put in.
 */
export interface AnchorReport {
  /** Valid checkpoints read. */
  checkpoints: number;
  /** Lines that are not valid checkpoints of this chain (forged, altered, another table's, bad time-stamp). */
  bad: BadCheckpoint[];
  /** Files whose last line is unfinished (left out). */
  unfinished: string[];
  /** The checkpoint covering the most records of those the chain still matches. */
  anchor?: CheckpointRef;
  /**
   * The first checkpoint (fewest records) whose head hash the chain no longer shows, and the
   * last one below it that it does: a rewrite starts after `lastMatching.headId`.
   */
  rewrite?: { checkpoint: CheckpointRef; lastMatching?: CheckpointRef };
  /** With an intact chain: the checkpoint covering the most records beyond the log's end. */
  cut?: CheckpointRef;
  /** With a broken chain: checkpoints covering records past the break, not compared. */
  pastBreak: number;
}

export interface AnchorCheckOptions {
  log: Pick<AuditChain, 'chainHead' | 'table'>;
  /** What `log.verify()` found. */
  chain: VerifyResult;
  /** The checkpoint directory (AUDIT_CHECKPOINT_DIR). */
  dir: string;
  keys: CheckpointPublicKeys;
  /** The TSA's CA certificates: time-stamps must chain to one. @default none (signature checked with the token's own certificate) */
  tsaCerts?: pkijs.Certificate[];
}

/**
 * Checks every checkpoint of the log's table in `dir` (signature, time-stamp) and compares
 * each valid one with the chain: one indexed read per checkpoint, the files streamed.
 */
export async function checkAnchors(options: AnchorCheckOptions): Promise<AnchorReport> {
  const { log, chain } = options;
  const report: AnchorReport = { checkpoints: 0, bad: [], unfinished: [], pastBreak: 0 };
  const valid = (count: number) => count <= chain.count;
  for await (const line of readCheckpoints(options.dir, log.table)) {
    if (line.kind === 'unfinished') {
      report.unfinished.push(line.file);
      continue;
    }
    const bad = (reason: string) => void report.bad.push({ file: line.file, line: line.line, reason });
    if (line.kind === 'invalid') {
      bad(line.problem);
      continue;
    }
    const { entry } = line;
    const opened = await openCheckpoint(entry.checkpoint, options.keys);
    if (!opened.ok) {
      bad(opened.detail);
      continue;
    }
    const claims: CheckpointClaims = opened.claims;
    if (claims.table !== log.table) {
      bad(`it is a checkpoint of table ${claims.table}`);
      continue;
    }
    const ref: CheckpointRef = { file: line.file, line: line.line, at: claims.at, headId: claims.headId };
    if (entry.timestamp && 'token' in entry.timestamp) {
      try {
        const stamp = await checkTimestamp(Buffer.from(entry.timestamp.token, 'base64'), new TextEncoder().encode(entry.checkpoint), { trustedCerts: options.tsaCerts });
        ref.stamped = { genTime: stamp.genTime, tsa: stamp.tsa };
      } catch (error) {
        bad(`its time-stamp token: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
    }
    report.checkpoints += 1;
    if (!valid(claims.headId)) {
      if (!chain.ok) report.pastBreak += 1;
      else if (!report.cut || claims.headId > report.cut.headId) report.cut = ref;
      continue;
    }
    const record = await log.chainHead(claims.headId);
    if (record?.id === claims.headId && record.hash === claims.headHash) {
      if (!report.anchor || claims.headId > report.anchor.headId) report.anchor = ref;
    } else if (!report.rewrite || claims.headId < report.rewrite.checkpoint.headId) {
      report.rewrite = { checkpoint: ref };
    }
  }
  if (report.rewrite) report.rewrite.lastMatching = await lastBelow(options, report, report.rewrite.checkpoint.headId);
  return report;
}

/**
 * The valid checkpoint with the most records below `headId`: every valid one below the first
 * mismatch matches. A second pass over the files rather than every match kept in memory
 * (only when a rewrite was found).
 */
async function lastBelow(options: AnchorCheckOptions, report: AnchorReport, headId: number): Promise<CheckpointRef | undefined> {
  const bad = new Set(report.bad.map((b) => `${b.file}\n${b.line}`));
  let best: CheckpointRef | undefined;
  for await (const line of readCheckpoints(options.dir, options.log.table)) {
    if (line.kind !== 'entry' || bad.has(`${line.file}\n${line.line}`)) continue;
    const opened = await openCheckpoint(line.entry.checkpoint, options.keys);
    if (!opened.ok || opened.claims.headId >= headId) continue;
    if (!best || opened.claims.headId > best.headId) best = { file: line.file, line: line.line, at: opened.claims.at, headId: opened.claims.headId };
  }
  return best;
}
