// `docker build --target <t>` without an engine: each stage gets its own folder as its filesystem root, COPY and
// WORKDIR act on it, and RUN executes on this machine, but only for the stages the caller names (the ones whose
// commands build the production tree). RUNs of other stages are skipped and reported, so nothing goes unseen.
import { execFile, spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { assignments, stageChain, substitute, type Dockerfile, type Stage } from './dockerfile.ts';

const execFileAsync = promisify(execFile);

/** What a stage leaves behind: its filesystem folder and the settings an image of it would carry. */
export type BuiltStage = {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  exposed: number[];
  /** RUN commands not executed, as `stage: command`: of this stage, its parents and the stages it copies from. */
  skippedRuns: string[];
};

export type EmulationOptions = {
  dockerfile: Dockerfile;
  /** The build context, already filtered by .dockerignore. */
  context: string;
  /** An empty folder for the stages' filesystems. */
  scratch: string;
  /** Stages whose RUN commands are executed. */
  runStages: readonly string[];
  /** Environment of executed commands besides the stage's ENV and ARGs (PATH, HOME, pnpm settings). */
  hostEnv: Record<string, string>;
};

/** Builds `target` and every stage it needs; a stage built once is reused. */
export function createEmulator(options: EmulationOptions): (target: string) => Promise<BuiltStage> {
  const built = new Map<string, Promise<BuiltStage>>();
  const build = (name: string): Promise<BuiltStage> => {
    let stage = built.get(name);
    if (stage === undefined) {
      stage = buildStage(options, name, build);
      built.set(name, stage);
    }
    return stage;
  };
  return build;
}

async function copyInto(sources: string[], destination: string): Promise<void> {
  const intoFolder = destination.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    const isFolder = (await stat(source)).isDirectory();
    const target = isFolder || !intoFolder ? destination : join(destination, posix.basename(source));
    await mkdir(isFolder ? target : posix.dirname(target), { recursive: true });
    // cp -a keeps pnpm's relative symbolic links as they are and copies a folder's contents, as COPY does.
    await execFileAsync('cp', ['-a', isFolder ? `${source}/.` : source, target]);
  }
}

async function runShell(command: string, cwd: string, env: Record<string, string>): Promise<void> {
  const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`RUN ${command} exited with ${code}:\n${output}`);
}

async function buildStage(
  options: EmulationOptions,
  name: string,
  build: (name: string) => Promise<BuiltStage>,
): Promise<BuiltStage> {
  const stage: Stage = options.dockerfile.stage(name);
  const parentName = stageChain(options.dockerfile, name).at(-2)?.name;
  const parent = parentName === undefined ? undefined : await build(parentName);
  const root = join(options.scratch, name);
  await mkdir(root, { recursive: true });
  if (parent !== undefined) await execFileAsync('cp', ['-a', `${parent.root}/.`, root]);
  const result: BuiltStage = {
    name,
    root,
    workdir: parent?.workdir ?? '/',
    env: { ...parent?.env },
    user: parent?.user,
    cmd: parent?.cmd,
    exposed: [...(parent?.exposed ?? [])],
    skippedRuns: [...(parent?.skippedRuns ?? [])],
  };
  const args: Record<string, string> = {};
  const inRoot = (path: string) => join(root, posix.resolve(result.workdir, path));
  for (const { keyword, value, line } of stage.instructions) {
    const values = { ...args, ...result.env };
    switch (keyword) {
      case 'ARG':
        Object.assign(args, assignments(value));
        break;
      case 'ENV':
        Object.assign(result.env, assignments(substitute(value, values)));
        break;
      case 'WORKDIR':
        result.workdir = posix.resolve(result.workdir, substitute(value, values));
        await mkdir(inRoot('.'), { recursive: true });
        break;
      case 'USER':
        result.user = value;
        break;
      case 'EXPOSE':
        result.exposed.push(...value.split(/\s+/).map(Number));
        break;
      case 'CMD':
        result.cmd = JSON.parse(value) as string[];
        break;
      case 'COPY': {
        const words = substitute(value, values).split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        const destination = paths.pop()!;
        const source = from === undefined ? undefined : await build(from);
        for (const skipped of source?.skippedRuns ?? []) {
          if (!result.skippedRuns.includes(skipped)) result.skippedRuns.push(skipped);
        }
        const sources = paths.map((p) => (source === undefined ? join(options.context, p) : join(source.root, p)));
        await copyInto(sources, inRoot(destination) + (destination.endsWith('/') ? '/' : ''));
        break;
      }
      case 'RUN':
        if (!options.runStages.includes(name)) {
          result.skippedRuns.push(`${name}: ${value}`);
        } else if (/(^|[\s=])\//.test(value)) {
          // Executed on this machine: an absolute path would reach outside the stage's folder.
          throw new Error(`Dockerfile:${line}: cannot emulate a RUN with an absolute path: ${value}`);
        } else {
          await runShell(value, inRoot('.'), { ...options.hostEnv, ...values });
        }
        break;
      default:
        throw new Error(`Dockerfile:${line}: the emulated build does not know ${keyword}`);
    }
  }
  return result;
}
