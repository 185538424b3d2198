/**
 * The shape of the code's imports: no module of subgraphs/, gateway/ or scripts/ imports itself
 * through others (a cycle makes load order decide whether a binding is initialised yet), and
 * every package imported there is declared as a dependency, so that `npm ci --omit=dev` on a
 * server brings everything the service loads.
 */
import { describe, expect, it } from '@jest/globals';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
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
    // The benchmark and the long model run are run by developers and never deployed.
    const devTooling = (file: string) => rel(file).startsWith('scripts/bench/') || rel(file) === 'scripts/fuzz.ts';
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
});
