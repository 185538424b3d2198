import { runSubgraphProcess } from '../common/service.js';
import { patients } from './index.js';

await runSubgraphProcess(patients);
