import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository's root (no trailing slash). */
export const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** One side of a before/after comparison: where its code comes from and the variables it runs with. */
export type Variant = { label: string; source: string; env: Record<string, string> };

/** Removes `--name value` from `args` and returns the value (undefined when the flag is absent). */
export function takeFlag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args.splice(at, 2)[1];
}

/**
 * Parses `<label>=<source>[:VAR=value,...]` arguments (every argument not starting with `--`); `source` is
 * `worktree`, a git revision, or whatever else the comparing tool accepts.
 */
export function parseVariants(args: readonly string[]): Variant[] {
  const variants = args
    .filter((arg) => !arg.startsWith('--'))
    .map((arg) => {
      const match = /^([^=]+)=([^:]+)(?::(.*))?$/.exec(arg);
      if (match === null) throw new Error(`a variant is <label>=<source>[:VAR=value,...], got '${arg}'`);
      const env: Record<string, string> = {};
      for (const pair of (match[3] ?? '').split(',').filter(Boolean)) {
        const [name = '', value = ''] = pair.split('=', 2);
        env[name] = value;
      }
      return { label: match[1]!, source: match[2]!, env };
    });
  if (variants.length === 0) throw new Error('name at least one variant, e.g. before=HEAD after=worktree');
  return variants;
}

/** A repository root to run services from, and how to remove it. */
export type SourceTree = { root: string; remove(): Promise<void> };

/**
 * The repository root of `source` for a before/after comparison: this one for `worktree`, or for a git revision a
 * temporary directory holding `packages` (e.g. `services/io-gateway`, `libs/contracts`) as they were at that
 * revision. Each package's node_modules is this tree's, copied as the relative links pnpm made, so third-party
 * packages resolve to this install and workspace packages to the revision's own copies.
 */
export async function sourceTree(source: string, packages: readonly string[]): Promise<SourceTree> {
  if (source === 'worktree') return { root: REPOSITORY, remove: () => Promise.resolve() };
  const root = await mkdtemp(path.join(tmpdir(), 'splitserve-revision-'));
  try {
    const archive = execFileSync('git', ['-C', REPOSITORY, 'archive', source, ...packages], { maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', root], { input: archive });
    await symlink(path.join(REPOSITORY, 'node_modules'), path.join(root, 'node_modules'));
    for (const pkg of packages) {
      await cp(path.join(REPOSITORY, pkg, 'node_modules'), path.join(root, pkg, 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Source trees checked out once per source and removed together: `root(source)` for each variant. */
export function sourceTrees(packages: readonly string[]) {
  const trees = new Map<string, Promise<SourceTree>>();
  return {
    async root(source: string): Promise<string> {
      let tree = trees.get(source);
      if (tree === undefined) {
        tree = sourceTree(source, packages);
        trees.set(source, tree);
      }
      return (await tree).root;
    },
    async removeAll(): Promise<void> {
      // A checkout that failed has nothing to remove (sourceTree cleaned up after itself).
      for (const tree of trees.values())
        await tree.then(
          (t) => t.remove(),
          () => undefined,
        );
    },
  };
}
