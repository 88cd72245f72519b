/** Streams of random numbers; each unit of work (one customer in one table, one campaign...) has its own. */
export const streams = {
  customer: 1,
  sessions: 2,
  visitors: 3,
  orders: 4,
  tickets: 5,
  surveys: 6,
  campaigns: 7,
  social: 8,
  events: 9,
  visitorEvents: 10,
  socialPostDetail: 11,
  socialAccountDays: 12,
  reviews: 13,
} as const;

/** lowbias32 (Chris Wellons): a 32-bit integer hash with good avalanche, to turn keys into state. */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

function stateWord(salt: number, stream: number, a: number, b: number): number {
  return hash32(hash32(hash32(salt ^ stream) ^ a) ^ b);
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator), 128 bits of state, fast in JS's
 * 32-bit integer arithmetic. `reseed` puts it on the stream of a (stream, a, b) key derived from
 * the seed, so every table can be generated in its own pass and a row never depends on what was
 * generated before it or on batch sizes.
 */
export class Prng {
  private readonly salts: [number, number, number, number];
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number) {
    // Seeds are any safe integer: mix in the high bits too, so 1 and 2**32 + 1 differ.
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    const base = hash32(hash32(low) ^ high);
    // Four independently salted words: two keys would need all four to collide to share a stream.
    this.salts = [hash32(base ^ 0x9e3779b9), hash32(base ^ 0x7f4a7c15), hash32(base ^ 0x85ebca6b), hash32(base ^ 0xc2b2ae35)];
    this.reseed(0, 0, 0);
  }

  reseed(stream: number, a: number, b: number): this {
    this.a = stateWord(this.salts[0], stream, a, b);
    this.b = stateWord(this.salts[1], stream, a, b);
    this.c = stateWord(this.salts[2], stream, a, b);
    this.d = stateWord(this.salts[3], stream, a, b);
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normal with the given median; `sigma` is the spread of its logarithm. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Log-normal factor with mean 1, to add noise to a rate without moving its average. */
  noise(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    // Knuth's method: count uniforms until their product falls below e^−mean.
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = this.next(); product > limit; product *= this.next()) count++;
    return count;
  }
}
