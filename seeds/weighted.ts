import type { Prng } from './prng.js';

/** A categorical distribution, written as relative weights: `{ desktop: 70, mobile: 25, tablet: 5 }`. */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: number[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map(([item]) => item);
    let sum = 0;
    this.cumulative = entries.map(([, weight]) => (sum += weight));
    if (!(sum > 0)) throw new Error('A weighted choice needs a positive total weight.');
  }

  static of<K extends string>(weights: Readonly<Partial<Record<K, number>>>): Weighted<K> {
    return new Weighted(Object.entries(weights) as [K, number][]);
  }

  pick(rng: Prng): T {
    const target = rng.next() * this.cumulative[this.cumulative.length - 1]!;
    let i = 0;
    while (this.cumulative[i]! <= target) i++;
    return this.items[i]!;
  }
}
