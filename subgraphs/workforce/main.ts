import { runSubgraphProcess } from '../common/service.js';
import { workforce } from './index.js';

await runSubgraphProcess(workforce);
