/** Where CLI commands write: the console by default, captured buffers in tests. */
export interface CliIO {
  /** Writes one line (or block) of normal output. */
  out(text: string): void;
  /** Writes one line (or block) of error output. */
  err(text: string): void;
}

export const consoleIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
};
