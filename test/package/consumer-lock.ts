// A lock file for a consumer project, built from this repo's own lock: the package (from its packed
// tarball) with exactly the runtime dependency tree that `npm ci` resolved here, plus the consumer's
// own dev tools. With it, `npm install --offline` installs from the cache `npm ci` filled: npm ci
// caches tarballs but not the registry's package documents, which a lock-less install would ask for.

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  peer?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}
export interface Lock {
  name: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** Where npm placed `name` as seen from the package at `from` (node_modules lookup, nearest first). */
function placed(lock: Lock, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const at = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[at]) return at;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** Every lock path reachable from `roots` through dependencies (optional and peer ones when present). */
function closure(lock: Lock, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = roots.map((name) => placed(lock, '', name)!).filter(Boolean);
  while (stack.length) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const e = lock.packages[at];
    const names = Object.keys({ ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies });
    for (const name of names) {
      const dep = placed(lock, at, name);
      if (dep) stack.push(dep);
    }
  }
  return seen;
}

export interface ConsumerLockInput {
  repoLock: Lock;
  pkg: { name: string; version: string; dependencies: Record<string, string>; bin?: Record<string, string> };
  tarball: string; // as the consumer's package.json names it, e.g. "file:pkg.tgz"
  integrity: string;
  devDependencies: Record<string, string>; // the consumer's own tools, taken from the repo's lock
}

export function consumerLock(i: ConsumerLockInput): Lock {
  const runtime = closure(i.repoLock, Object.keys(i.pkg.dependencies));
  const tools = closure(i.repoLock, Object.keys(i.devDependencies));
  const packages: Record<string, LockEntry> = {
    '': {
      name: 'consumer',
      version: '1.0.0',
      dependencies: { [i.pkg.name]: i.tarball },
      devDependencies: i.devDependencies,
    },
    [`node_modules/${i.pkg.name}`]: {
      version: i.pkg.version,
      resolved: i.tarball,
      integrity: i.integrity,
      dependencies: i.pkg.dependencies,
      ...(i.pkg.bin ? { bin: i.pkg.bin } : {}),
    },
  };
  for (const at of [...runtime, ...tools].sort()) {
    const { dev, devOptional, ...entry } = i.repoLock.packages[at];
    const onlyTool = !runtime.has(at);
    packages[at] = { ...entry, ...(onlyTool ? { dev: true } : {}) };
    void dev;
    void devOptional;
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
