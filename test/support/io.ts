import type { Io } from "../../cli/main";

/** An `Io` for running a `vpconnect` command in-process, with what it printed collected. */
export interface CapturedIo {
  io: Io;
  readonly stdout: string;
  readonly stderr: string;
}

export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedIo {
  let stdout = "";
  let stderr = "";
  return {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env },
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}
