import { describe, expect, it } from 'vitest';
import { candidatesDigest, drawSample, drawSeed, sampleScore, type Candidate, type PostAuditPolicy } from './rules.ts';

const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const candidates: Candidate[] = ids.map((dossierId, i) => ({ dossierId, procedure: i % 2 ? 'p' : 'q', firstTimeApplicant: i % 10 === 1, agentSubmitted: false }));
const policies: Record<string, PostAuditPolicy> = {
  p: { sampleRate: 0.1, riskRules: [{ id: 'first-time-applicant', description: 'Lần đầu', sampleRate: 0.5 }, { id: 'high-fee', description: 'Phí cao', sampleRate: 1 }] },
  q: { sampleRate: 0, riskRules: [] },
};

describe('post-audit draw', () => {
  it('is reproducible from the seed, whatever the order of the candidates', () => {
    const seed = drawSeed('2026-03-10', 'a'.repeat(64));
    const a = drawSample(candidates, policies, seed);
    const b = drawSample([...candidates].reverse(), policies, seed);
    expect(b).toEqual(a);
    expect(drawSample(candidates, policies, drawSeed('2026-03-11', 'a'.repeat(64))).items).not.toEqual(a.items);
  });

  it('samples about the policy rate, and more where a risk rule matches', () => {
    const d = drawSample(candidates, policies, 'seed-1');
    const p = d.items.filter((x) => x.procedure === 'p');
    expect(d.items.filter((x) => x.procedure === 'q')).toEqual([]); // rate 0: never sampled
    const risky = p.filter((x) => x.reason === 'first-time-applicant');
    const plain = p.filter((x) => x.reason === 'random');
    // 1000 'p' candidates: 200 first-time (i ≡ 1 mod 10) at 50 % ≈ 100, 800 others at 10 % ≈ 80 (binomial; ±3σ bounds).
    expect(risky.length).toBeGreaterThan(78);
    expect(risky.length).toBeLessThan(122);
    expect(plain.length).toBeGreaterThan(52);
    expect(plain.length).toBeLessThan(108);
    expect(p.every((x) => x.score < x.rate)).toBe(true);
  });

  it('lists risk rules it cannot evaluate instead of pretending they applied', () => {
    expect(drawSample(candidates, policies, 's').notEvaluated).toEqual(['high-fee']);
  });

  it('scores are stable numbers in [0, 1) and the candidate digest ignores order', () => {
    expect(sampleScore('k', 'x')).toBe(sampleScore('k', 'x'));
    expect(sampleScore('k', 'x')).toBeGreaterThanOrEqual(0);
    expect(sampleScore('k', 'x')).toBeLessThan(1);
    expect(candidatesDigest(['b', 'a'])).toBe(candidatesDigest(['a', 'b']));
  });
});
