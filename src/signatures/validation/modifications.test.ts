import { describe, expect, it } from 'vitest';
import { sameValue } from './modifications.ts';

describe('sameValue (comparing revisions of an object)', () => {
  it('treats a real re-serialized with fewer digits as unchanged, as a rewritten page /MediaBox is', () => {
    expect(sameValue([0, 0, 595.2755905511812, 841.8897637795277], [0, 0, 595.27559, 841.88976])).toBe(true);
  });

  it('still sees a real change: a page made 0.01 pt wider, a moved rectangle', () => {
    expect(sameValue([0, 0, 595.2755905511812, 841.8897637795277], [0, 0, 595.28559, 841.88976])).toBe(false);
    expect(sameValue(10, 11)).toBe(false);
    expect(sameValue(1, '1' as never)).toBe(false);
  });
});
