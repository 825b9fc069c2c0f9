import { providerContract } from './contract';
import { googleDriveTarget } from './rigs';

providerContract(googleDriveTarget);
