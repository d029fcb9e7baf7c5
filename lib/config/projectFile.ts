/**
 * Reading files the stack config names (roster.file) from the project folder, and nowhere else: a path that
 * is absolute or climbs out with "..", or leads out through a symbolic link, is refused, as are directories,
 * devices and files too large to be a roster. The messages go after the key (`vpconnect:roster.file`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A file the config names could not be used; the message says why and what to do. */
export class ProjectFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectFileError";
  }
}

/** Largest file read (a 100,000-person roster is about 6 MB). */
export const MAX_PROJECT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Why `relative` cannot name a file inside the project folder, judged from the text alone (absolute paths,
 * drive letters, UNC paths, ".." climbing out), or undefined. Pure.
 */
export function projectPathProblem(relative: string): string | undefined {
  const shown = JSON.stringify(relative);
  if (
    path.posix.isAbsolute(relative) ||
    path.win32.isAbsolute(relative) ||
    /^[a-z]:/i.test(relative) ||
    relative.startsWith("~")
  ) {
    return `${shown} is an absolute path; give a path relative to the project folder (where Pulumi.yaml is), e.g. stacks/roster.csv`;
  }
  const normal = path.posix.normalize(relative.replace(/\\/g, "/"));
  if (normal === ".." || normal.startsWith("../")) {
    return `${shown} leaves the project folder; keep the roster file inside it (where Pulumi.yaml is), e.g. stacks/roster.csv`;
  }
  return undefined;
}

/** A reader for LoadOptions.readFile that keeps every read inside `projectDir`. */
export function projectFileReader(projectDir: string): (relative: string) => string {
  return (relative) => readProjectFile(projectDir, relative);
}

/** Reads `relative` inside `projectDir`, or throws ProjectFileError (or the fs error for a missing file). */
export function readProjectFile(projectDir: string, relative: string): string {
  const lexical = projectPathProblem(relative);
  if (lexical) throw new ProjectFileError(lexical);
  const root = fs.realpathSync(projectDir);
  const real = fs.realpathSync(path.resolve(root, relative)); // ENOENT surfaces as the fs error
  const fromRoot = path.relative(root, real);
  if (fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) {
    throw new ProjectFileError(
      `${JSON.stringify(relative)} leads outside the project folder through a symbolic link; copy the file into the project instead`,
    );
  }
  // stat before opening: opening a FIFO would wait for a writer.
  const stat = fs.statSync(real);
  if (stat.isDirectory())
    throw new ProjectFileError(`${JSON.stringify(relative)} is a folder; name a .csv or .json file in it`);
  if (!stat.isFile())
    throw new ProjectFileError(
      `${JSON.stringify(relative)} is not a regular file; name a .csv or .json file`,
    );
  if (stat.size > MAX_PROJECT_FILE_BYTES)
    throw new ProjectFileError(
      `${JSON.stringify(relative)} is ${Math.round(stat.size / 1024 / 1024)} MB; a roster file may be at most ${MAX_PROJECT_FILE_BYTES / 1024 / 1024} MB`,
    );
  return fs.readFileSync(real, "utf8");
}
