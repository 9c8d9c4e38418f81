/** Vector environments: batching helpers, SyncVectorEnv, AsyncVectorEnv and `makeVec`. */
export * from './vector-env.js';
export { batchSpace, createBatch, writeBatchItem, readBatchItem, iterateBatch, copyBatch, copyBatchInto, type CreateBatchOptions } from './batching.js';
export { addInfo, infoOfEnv } from './infos.js';
export { SyncVectorEnv, type SyncVectorEnvOptions } from './sync-vector-env.js';
export { AsyncVectorEnv, type AsyncVectorEnvOptions } from './async-vector-env.js';
export type { EnvSpecSource } from './async-protocol.js';
export { makeVec, type MakeVecOptions, type VectorizationMode } from './make-vec.js';
