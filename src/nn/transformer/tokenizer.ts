/**
 * `Tokenizer`: a fixed small vocabulary for sequence policies — three special tokens (pad, bos, eos at
 * ids 0, 1, 2) followed by the caller's tokens (single characters and multi-character task tokens such as
 * `<call>`). Encoding is greedy longest match, so `<call>` wins over `<` when both exist.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** Display names of the special tokens (never produced by `encode`, skipped by `decode`). */
const SPECIAL_NAMES = ['<pad>', '<bos>', '<eos>'] as const;

export class Tokenizer {
  static readonly PAD = 0;
  static readonly BOS = 1;
  static readonly EOS = 2;
  /** Number of special tokens before the caller's tokens. */
  static readonly NUM_SPECIAL = SPECIAL_NAMES.length;

  readonly vocabSize: number;
  private readonly tokens: readonly string[];
  private readonly idOf = new Map<string, number>();
  /** Candidate tokens by first UTF-16 unit, longest first (for greedy longest match). */
  private readonly byFirstChar = new Map<string, string[]>();

  constructor(tokens: readonly string[]) {
    if (!Array.isArray(tokens)) throw new InvalidArgumentError(`Tokenizer needs an array of token strings, got ${typeof tokens}`);
    tokens.forEach((t, i) => {
      if (typeof t !== 'string' || t.length === 0) throw new InvalidArgumentError(`Tokenizer token ${i} must be a non-empty string, got ${JSON.stringify(t)}`);
      if ((SPECIAL_NAMES as readonly string[]).includes(t)) throw new InvalidArgumentError(`Tokenizer token ${i} ${JSON.stringify(t)} is the name of a special token`);
      if (this.idOf.has(t)) throw new InvalidArgumentError(`Tokenizer token ${JSON.stringify(t)} appears twice (indices ${this.idOf.get(t)! - Tokenizer.NUM_SPECIAL} and ${i})`);
      this.idOf.set(t, i + Tokenizer.NUM_SPECIAL);
    });
    this.tokens = [...tokens];
    this.vocabSize = tokens.length + Tokenizer.NUM_SPECIAL;
    for (const t of this.tokens) {
      const list = this.byFirstChar.get(t[0]!) ?? [];
      list.push(t);
      this.byFirstChar.set(t[0]!, list);
    }
    for (const list of this.byFirstChar.values()) list.sort((a, b) => b.length - a.length);
  }

  /** Token ids of `text` (no bos/eos added); `InvalidArgumentError` naming the first character no token covers. */
  encode(text: string): Int32Array {
    if (typeof text !== 'string') throw new InvalidArgumentError(`Tokenizer.encode needs a string, got ${typeof text}`);
    const ids: number[] = [];
    let i = 0;
    while (i < text.length) {
      const match = this.byFirstChar.get(text[i]!)?.find((t) => text.startsWith(t, i));
      if (match === undefined) {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        throw new InvalidArgumentError(`Tokenizer cannot encode character ${JSON.stringify(ch)} at index ${i} of ${JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text)} (not in the vocabulary)`);
      }
      ids.push(this.idOf.get(match)!);
      i += match.length;
    }
    return Int32Array.from(ids);
  }

  /** The text of `ids`, special tokens skipped; `InvalidArgumentError` on an id outside the vocabulary. */
  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      this.checkId(id);
      if (id >= Tokenizer.NUM_SPECIAL) out += this.tokens[id - Tokenizer.NUM_SPECIAL]!;
    }
    return out;
  }

  /** The string of one token (specials as `<pad>`, `<bos>`, `<eos>`). */
  tokenOf(id: number): string {
    this.checkId(id);
    return id < Tokenizer.NUM_SPECIAL ? SPECIAL_NAMES[id]! : this.tokens[id - Tokenizer.NUM_SPECIAL]!;
  }

  /** The id of a token string (specials by their display names); `InvalidArgumentError` if unknown. */
  idOfToken(token: string): number {
    const special = (SPECIAL_NAMES as readonly string[]).indexOf(token);
    if (special >= 0) return special;
    const id = this.idOf.get(token);
    if (id === undefined) throw new InvalidArgumentError(`Token ${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  }

  toJSON(): { tokens: string[] } {
    return { tokens: [...this.tokens] };
  }

  static fromJSON(json: unknown): Tokenizer {
    const tokens = (json as { tokens?: unknown } | null)?.tokens;
    if (typeof json !== 'object' || json === null || !Array.isArray(tokens)) {
      throw new InvalidArgumentError('Tokenizer.fromJSON needs an object { tokens: string[] }');
    }
    return new Tokenizer(tokens as string[]);
  }

  /** Same tokens in the same order (so the same ids). */
  equals(other: Tokenizer): boolean {
    return other instanceof Tokenizer && other.tokens.length === this.tokens.length && other.tokens.every((t, i) => t === this.tokens[i]);
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new InvalidArgumentError(`Token id ${id} is outside the vocabulary (0..${this.vocabSize - 1})`);
    }
  }
}
