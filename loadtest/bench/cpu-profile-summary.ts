// Reads a V8 `.cpuprofile` (node --cpu-prof) into self and inclusive time per function and per package.

/** The parts of a V8 CPU profile this module reads. */
export type CpuProfile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  /** Microseconds since the previous sample (the first: since `startTime`). */
  timeDeltas: number[];
};

/** Time spent in one function or package, in milliseconds, and as a share of the profile's busy time. */
export type TimeEntry = { name: string; ms: number; share: number };

export type ProfileSummary = {
  /** Sampled time outside `(idle)`, in milliseconds. */
  busyMs: number;
  /** Where the samples landed: the function itself was running. */
  selfByFunction: TimeEntry[];
  /** The function was on the stack (counted once per stack, recursion included). */
  inclusiveByFunction: TimeEntry[];
  /** Self time grouped by package (node_modules), Node internals, the repository's own code, GC. */
  selfByPackage: TimeEntry[];
};

const VIRTUAL_FRAMES = new Set(['(root)', '(program)', '(idle)']);

/**
 * Summarises a profile, busiest first. `root` is the repository's directory, shortened away in names. Time is
 * attributed from `timeDeltas`, so a profile taken with any sampling interval reads the same.
 */
export function summarizeCpuProfile(profile: CpuProfile, root: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const rootNode = profile.nodes.find((node) => !parentOf.has(node.id));
  if (rootNode === undefined) throw new Error('a CPU profile without a root node');

  const name = (id: number) => functionName(byId.get(id)!.callFrame, root);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);

  // Depth first, iteratively (stacks can be deep): a function's inclusive time adds the subtree of each of its
  // outermost frames only, so recursion is not counted twice.
  const onStack = new Map<string, number>();
  const subtreeUs = new Map<number, number>();
  const stack: { id: number; entered: boolean }[] = [{ id: rootNode.id, entered: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const key = name(top.id);
    if (!top.entered) {
      top.entered = true;
      onStack.set(key, (onStack.get(key) ?? 0) + 1);
      for (const child of byId.get(top.id)!.children ?? []) stack.push({ id: child, entered: false });
      continue;
    }
    stack.pop();
    const own = selfUs.get(top.id) ?? 0;
    let total = own;
    for (const child of byId.get(top.id)!.children ?? []) total += subtreeUs.get(child) ?? 0;
    subtreeUs.set(top.id, total);
    const depth = onStack.get(key)! - 1;
    onStack.set(key, depth);
    if (depth === 0) add(inclusive, key, total);
    add(self, key, own);
    add(packages, packageOf(byId.get(top.id)!.callFrame, root), own);
  }

  const idleUs = self.get('(idle)') ?? 0;
  const busyUs = [...self.values()].reduce((sum, us) => sum + us, 0) - idleUs;
  const entries = (map: Map<string, number>) =>
    [...map]
      .filter(([key]) => !VIRTUAL_FRAMES.has(key))
      .map(([key, us]) => ({ name: key, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return {
    busyMs: busyUs / 1000,
    selfByFunction: entries(self),
    inclusiveByFunction: entries(inclusive),
    selfByPackage: entries(packages),
  };
}

/** `name (file:line)`, with the repository's path and the pnpm store's prefix cut off. */
function functionName(frame: CpuProfile['nodes'][number]['callFrame'], root: string): string {
  if (frame.url === '') return frame.functionName || '(anonymous)';
  return `${frame.functionName || '(anonymous)'} (${shortUrl(frame.url, root)}:${frame.lineNumber + 1})`;
}

function shortUrl(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const store = /\/node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/.exec(path);
  if (store !== undefined && store !== null) return store[1]!;
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/** The package a frame belongs to: an npm package, `node:<module>`, a folder of the repository, or a VM frame. */
function packageOf(frame: CpuProfile['nodes'][number]['callFrame'], root: string): string {
  if (frame.url === '') return frame.functionName;
  const path = frame.url.replace(/^file:\/\//, '');
  const store = /\/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (store !== null) return store[1]!;
  if (path.startsWith('node:')) return nodeModuleOf(path);
  if (path.startsWith(`${root}/`))
    return path
      .slice(root.length + 1)
      .split('/')
      .slice(0, 3)
      .join('/');
  return path;
}

/** Node's own modules, grouped by what they do (HTTP, streams, timers, …). */
function nodeModuleOf(path: string): string {
  const module = path.slice('node:'.length).replace(/^internal\//, '');
  const group = module.split('/')[0]!;
  return `node:${group}`;
}
