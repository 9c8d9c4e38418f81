/** Parts shared by the sequence-policy trainers (SFT, GRPO): encoding, safe verification, pass@k, checkpoints. */
export * from './encoding.js';
export * from './safe-verify.js';
export * from './pass-at-k.js';
export * from './checkpoint.js';
