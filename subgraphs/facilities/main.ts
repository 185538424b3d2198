import { runSubgraphProcess } from '../common/service.js';
import { facilities } from './index.js';

await runSubgraphProcess(facilities);
