import type { Randomizer } from '@faker-js/faker';

const GOLDEN_RATIO = 0x9e37_79b9;
const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_26 = 0x400_0000;
const TWO_POW_53 = 2 ** 53;

/** murmur3's finalizer: a bijection on 32-bit words that spreads every input bit over the output. */
export function mix32(word: number): number {
  let h = word >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Chris Doty-Humphrey's SFC32 behind faker's `Randomizer` interface. Faker's default Mersenne Twister
 * spends about 60 µs building its 624-word state on every `seed()`, and the generator reseeds once per
 * customer; SFC32 reseeds in well under a microsecond. Its output is defined purely by 32-bit integer
 * arithmetic, so a seed gives the same sequence on every machine.
 */
export class Sfc32Randomizer implements Randomizer {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;

  constructor(seed: number | number[] = 0) {
    this.seed(seed);
  }

  /**
   * `[x, y]` seeds place x and y in separate state words through a bijection, so distinct pairs can never
   * share a stream (hashing them into one 32-bit word would, for about a hundred pairs in a million).
   */
  seed(seed: number | number[]): void {
    const words = typeof seed === 'number' ? [seed % TWO_POW_32, Math.floor(seed / TWO_POW_32)] : [...seed];
    const [first = 0, second = 0, ...rest] = words;
    this.a = mix32(first ^ GOLDEN_RATIO);
    this.b = mix32(second + GOLDEN_RATIO);
    this.c = rest.reduce((hash: number, word) => mix32(hash ^ word), 0x6a09_e667);
    this.d = 1;
    // The first outputs of a freshly seeded SFC32 still echo the seed words; the author discards 12.
    for (let round = 0; round < 12; round++) this.nextUint32();
  }

  /** A float in [0, 1) with the full 53 bits of precision faker expects from its own randomizers. */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  nextUint32(): number {
    const result = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) + result;
    this.c |= 0;
    return result >>> 0;
  }
}
