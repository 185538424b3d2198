import { runSubgraphProcess } from '../common/service.js';
import { vaccination } from './index.js';

await runSubgraphProcess(vaccination);
