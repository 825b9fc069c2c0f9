// Flickr's id and request allowance: what activation needs of Flickr (the destination kind's quota),
// apart from the rules (./rules.ts), which bring the Flickr client with them.
import { hourlyQuota } from '../../tasks/quotaPolicy';

export const PROVIDER_ID = 'flickr';
/** Flickr's published budget per API key, summed over every user of the key. */
export const CALLS_PER_HOUR = 3600;

export const FLICKR_QUOTA = hourlyQuota(PROVIDER_ID, CALLS_PER_HOUR);
