/** SFT warm start for sequence policies: config, teacher-forced loss, trainer, checkpoint. */
export * from './config.js';
export * from './loss.js';
export * from './sft.js';
export * from './io.js';
