/** Prompt/response encoding shared by SFT and GRPO, safe verification, and the pass@k estimator. */
import { describe, expect, it } from 'vitest';
import {
  assertPromptFits,
  assertTokenizerMatchesTask,
  decodeResponse,
  encodePrompt,
  encodeResponse,
  packSequences,
  passAtK,
  safeVerify,
  tokenizerForTask,
} from '../../src/algos/sequence/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { makeTextTask } from '../../src/envs/text/index.js';
import { Tokenizer } from '../../src/nn/transformer/index.js';

const addition = makeTextTask('addition', { difficulty: 2 });
const tok = tokenizerForTask(addition);

describe('sequence encoding', () => {
  it('prompt = [BOS, ...prompt], response = [...text, EOS], decode stops at the first EOS', () => {
    const prompt = encodePrompt(tok, { prompt: '12+3=' });
    expect(prompt[0]).toBe(Tokenizer.BOS);
    expect(tok.decode(prompt)).toBe('12+3=');
    expect(prompt.length).toBe(6);
    const response = encodeResponse(tok, '15');
    expect(response.length).toBe(3);
    expect(response[2]).toBe(Tokenizer.EOS);
    const generated = Int32Array.from([...response, ...tok.encode('99')]);
    expect(decodeResponse(tok, generated)).toBe('15');
    expect(decodeResponse(tok, tok.encode('42'))).toBe('42'); // no EOS (cut at max length): everything
    expect(() => encodePrompt(tok, 'a+b=')).toThrow(/'?a'?/);
  });

  it('packs right-padded rows with a mask on exactly the response tokens, aligned with next-token log-probs', () => {
    const prompts = [encodePrompt(tok, '1+2='), encodePrompt(tok, '10+20=')];
    const responses = [encodeResponse(tok, '3'), encodeResponse(tok, '30')];
    const packed = packSequences(prompts, responses, 16);
    expect(packed.batch).toBe(2);
    expect(packed.length).toBe(7 + 3);
    expect(Array.from(packed.promptLengths)).toEqual([5, 7]);
    expect(Array.from(packed.responseLengths)).toEqual([2, 3]);
    const L = packed.length;
    // Row 0: BOS 1 + 2 = 3 EOS PAD PAD PAD
    expect(Array.from(packed.tokens.subarray(0, L))).toEqual([...prompts[0]!, ...responses[0]!, 0, 0, 0]);
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < L - 1; t++) {
        const target = packed.tokens[b * L + t + 1]!;
        const isResponse = t + 1 >= packed.promptLengths[b]! && t + 1 < packed.promptLengths[b]! + packed.responseLengths[b]!;
        expect(packed.mask[b * (L - 1) + t]).toBe(isResponse ? 1 : 0);
        if (isResponse) expect(target).not.toBe(Tokenizer.PAD);
      }
    }
    expect(packed.mask.reduce((a, m) => a + m, 0)).toBe(5);
  });

  it('rejects sequences and prompts that do not fit the context, naming the lengths', () => {
    const prompt = encodePrompt(tok, '10+20=');
    expect(() => packSequences([prompt], [encodeResponse(tok, '30')], 9)).toThrow(InvalidArgumentError);
    expect(() => packSequences([prompt], [encodeResponse(tok, '30')], 9)).toThrow(/10 tokens .*context of 9/);
    expect(() => packSequences([prompt], [], 9)).toThrow(/1 prompts but 0 responses/);
    expect(() => assertPromptFits(7, 7)).toThrow(/needs a context of 8, the model's is 7/);
    expect(() => assertPromptFits(7, 8)).not.toThrow();
  });

  it("refuses a tokenizer that is not the task's", () => {
    expect(() => assertTokenizerMatchesTask(tok, addition)).not.toThrow();
    const multiplication = makeTextTask('multiplication');
    expect(() => assertTokenizerMatchesTask(tokenizerForTask(multiplication), addition, 'checkpoint x')).toThrow(
      /checkpoint x does not match task 'addition': missing \["\+"\], extra \["\*"\]/,
    );
    const reordered = new Tokenizer([...addition.alphabet].reverse());
    expect(() => assertTokenizerMatchesTask(reordered, addition)).toThrow(/different order/);
  });

  it('safeVerify turns a throwing verifier or a non-finite reward into reward 0 with a flag', () => {
    const problem = { id: 'p', prompt: '1+1=', data: null, difficulty: 1 };
    const throwing = { verify: () => { throw new Error('boom'); } };
    expect(safeVerify(throwing, problem, '2')).toEqual({ reward: 0, correct: false, components: {}, flags: ['verifier-error'] });
    const nan = { verify: () => ({ reward: NaN, correct: true, components: {}, flags: [] }) };
    expect(safeVerify(nan, problem, '2').flags).toEqual(['verifier-error']);
    const real = addition.problems({ split: 'test', count: 1, seed: 0 })[0]!;
    expect(safeVerify(addition, real, addition.solve(real)).correct).toBe(true);
  });
});

/** pass@k by enumerating every k-subset of n samples (c correct): the definition the estimator computes. */
function bruteForcePassAtK(n: number, c: number, k: number): number {
  let hit = 0;
  let total = 0;
  const rec = (start: number, left: number, anyCorrect: boolean): void => {
    if (left === 0) {
      total++;
      if (anyCorrect) hit++;
      return;
    }
    for (let i = start; i <= n - left; i++) rec(i + 1, left - 1, anyCorrect || i < c);
  };
  rec(0, k, false);
  return hit / total;
}

describe('passAtK', () => {
  it('matches hand values and subset enumeration', () => {
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 2, 2)).toBeCloseTo(1 - 3 / 10, 12); // 1 − C(3,2)/C(5,2)
    expect(passAtK(5, 2, 4)).toBe(1); // fewer than 4 wrong samples
    expect(passAtK(8, 0, 3)).toBe(0);
    for (const [n, c, k] of [[6, 1, 3], [7, 3, 2], [9, 4, 5], [10, 2, 1]] as const) {
      expect(passAtK(n, c, k)).toBeCloseTo(bruteForcePassAtK(n, c, k), 12);
    }
  });

  it('rejects impossible arguments', () => {
    expect(() => passAtK(4, 5, 1)).toThrow(InvalidArgumentError);
    expect(() => passAtK(4, 1, 5)).toThrow(/k must be an integer in \[1, n = 4\]/);
    expect(() => passAtK(0, 0, 1)).toThrow(/n \(samples\)/);
  });
});
