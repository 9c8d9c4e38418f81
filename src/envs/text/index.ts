/** Text tasks with seeded generators, exact verifiers and scripted solvers, for sequence policies (GRPO family). */
export * from './types.js';
export { makeTextTask, textTaskNames } from './registry.js';
export { ArithmeticTask, type ArithmeticOperator, type ArithmeticTaskOptions } from './arithmetic.js';
export { splitOf, hashString32 } from './split-hash.js';
export { CountdownTask, type CountdownTaskOptions, type CountdownData } from './countdown.js';
export { parseCountdownExpression, evaluateCountdownExpression, type CountdownNode, type Fraction } from './countdown-expression.js';
export { solveCountdown, reachableValues } from './countdown-search.js';
export { JsonStructTask, type JsonStructTaskOptions, type JsonStructData, type JsonField, type JsonFieldType, type JsonStructWeights } from './json-struct.js';
export { parseStrictJson, type JsonValue, type JsonObject, type ParsedJson } from './strict-json.js';
export { FunctionCallTask, type FunctionCallTaskOptions, type FunctionCallData } from './function-call.js';
export { TOOLS, VALUE_POOLS, toolSignature, type ToolSpec, type ValueKind } from './function-call-tools.js';
