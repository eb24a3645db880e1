import { Sfc32Randomizer } from './sfc32.randomizer';

const draw = (randomizer: Sfc32Randomizer, count: number) =>
  Array.from({ length: count }, () => randomizer.next());

describe('Sfc32Randomizer', () => {
  it('repeats its sequence for the same seed, also after reseeding', () => {
    const randomizer = new Sfc32Randomizer([42, 7]);
    const first = draw(randomizer, 50);
    randomizer.seed([42, 7]);
    expect(draw(randomizer, 50)).toEqual(first);
    expect(draw(new Sfc32Randomizer([42, 7]), 50)).toEqual(first);
  });

  it('gives a different sequence for every neighbouring pair', () => {
    const starts = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      for (let index = 0; index < 500; index++) {
        starts.add(draw(new Sfc32Randomizer([seed, index]), 2).join());
      }
    }
    expect(starts.size).toBe(20 * 500);
  });

  it('treats a number seed beyond 32 bits as its two halves', () => {
    expect(draw(new Sfc32Randomizer(2 ** 32 * 3 + 5), 5)).toEqual(draw(new Sfc32Randomizer([5, 3]), 5));
    expect(draw(new Sfc32Randomizer(5), 5)).not.toEqual(draw(new Sfc32Randomizer(2 ** 32 + 5), 5));
  });

  it('returns floats in [0, 1) spread evenly', () => {
    const values = draw(new Sfc32Randomizer(1), 100_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const value of values) buckets[Math.floor(value * 10)]++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
