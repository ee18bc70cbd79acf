/**
 * Seeded randomness: every id, trace id and fault decision the simulator makes comes from here, so a run
 * with the same seed and the same sequence of requests produces the same answers.
 */

/** mulberry32: a tiny 32-bit PRNG, plenty for ids and fault dice. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const traceAlphabet = `${base62}-_`;

export class RandomSource {
  private next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  reseed(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  private pick(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** A numeric Graph id. 15 digits keeps it below 2^53: template ids travel as JSON integers in webhooks (Meta: webhooks/reference/message_template_status_update). */
  graphId(): string {
    return String(1 + this.int(9)) + this.pick("0123456789", 14);
  }

  /** Opaque like Meta's `fbtrace_id` (e.g. "Az8or2yhqkZfEZ-_4Qn_Bam"). */
  traceId(): string {
    return this.pick(traceAlphabet, 23);
  }

  token(prefix: string, length: number): string {
    return prefix + this.pick(base62, length);
  }

  /**
   * A `wamid.`: base64 over a WhatsApp-looking binary blob that embeds the recipient, as Meta's do. Clients must
   * treat it as opaque (Meta: messages/send-messages); the simulator only needs it unique and deterministic.
   */
  wamid(waId: string): string {
    const blob = `\x18\x0b${waId}\x15\x02\x00\x11\x18\x12${this.pick("0123456789ABCDEF", 20)}\x00`;
    return `wamid.HBgL${Buffer.from(blob, "latin1").toString("base64")}`;
  }
}
