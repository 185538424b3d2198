/**
 * Starts the whole stack: PostgreSQL (embedded unless DATABASE_URL is set), migrations, the demo
 * seed (small unless --scale city), the four subgraphs and the gateway as child processes with
 * prefixed logs. Prints the gateway URL when everything is ready. Ctrl-C stops everything,
 * PostgreSQL included.
 *
 *   npm start
 *   npm start -- --scale city
 *   npm start -- --no-seed
 */
import type { ChildProcess } from 'node:child_process';
import { spawnEntry, stopProcess } from './processes.js';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { REPO_ROOT, SUBGRAPH_NAMES, loadConfig } from '../subgraphs/common/config.js';
import { startPostgres } from '../subgraphs/common/db/postgres.js';
import { setupDatabase } from '../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../subgraphs/registry.js';
import { seedDemo, type Scale } from './seed/index.js';

const started = Date.now();
const { values } = parseArgs({ options: { scale: { type: 'string', default: 'small' }, 'no-seed': { type: 'boolean', default: false } } });
if (values.scale !== 'small' && values.scale !== 'city') {
  console.error(`--scale must be small or city, got "${values.scale}"`);
  process.exit(2);
}

const COLORS = { facilities: 36, patients: 35, workforce: 33, vaccination: 32, gateway: 34, postgres: 90 } as const;
const tty = process.stdout.isTTY;
const prefix = (name: keyof typeof COLORS) => (tty ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m` : `[${name}]`);

/** Pino JSON lines become "level message key=value"; anything else passes through. */
function formatLine(line: string): string {
  try {
    const { level, msg, time: _time, service: _service, pid: _pid, hostname: _host, name: _name, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const levelName = typeof level === 'number' ? ({ 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[level] : level;
    const extras = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    return `${levelName ?? ''} ${msg ?? ''}${extras ? ` ${extras}` : ''}`.trim();
  } catch {
    return line;
  }
}

const config = loadConfig();
console.log(`${prefix('postgres')} ${config.databaseUrl ? 'using DATABASE_URL' : `starting embedded PostgreSQL (data in ${path.relative(REPO_ROOT, config.embeddedPostgres.dataDir)})`}`);
const pg = await startPostgres(config, (line) => {
  if (/error|fatal/i.test(line)) console.log(`${prefix('postgres')} ${line}`);
});
await setupDatabase(pg.adminUrl, { migrations: MIGRATIONS, log: (line) => console.log(`${prefix('postgres')} migrate ${line}`) });
if (!values['no-seed']) {
  await seedDemo({ adminUrl: pg.adminUrl, scale: values.scale as Scale, progress: (line) => console.log(`${prefix('postgres')} seed ${line}`) });
}

const children: ChildProcess[] = [];
function run(name: keyof typeof COLORS, entry: string): ChildProcess {
  const child = spawnEntry(entry, { env: { ...process.env, DATABASE_URL: pg.adminUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix(name)} ${formatLine(line)}`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix(name)} exited (${signal ?? `code ${code}`}); stopping everything`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('stopping…');
  await Promise.all(children.map((child) => stopProcess(child, 8_000)));
  await pg.stop().catch(() => {});
  console.log('stopped');
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

for (const name of SUBGRAPH_NAMES) run(name, `subgraphs/${name}/main.ts`);
run('gateway', 'gateway/main.ts');

const gatewayUrl = `http://localhost:${config.ports.gateway}/graphql`;
const readyUrl = `http://127.0.0.1:${config.ports.gateway}/readyz`;
for (let attempt = 0; !stopping; attempt++) {
  const ready = await fetch(readyUrl).then((r) => r.ok, () => false);
  if (ready) break;
  if (attempt === 600) {
    console.error('the stack did not become ready within 60 s');
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}
if (!stopping) {
  console.log(`\nHanoi Response Graph ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${gatewayUrl}  (token: npm run token -- CITY_OFFICER)\n`);
}
