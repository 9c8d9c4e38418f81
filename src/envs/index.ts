export * from './env.js';
export * from './wrapper.js';
export * from './registration.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { OrderEnforcing } from './wrappers/order-enforcing.js';
export { PassiveEnvChecker } from './wrappers/passive-env-checker.js';
export * from './classic/index.js';
