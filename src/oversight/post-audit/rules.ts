/**
 * Post-audit sampling (R7): self-declared dossiers are accepted at once and a reproducible random sample goes to
 * inspectors afterwards. The draw is a pure function of the candidates, each procedure's policy and a seed: the
 * score of a dossier is HMAC-SHA256(seed, dossier id) read as a number in [0, 1), and it is sampled when the score
 * is below its rate (the procedure's base rate, or a matching risk rule's higher rate). Anyone holding the
 * recorded seed, policies and candidates gets the same sample.
 */
import { createHash, createHmac } from 'node:crypto';

export interface PostAuditPolicy {
  sampleRate: number;
  riskRules: { id: string; description: string; sampleRate: number }[];
}

/** Risk rules the system can evaluate from its own records, by the id the catalog uses. */
export const EVALUABLE_RISK_RULES = ['first-time-applicant', 'agent-submitted'] as const;
export type EvaluableRisk = (typeof EVALUABLE_RISK_RULES)[number];

export interface Candidate {
  dossierId: string;
  procedure: string;
  /** No earlier dossier of this applicant exists. */
  firstTimeApplicant: boolean;
  /** Submitted by a public-service agent on the applicant's behalf. */
  agentSubmitted: boolean;
}

export interface SampledItem {
  dossierId: string;
  procedure: string;
  score: number;
  rate: number;
  /** 'random' for the base rate, or the risk rule id whose rate selected it. */
  reason: string;
}

export interface Draw {
  items: SampledItem[];
  /** Risk rule ids in the policies that the system cannot evaluate (listed so nobody believes they applied). */
  notEvaluated: string[];
  /** SHA-256 over the sorted candidate ids: proves which population was drawn from. */
  candidatesSha256: string;
  candidateCount: number;
}

/** The dossier's score in [0, 1): the first 48 bits of HMAC-SHA256(seed, id). */
export function sampleScore(seed: string, dossierId: string): number {
  const mac = createHmac('sha256', seed).update(dossierId, 'utf8').digest();
  return mac.readUIntBE(0, 6) / 2 ** 48;
}

export function candidatesDigest(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n'), 'utf8').digest('hex');
}

function matches(rule: string, c: Candidate): boolean {
  if (rule === 'first-time-applicant') return c.firstTimeApplicant;
  if (rule === 'agent-submitted') return c.agentSubmitted;
  return false;
}

export function drawSample(candidates: readonly Candidate[], policies: Readonly<Record<string, PostAuditPolicy>>, seed: string): Draw {
  const notEvaluated = new Set<string>();
  const items: SampledItem[] = [];
  for (const c of [...candidates].sort((a, b) => (a.dossierId < b.dossierId ? -1 : a.dossierId > b.dossierId ? 1 : 0))) {
    const policy = policies[c.procedure];
    if (!policy) continue;
    let rate = policy.sampleRate;
    let reason = 'random';
    for (const rule of policy.riskRules) {
      if (!(EVALUABLE_RISK_RULES as readonly string[]).includes(rule.id)) {
        notEvaluated.add(rule.id);
        continue;
      }
      if (matches(rule.id, c) && rule.sampleRate > rate) {
        rate = rule.sampleRate;
        reason = rule.id;
      }
    }
    const score = sampleScore(seed, c.dossierId);
    if (score < rate) items.push({ dossierId: c.dossierId, procedure: c.procedure, score, rate, reason });
  }
  return { items, notEvaluated: [...notEvaluated].sort(), candidatesSha256: candidatesDigest(candidates.map((c) => c.dossierId)), candidateCount: candidates.length };
}

/** The seed of a day's draw: bound to the audit chain's head at draw time, so nobody picks a seed that suits them. */
export function drawSeed(day: string, auditHeadHash: string): string {
  return createHash('sha256').update(`hoso-post-audit\n${day}\n${auditHeadHash}`, 'utf8').digest('hex');
}
