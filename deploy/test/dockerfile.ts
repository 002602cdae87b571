// Reads the Dockerfile's stages without a Docker engine: enough of the syntax for the checks and the emulated
// build in this folder (continuation lines, comments, global ARGs, named stages); anything else is reported.

/** One instruction, its keyword upper-cased and its continuation lines joined. */
export type Instruction = { keyword: string; value: string; line: number };

export type Stage = {
  name: string;
  /** The FROM image or stage, with global ARG defaults substituted. */
  from: string;
  instructions: Instruction[];
};

export type Dockerfile = {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
  stage(name: string): Stage;
};

/** Substitutes `${NAME}` and `$NAME` from `values`; unknown names are left as they are. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const value = values[braced ?? bare ?? ''];
    return value ?? whole;
  });
}

/** `NAME=value` pairs of an ARG or ENV instruction (the values here never need quoting). */
export function assignments(value: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const word of value.split(/\s+/).filter((w) => w !== '')) {
    const equals = word.indexOf('=');
    if (equals === -1) pairs[word] = '';
    else pairs[word.slice(0, equals)] = word.slice(equals + 1).replace(/^"(.*)"$/, '$1');
  }
  return pairs;
}

function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === undefined)) return;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1).trim() : line;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(part);
    if (continued) return;
    const joined = pending.parts.filter((p) => p !== '').join(' ');
    const space = joined.search(/\s/);
    result.push({
      keyword: (space === -1 ? joined : joined.slice(0, space)).toUpperCase(),
      value: space === -1 ? '' : joined.slice(space + 1).trim(),
      line: pending.line,
    });
    pending = undefined;
  });
  return result;
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.value);
      if (match === null) throw new Error(`Dockerfile:${instruction.line}: cannot read FROM ${instruction.value}`);
      stages.push({
        from: substitute(match[1]!, globalArgs),
        name: match[2] ?? String(stages.length),
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG')
        throw new Error(`Dockerfile:${instruction.line}: ${instruction.keyword} before FROM`);
      Object.assign(globalArgs, assignments(instruction.value));
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return {
    globalArgs,
    stages,
    stage(name) {
      const found = stages.find((s) => s.name === name);
      if (found === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
      return found;
    },
  };
}

/** The stage and the stages it is built FROM, the base-most first. */
export function stageChain(dockerfile: Dockerfile, name: string): Stage[] {
  const chain: Stage[] = [];
  for (let stage: Stage | undefined = dockerfile.stage(name); stage !== undefined;) {
    chain.unshift(stage);
    const from: string = stage.from;
    stage = dockerfile.stages.find((s) => s.name === from);
  }
  return chain;
}
