import { providerContract } from './contract';
import { googlePhotosTarget } from './rigs';

providerContract(googlePhotosTarget);
