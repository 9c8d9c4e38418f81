/**
 * Typed errors. Every error Teleo throws on bad input is a `TeleoError` with a stable `code`,
 * so callers can branch on `err instanceof InvalidActionError` or on `err.code`.
 */

export class TeleoError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An argument is malformed (wrong type, out of range, inconsistent with another argument). */
export class InvalidArgumentError extends TeleoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** An operation that is not valid in the object's current state (a full buffer, results not yet computed). */
export class InvalidStateError extends TeleoError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

/** A seed that is not a non-negative safe integer. */
export class InvalidSeedError extends TeleoError {
  constructor(seed: unknown) {
    super(
      'INVALID_SEED',
      `Seed must be a non-negative integer no larger than ${Number.MAX_SAFE_INTEGER}, got ${describeValue(seed)}`,
    );
  }
}

/** A space constructed with inconsistent parameters (low > high, bad shape, n <= 0, ...). */
export class InvalidSpaceError extends TeleoError {
  constructor(message: string) {
    super('INVALID_SPACE', message);
  }
}

/** An action that is not an element of the action space (wrong shape, NaN, out of range, wrong type). */
export class InvalidActionError extends TeleoError {
  readonly action: unknown;
  constructor(message: string, action?: unknown) {
    super('INVALID_ACTION', message);
    this.action = action;
  }
}

/** An observation that is not an element of the observation space, or contains NaN/Infinity. */
export class InvalidObservationError extends TeleoError {
  constructor(message: string) {
    super('INVALID_OBSERVATION', message);
  }
}

/** `step()` (or `render()`) called before `reset()`, or after the episode ended without a reset. */
export class ResetNeededError extends TeleoError {
  constructor(message: string) {
    super('RESET_NEEDED', message);
  }
}

/** An environment id that is not registered; `suggestions` lists close matches. */
export class UnknownEnvError extends TeleoError {
  readonly envId: string;
  readonly suggestions: string[];
  constructor(envId: string, suggestions: string[], detail?: string) {
    const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    super('UNKNOWN_ENV', `Environment '${envId}' is not registered.${detail ? ' ' + detail : ''}${hint}`);
    this.envId = envId;
    this.suggestions = suggestions;
  }
}

/** An option (keyword argument) that the receiver does not accept. */
export class UnknownOptionError extends TeleoError {
  readonly option: string;
  constructor(owner: string, option: string, allowed: readonly string[]) {
    const list = allowed.length > 0 ? `accepted options: ${allowed.join(', ')}` : 'it accepts no options';
    super('UNKNOWN_OPTION', `${owner} got an unknown option '${option}' (${list})`);
    this.option = option;
  }
}

/** The same id registered twice without `override`. */
export class AlreadyRegisteredError extends TeleoError {
  constructor(envId: string) {
    super('ALREADY_REGISTERED', `Environment '${envId}' is already registered; pass { override: true } to replace it`);
  }
}

/** An operation on an environment (or vector environment) that was closed. */
export class ClosedEnvironmentError extends TeleoError {
  constructor(message = 'The environment is closed') {
    super('ENV_CLOSED', message);
  }
}

/** A sub-environment of a vector environment failed; `envIndex` names which one. */
export class EnvWorkerError extends TeleoError {
  readonly envIndex: number;
  constructor(envIndex: number, message: string, options?: { cause?: unknown }) {
    super('ENV_WORKER', `Sub-environment ${envIndex}: ${message}`, options);
    this.envIndex = envIndex;
  }
}

/** `checkEnv` found an environment that breaks the Env API; `check` names the failed check. */
export class EnvCheckError extends TeleoError {
  readonly check: string;
  constructor(check: string, message: string, options?: { cause?: unknown }) {
    super('ENV_CHECK', `checkEnv [${check}]: ${message}`, options);
    this.check = check;
  }
}

/** A tensor backend that is unknown, or known but cannot be loaded on this machine. */
export class BackendUnavailableError extends TeleoError {
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
    this.backend = backend;
  }
}

/** A serialised file (checkpoint, safetensors) that is truncated, corrupt or not in the expected format. */
export class CorruptFileError extends TeleoError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('CORRUPT_FILE', `${path}: ${message}`, options);
    this.path = path;
  }
}

/** A computation produced NaN or Infinity where a finite number is required (e.g. a gradient norm). */
export class NumericalError extends TeleoError {
  constructor(message: string) {
    super('NUMERICAL', message);
  }
}

/** Short, safe description of an arbitrary value for error messages. */
export function describeValue(value: unknown, maxLength = 80): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else if (value === undefined) text = 'undefined';
  else if (value === null) text = 'null';
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number>;
    text = `${value.constructor.name}(${arr.length}) [${Array.from(arr).slice(0, 8).join(', ')}${arr.length > 8 ? ', ...' : ''}]`;
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > maxLength ? text.slice(0, maxLength - 3) + '...' : text;
}

/**
 * A dataset (a logged bandit feedback table, a file being loaded) whose content is malformed: a bad value,
 * a missing or mismatched column, a corrupt or truncated file. `column` and `row` locate the problem when known.
 */
export class InvalidDataError extends TeleoError {
  readonly column: string | undefined;
  readonly row: number | undefined;
  constructor(message: string, location: { column?: string; row?: number; cause?: unknown } = {}) {
    super('INVALID_DATA', message, location.cause === undefined ? undefined : { cause: location.cause });
    this.column = location.column;
    this.row = location.row;
  }
}
