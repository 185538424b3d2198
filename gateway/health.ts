/** /healthz (the process answers) and /readyz (every subgraph answers its own /readyz). */
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/common/config.js';
import { sendJson, type Route } from './respond.js';

export function healthRoutes(subgraphUrls: Record<SubgraphName, string>): Route {
  const subgraphReady = async (name: SubgraphName): Promise<boolean> => {
    try {
      const res = await fetch(subgraphUrls[name].replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2_000) });
      return res.ok;
    } catch {
      return false;
    }
  };
  return {
    handle(_req, res, pathname) {
      if (pathname === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
        return true;
      }
      if (pathname === '/readyz') {
        void Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await subgraphReady(name)] as const)).then((checks) => {
          const ready = checks.every(([, ok]) => ok);
          sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs: Object.fromEntries(checks) });
        });
        return true;
      }
      return false;
    },
  };
}
