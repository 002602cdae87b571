// The Docker build context as `docker build .` would send it: the workspace filtered by .dockerignore.
import { copyFile, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join, matchesGlob, posix } from 'node:path';

type Rule = { pattern: string; exclude: boolean };

/** The rules of a .dockerignore file, in order; the last rule matching a path decides. */
export function parseDockerignore(text: string): Rule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclude = !line.startsWith('!');
      const pattern = posix.normalize((exclude ? line : line.slice(1)).trim()).replace(/^\/+|\/+$/g, '');
      return { pattern, exclude };
    });
}

/** Whether `relativePath` (posix, from the context root) is left out: by a rule matching it or one of its parents. */
export function isIgnored(relativePath: string, rules: readonly Rule[]): boolean {
  const segments = relativePath.split('/');
  let ignored = false;
  for (const rule of rules) {
    for (let depth = 1; depth <= segments.length; depth++) {
      if (matchesGlob(segments.slice(0, depth).join('/'), rule.pattern)) {
        ignored = rule.exclude;
        break;
      }
    }
  }
  return ignored;
}

/** Copies the files of `root` that `rules` keep into `destination`, symbolic links as links. */
export async function copyBuildContext(root: string, destination: string, rules: readonly Rule[]): Promise<number> {
  let files = 0;
  const walk = async (relative: string): Promise<void> => {
    await mkdir(join(destination, relative), { recursive: true });
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (isIgnored(path, rules)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink()) await symlink(await readlink(join(root, path)), join(destination, path));
      else if (entry.isFile()) {
        await copyFile(join(root, path), join(destination, path));
        files++;
      }
    }
  };
  await walk('');
  return files;
}
