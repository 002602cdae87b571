// Keeps the k6 scripts from rotting without a k6 binary: their exports, options and thresholds as k6 would load
// them (the k6 modules replaced by fakes), the README's environment tables, the reference pipeline and the model
// interface they assume.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadPipeline } from '../../../services/io-gateway/src/features/load-pipeline.ts';
import { PROFILES, type Profile } from '../lib/config.ts';
import { FEATURE_COUNT, INTEREST_LABELS } from '../lib/model-io.ts';
import { TARGETS } from '../lib/targets.ts';
import { recorder } from './k6-fakes/recorder.ts';
import { loadK6Script } from './load-k6-script.ts';

const k6Dir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const scriptPath = (profile: Profile) => `${k6Dir}${profile}.ts`;
const entryFiles = readdirSync(k6Dir).filter((name) => name.endsWith('.ts'));

function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.includes('/test/'));
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Exported names of a module and what they are: 'default' for the default export. */
function exportsOf(source: ts.SourceFile): Map<string, 'function' | 'const' | 'other'> {
  const found = new Map<string, 'function' | 'const' | 'other'>();
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && exported(statement)) {
      found.set(isDefault(statement) ? 'default' : (statement.name?.text ?? '?'), 'function');
    } else if (ts.isVariableStatement(statement) && exported(statement)) {
      const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) found.set(declaration.name.text, constant ? 'const' : 'other');
      }
    } else if (ts.isExportAssignment(statement)) {
      found.set('default', 'other');
    }
  }
  return found;
}

test('there is one script per profile, named after it', () => {
  assert.deepEqual(entryFiles.toSorted(), PROFILES.map((profile) => `${profile}.ts`).toSorted());
});

test('every script exports const options, a default function and a handleSummary function', () => {
  for (const file of entryFiles) {
    const exports = exportsOf(parse(`${k6Dir}${file}`));
    assert.equal(exports.get('options'), 'const', `${file}: export const options`);
    assert.equal(exports.get('default'), 'function', `${file}: export default function`);
    assert.equal(exports.get('handleSummary'), 'function', `${file}: export function handleSummary`);
  }
});

