/**
 * Train/test assignment by a hash of a problem's identity: a problem is in the test split iff
 * hash(key) / 2^32 < testFraction. The assignment depends only on the key, so the splits are disjoint whatever
 * the seed, count or difficulty of the calls that produced them.
 */

/** FNV-1a over UTF-16 code units, finished with murmur3's avalanche (FNV alone mixes its last bytes weakly). */
export function hashString32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The split a problem with this identity key belongs to. */
export function splitOf(key: string, testFraction: number): 'train' | 'test' {
  // A fixed salt keeps the assignment unrelated to other uses of the same hash.
  return hashString32('teleo-text-split|' + key) / 4294967296 < testFraction ? 'test' : 'train';
}
