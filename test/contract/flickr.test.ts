import { providerContract } from './contract';
import { flickrTarget } from './rigs';

providerContract(flickrTarget);
