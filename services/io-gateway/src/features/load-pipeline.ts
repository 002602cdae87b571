import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { pipelineSchema } from './pipeline-schema.ts';
import type { Pipeline } from './pipeline-schema.ts';
import { describeIssues, formatIssuePath } from './schema-issues.ts';
import { baseUrlProblem } from './source-schema.ts';

type Environment = Readonly<Record<string, string | undefined>>;

function problemsError(origin: string, problems: readonly string[], cause?: unknown): Error {
  return new Error(problems.map((problem) => `${origin}: ${problem}`).join('\n'), { cause });
}

function parseYaml(origin: string, text: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const where = error.linePos?.[0];
      // prettyErrors appends the position and a code excerpt to the first line; the prefix already has the position.
      const summary = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      return where === undefined ? summary : `line ${where.line}, column ${where.col}: ${summary}`;
    });
    throw problemsError(origin, problems);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw problemsError(origin, [(error as Error).message], error);
  }
}

/** Parses the text of a pipeline file as YAML (`.yaml`, `.yml`) or JSON (`.json`), chosen by the extension. */
export function parsePipelineText(origin: string, text: string): unknown {
  const extension = extname(origin).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return parseYaml(origin, text);
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw problemsError(origin, [`invalid JSON: ${(error as Error).message}`], error);
    }
  }
  throw problemsError(origin, [`unsupported extension "${extension}" (use .yaml, .yml or .json)`]);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates an already parsed pipeline document and applies the `baseUrlEnv` overrides from `env`.
 *
 * @param origin names the document in error messages, usually its file path.
 * @returns the pipeline, deeply frozen.
 * @throws Error with one `origin: path: problem` line per problem; an invalid override names its variable.
 */
export function parsePipeline(document: unknown, env: Environment, origin: string): Pipeline {
  const parsed = pipelineSchema.safeParse(document);
  if (!parsed.success) throw problemsError(origin, describeIssues(parsed.error.issues));
  const pipeline = parsed.data;
  const problems: string[] = [];
  for (const [name, source] of Object.entries(pipeline.sources)) {
    if (source.baseUrlEnv === undefined) continue;
    const override = env[source.baseUrlEnv];
    if (override === undefined || override === '') continue;
    const problem = baseUrlProblem(override);
    // The value itself stays out of the message: a rejected URL may well carry credentials.
    if (problem === undefined) source.baseUrl = new URL(override).origin;
    else problems.push(`${formatIssuePath(['sources', name, 'baseUrlEnv'])}: ${source.baseUrlEnv} ${problem}`);
  }
  if (problems.length > 0) throw problemsError(origin, problems);
  return deepFreeze(pipeline);
}

/**
 * Reads, parses and validates one pipeline file (YAML or JSON by extension) at start-up.
 *
 * @param path the file; error messages name it as given.
 * @param env the environment, read only for the sources' `baseUrlEnv` overrides.
 * @returns the pipeline, deeply frozen, with `width` and `columns` derived.
 * @throws Error naming the file and the exact path of each problem, e.g.
 *   `pipelines/interests.yaml: sources.profile.timeoutMs: Invalid input: expected number, received string`.
 */
export async function loadPipeline(path: string, env: Environment): Promise<Pipeline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw problemsError(path, [`cannot read the pipeline file (${(error as Error).message})`], error);
  }
  return parsePipeline(parsePipelineText(path, text), env, path);
}