test('__ENV is read only by the scripts, only to hand it to loadConfig', () => {
  const uses: string[] = [];
  for (const path of sourceFilesUnder(k6Dir)) {
    const source = parse(path);
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.text === '__ENV') {
        const call = node.parent;
        const ok =
          ts.isCallExpression(call) &&
          ts.isIdentifier(call.expression) &&
          call.expression.text === 'loadConfig' &&
          call.arguments[1] === node &&
          entryFiles.some((file) => path.endsWith(`/k6/${file}`));
        uses.push(`${path.slice(repoRoot.length)}:${ok ? 'loadConfig' : 'elsewhere'}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(
    uses.filter((use) => use.endsWith('elsewhere')),
    [],
  );
  assert.equal(uses.length, entryFiles.length);
});

test("only lib/iteration.ts imports k6's runtime modules; everything else is plain TypeScript (types aside)", () => {
  const importers: string[] = [];
  for (const path of sourceFilesUnder(k6Dir)) {
    for (const statement of parse(path).statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const specifier = statement.moduleSpecifier.text;
      const typeOnly =
        statement.importClause?.isTypeOnly === true ||
        (statement.importClause?.namedBindings !== undefined &&
          ts.isNamedImports(statement.importClause.namedBindings) &&
          statement.importClause.name === undefined &&
          statement.importClause.namedBindings.elements.every((element) => element.isTypeOnly));
      if ((specifier === 'k6' || specifier.startsWith('k6/')) && !typeOnly) importers.push(path.slice(k6Dir.length));
    }
  }
  assert.deepEqual([...new Set(importers)], ['lib/iteration.ts']);
});

const EXECUTORS = new Set(['constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate']);
/** k6's built-in metrics the scripts may threshold, with their types. */
const BUILTIN_TYPES: Record<string, string> = {
  http_req_duration: 'trend',
  http_reqs: 'counter',
  dropped_iterations: 'counter',
  checks: 'rate',
};
const EXPRESSION: Record<string, RegExp> = {
  trend: /^(avg|min|med|max|p\(\d+(\.\d+)?\))\s*(<|<=|>|>=|==)\s*\d+(\.\d+)?$/,
  rate: /^rate\s*(<|<=|>|>=|==)\s*\d+(\.\d+)?$/,
  counter: /^(count|rate)\s*(<|<=|>|>=|==)\s*\d+(\.\d+)?$/,
};
const SELECTOR = /^([a-z_]+)(?:\{([\w.-]+:[\w.-]+(?:,[\w.-]+:[\w.-]+)*)\})?$/;

for (const profile of PROFILES) {
  test(`${profile}.ts: for every target, options k6 accepts and thresholds on metrics that exist`, async () => {
    for (const target of TARGETS) {
      recorder.reset();
      const script = await loadK6Script(scriptPath(profile), { TARGET: target });
      assert.equal(typeof script.default, 'function');
      assert.equal(typeof script.handleSummary, 'function');

      const scenarios = Object.entries(script.options.scenarios ?? {});
      assert.ok(scenarios.length > 0, `${profile}/${target}: no scenarios`);
      for (const [name, scenario] of scenarios) {
        assert.ok(EXECUTORS.has(String(scenario['executor'])), `${profile}/${target}: ${name} executor`);
        assert.equal(scenario['exec'], undefined, 'every scenario runs the default function');
      }

      const thresholds = Object.entries(script.options.thresholds ?? {});
      const created = new Map([...recorder.metrics].map(([name, metric]) => [name, metric.type]));
      assert.ok(
        thresholds.some(([, expressions]) => expressions.length > 0),
        `${profile}/${target}: no thresholds`,
      );
      for (const [key, expressions] of thresholds) {
        const match = SELECTOR.exec(key);
        assert.ok(match, `${profile}/${target}: malformed threshold key ${key}`);
        const type = BUILTIN_TYPES[match[1]!] ?? created.get(match[1]!);
        assert.ok(type, `${profile}/${target}: ${key} thresholds a metric the script never creates`);
        for (const expression of expressions) {
          const text = typeof expression === 'string' ? expression : (expression as { threshold: string }).threshold;
          assert.match(text, EXPRESSION[type]!, `${profile}/${target}: ${key}: ${text} is not a ${type} threshold`);
        }
      }
    }
  });
}

/** Variable names in the README tables under `heading` (up to the next heading of the same or higher level). */
function documentedVariables(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README.md has no "${heading}" section`);
  const level = heading.split(' ')[0]!;
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((match) => match[1]!);
}

test('README.md documents exactly the environment variables each script reads', async () => {
  const readme = readFileSync(`${k6Dir}README.md`, 'utf8');
  const readBy = new Map<Profile, string[]>();
  for (const profile of PROFILES) {
    readBy.set(profile, (await loadK6Script(scriptPath(profile))).envRead);
  }
  const common = [...readBy.values()].reduce((shared, names) => shared.filter((name) => names.includes(name)));
  assert.deepEqual(documentedVariables(readme, '### Every script').toSorted(), common.toSorted());
  for (const [profile, names] of readBy) {
    const own = names.filter((name) => !common.includes(name));
    assert.deepEqual(
      documentedVariables(readme, `### \`${profile}.ts\``).toSorted(),
      own.toSorted(),
      `README.md, ${profile}.ts`,
    );
  }
});

test('the interests-heavy pipeline is the demo pipeline pointed at interests-heavy, nothing else', async () => {
  const demo = await loadPipeline(`${repoRoot}services/io-gateway/pipelines/interests.yaml`, {});
  const heavy = await loadPipeline(`${k6Dir}pipelines/interests-heavy.yaml`, {});
  assert.equal(heavy.name, 'interests-heavy');
  assert.equal(heavy.scorer.model, 'interests-heavy');
  assert.deepEqual({ ...heavy, name: demo.name, scorer: { ...heavy.scorer, model: demo.scorer.model } }, demo);
});

test('the model interface the scripts assume is the demo models’ interface', () => {
  for (const model of ['interests', 'interests-heavy']) {
    const config = JSON.parse(
      readFileSync(`${repoRoot}services/scorer/model-repository/${model}/config.json`, 'utf8'),
    ) as { labels: { scores: string[] }; features?: string[] };
    assert.deepEqual(config.labels.scores, [...INTEREST_LABELS], `${model} labels`);
  }
  const interests = JSON.parse(
    readFileSync(`${repoRoot}services/scorer/model-repository/interests/config.json`, 'utf8'),
  ) as { features: string[] };
  assert.equal(interests.features.length, FEATURE_COUNT);
});
