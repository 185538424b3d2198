/**
 * The shape of the code's imports: no module of subgraphs/, gateway/ or scripts/ imports itself
 * through others (a cycle makes load order decide whether a binding is initialised yet), and
 * every package imported there is declared as a dependency, so that `npm ci --omit=dev` on a
 * server brings everything the service loads. Domain code (any domain/ folder) loads nothing of
 * GraphQL or Apollo, not even through another module. And settings come from the environment in one
 * place, the configuration module: no other module reads an environment variable.
 */
import { describe, expect, it } from '@jest/globals';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TREES = ['subgraphs', 'gateway', 'scripts'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

interface Import {
  specifier: string;
  /** Erased when compiled (`import type`, `export type`): needed to typecheck, not to run. */
  typeOnly: boolean;
}

/** Every specifier a file imports or re-exports, static or dynamic. */
function imports(file: string): Import[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      let typeOnly = false;
      if (ts.isExportDeclaration(node)) typeOnly = node.isTypeOnly;
      else {
        const clause = node.importClause;
        const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
        typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      }
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file a relative specifier names ('./x.js' is written for './x.ts'). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, base.replace(/\.(m?js|jsx)$/, '.ts'), base.replace(/\.jsx$/, '.tsx'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

const rel = (file: string) => path.relative(ROOT, file);
const files = TREES.flatMap((tree) => sourceFiles(path.join(ROOT, tree)));

/** One cycle through every strongly connected group of modules (Tarjan). */
function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    lowlink.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        lowlink.set(v, Math.min(lowlink.get(v)!, lowlink.get(w)!));
      } else if (onStack.has(w)) {
        lowlink.set(v, Math.min(lowlink.get(v)!, indices.get(w)!));
      }
    }
    if (lowlink.get(v) === indices.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  // Within a group every module reaches every other: walk from its first module back to it.
  return groups.map((group) => {
    const members = new Set(group);
    const start = group.sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const cycle = [v];
          for (let u = v; u !== start; ) cycle.unshift((u = previous.get(u)!));
          return [...cycle, start, ...(group.length > cycle.length ? [`(all of ${[...group].join(', ')} reach each other)`] : [])];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return group;
  });
}

const CONFIG_MODULE = 'subgraphs/common/config.ts';

/**
 * Where a module reads the environment itself: `process.env.X`, `process.env[x]`, a destructuring
 * or a default of `process.env`. Handing the whole environment on (`{ ...process.env, … }`, the
 * environment of a child process) reads no setting and is allowed.
 */
function environmentReads(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const reads: string[] = [];
  const isProcessEnv = (node: ts.Node) =>
    ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';
  const visit = (node: ts.Node) => {
    if (isProcessEnv(node)) {
      let outer = node.parent;
      while (ts.isParenthesizedExpression(outer) || (ts.isBinaryExpression(outer) && outer.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) outer = outer.parent;
      if (!ts.isSpreadAssignment(outer)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        reads.push(`${rel(file)}:${line + 1}: ${node.parent.getText(source).slice(0, 60)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return reads;
}

describe('imports', () => {
  it('finds the modules it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map(rel)).toEqual(expect.arrayContaining(['gateway/server.ts', 'subgraphs/common/runtime.ts', 'scripts/start.ts']));
  });

  it('has no import cycle in subgraphs/, gateway/ or scripts/', () => {
    const graph = new Map<string, string[]>();
    const unresolved: string[] = [];
    for (const file of files) {
      const targets: string[] = [];
      for (const { specifier } of imports(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = resolveRelative(file, specifier);
        if (target) targets.push(rel(target));
        else unresolved.push(`${rel(file)} → ${specifier}`);
      }
      graph.set(rel(file), targets);
    }
    expect(unresolved).toEqual([]);
    // A module graph with a known cycle proves the search finds one.
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('declares every package it imports as a dependency', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
    const development = new Set([...runtime, ...Object.keys(manifest.devDependencies ?? {})]);
    // The benchmark, the long model run and the screenshots are run by developers and never deployed.
    const devTooling = (file: string) => rel(file).startsWith('scripts/bench/') || ['scripts/fuzz.ts', 'scripts/screenshots.ts'].includes(rel(file));
    const knownUndeclared = new Set<string>();
    const builtins = new Set(builtinModules);
    const undeclared: string[] = [];
    for (const file of files) {
      for (const { specifier, typeOnly } of imports(file)) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (builtins.has(name)) continue;
        const declared = typeOnly || devTooling(file) ? development : runtime;
        if (declared.has(name)) continue;
        const entry = `${rel(file)} imports ${name}${typeOnly ? ' (types)' : ''}`;
        if (!knownUndeclared.has(entry)) undeclared.push(entry);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('keeps domain code free of GraphQL and Apollo, through every module it loads', () => {
    const runtimeImports = new Map(files.map((file) => [rel(file), imports(file).filter((i) => !i.typeOnly)]));
    /** What a module loads when it runs: the packages and the repository modules, transitively. */
    const loads = (start: string): { packages: Set<string>; modules: Set<string> } => {
      const modules = new Set<string>([start]);
      const packages = new Set<string>();
      const queue = [start];
      while (queue.length) {
        const file = queue.shift()!;
        for (const { specifier } of runtimeImports.get(file) ?? []) {
          if (!specifier.startsWith('.')) packages.add(specifier);
          else {
            const target = resolveRelative(path.join(ROOT, file), specifier);
            if (target && !modules.has(rel(target))) {
              modules.add(rel(target));
              queue.push(rel(target));
            }
          }
        }
      }
      return { packages, modules };
    };
    const domainFiles = [...runtimeImports.keys()].filter((file) => file.split('/').includes('domain'));
    expect(domainFiles).toEqual(expect.arrayContaining(['subgraphs/common/domain/errors.ts', 'subgraphs/facilities/domain/errors.ts']));
    // The check sees through a module in between: the GraphQL error helpers load graphql.
    expect([...loads('subgraphs/common/auth/jurisdiction.ts').packages]).toContain('graphql');
    const offending = domainFiles.flatMap((file) => {
      const { packages, modules } = loads(file);
      const bad = [...packages].filter((p) => p.startsWith('@apollo/') || p === 'graphql' || p.startsWith('graphql/') || p.startsWith('@pothos/'));
      const viaGraphQL = [...modules].filter((m) => m.split('/').includes('graphql'));
      return [...bad, ...viaGraphQL].map((what) => `${file} loads ${what}`);
    });
    expect(offending).toEqual([]);
  });

  it('reads the environment in the configuration module only', () => {
    // The example client stands for an outside integrator's program: it reads its own credentials.
    const allowed = new Set([CONFIG_MODULE, 'scripts/example-client.ts']);
    // The check finds each kind of read, and lets a handed-on environment pass.
    const sample = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-reads-')), 'sample.ts');
    fs.writeFileSync(
      sample,
      [
        'const a = process.env.A;',
        "const b = process.env['B'];",
        'const { C } = process.env;',
        'function load(env = process.env) { return env; }',
        "const child = { ...process.env, X: '1' };",
        'const other = { ...(given ?? process.env) };',
      ].join('\n'),
    );
    expect(environmentReads(sample).map((read) => read.replace(/^.*sample\.ts:/, ''))).toEqual([
      '1: process.env.A',
      "2: process.env['B']",
      '3: { C } = process.env',
      '4: env = process.env',
    ]);
    fs.rmSync(path.dirname(sample), { recursive: true });
    expect(files.filter((file) => !allowed.has(rel(file))).flatMap(environmentReads)).toEqual([]);
  });
});
