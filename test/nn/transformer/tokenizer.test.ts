/** Tokenizer: greedy longest-match encoding, decoding without specials, errors, JSON round trip. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { Tokenizer } from '../../../src/nn/transformer/index.js';

describe('Tokenizer', () => {
  const tok = new Tokenizer(['a', 'b', '<', '>', '<call>', '<c', '1']);

  it('puts the specials first and the given tokens after them', () => {
    expect(tok.vocabSize).toBe(10);
    expect([Tokenizer.PAD, Tokenizer.BOS, Tokenizer.EOS]).toEqual([0, 1, 2]);
    expect(tok.tokenOf(0)).toBe('<pad>');
    expect(tok.tokenOf(2)).toBe('<eos>');
    expect(tok.tokenOf(3)).toBe('a');
    expect(tok.idOfToken('<call>')).toBe(7);
  });

  it('encodes with greedy longest match and decodes back', () => {
    const ids = tok.encode('<call>a<cb<1>');
    expect(Array.from(ids).map((i) => tok.tokenOf(i))).toEqual(['<call>', 'a', '<c', 'b', '<', '1', '>']);
    expect(tok.decode(ids)).toBe('<call>a<cb<1>');
    expect(tok.encode('')).toEqual(new Int32Array(0));
  });

  it('skips special tokens when decoding', () => {
    expect(tok.decode([Tokenizer.BOS, ...tok.encode('ab'), Tokenizer.EOS, Tokenizer.PAD])).toBe('ab');
  });

  it('names the first character it cannot encode', () => {
    expect(() => tok.encode('ab<x')).toThrow(InvalidArgumentError);
    expect(() => tok.encode('abz1')).toThrow(/"z" at index 2/);
    // '<' alone is a token, so '<x' fails on 'x', not on '<'.
    expect(() => tok.encode('<x')).toThrow(/"x" at index 1/);
  });

  it('rejects bad vocabularies and ids', () => {
    expect(() => new Tokenizer(['a', 'a'])).toThrow(/twice/);
    expect(() => new Tokenizer(['a', ''])).toThrow(InvalidArgumentError);
    expect(() => new Tokenizer(['<eos>'])).toThrow(/special/);
    expect(() => tok.decode([10])).toThrow(/outside the vocabulary/);
    expect(() => tok.tokenOf(-1)).toThrow(InvalidArgumentError);
    expect(() => Tokenizer.fromJSON({ tokens: 'ab' })).toThrow(InvalidArgumentError);
  });

  it('round-trips through JSON and compares by token order', () => {
    const copy = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
    expect(copy.equals(tok)).toBe(true);
    expect(copy.encode('<call>1')).toEqual(tok.encode('<call>1'));
    expect(new Tokenizer(['b', 'a', '<', '>', '<call>', '<c', '1']).equals(tok)).toBe(false);
    expect(new Tokenizer(['a', 'b']).equals(tok)).toBe(false);
  });
});
