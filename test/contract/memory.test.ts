import { providerContract } from './contract';
import { memoryTarget } from './rigs';

providerContract(memoryTarget);
