// Before a sync to a destination that caps an account's items (a free Flickr account holds 1,000
// photos and videos, 50 of them not public): say plainly how much room is left, and upload only what
// fits — or nothing — instead of letting the uploads fail one by one.
import { capacityWords, roomLeft, trimToRoom } from '../../sync/capacity';
import type { SyncPlan } from '../../sync/plan';
import { formatCount } from '../../util/format';
import type { SyncL10n } from '../../sync/l10n';
import type { DestinationSession, SyncCommandDeps } from './deps';

export const FLICKR_PRO_URL = 'https://www.flickr.com/account/upgrade/pro';
const PRO_BUTTON = 'About Flickr Pro';
const NONE_SENT_ONE = '{0}, so the {1} new file of this sync cannot be uploaded; nothing new was sent.{2} Delete photos on {3} or upgrade to Flickr Pro.';
const NONE_SENT_MANY = '{0}, so the {1} new files of this sync cannot be uploaded; nothing new was sent.{2} Delete photos on {3} or upgrade to Flickr Pro.';

/** The plan to run (cut to the room left when the user agrees), or undefined to stop. */
export async function fitCapacity(deps: Pick<SyncCommandDeps, 'vs' | 'log'>, session: DestinationSession, plan: SyncPlan): Promise<SyncPlan | undefined> {
  const { vs } = deps;
  const provider = session.pipeline.provider;
  if (!provider.capacity || plan.uploads.length === 0) return plan;
  let capacity;
  try {
    capacity = await provider.capacity();
  } catch (err) {
    // The uploads meet the same cause and report it; the check is not worth stopping for.
    deps.log.warn(`Could not check how much room the ${provider.displayName} account has left: ${(err as Error).message}`);
    return plan;
  }
  if (!capacity) return plan;
  const room = roomLeft(capacity);
  const wanted = plan.uploads.length;
  deps.log.info(`${provider.displayName}: the ${capacity.account} holds ${formatCount(capacity.used)} of its ${formatCount(capacity.limit)} ${capacity.items}; this sync adds ${formatCount(wanted)}.`);
  if (wanted <= room) return plan;
  const words = capacityWords(capacity, vs.l10n);
  const holds = vs.l10n.t('Your {0} holds {1} of the {2} {3} it may keep', words.account, formatCount(capacity.used), formatCount(capacity.limit), words.items);
  const trimmed = trimToRoom(plan, room, { rules: provider.rules, batchSize: session.pipeline.ctx.batchSize });
  if (room === 0) {
    const rest = trimmed.adds.length ? ` ${vs.l10n.t('Photos already on {0} are still put into their albums.', provider.displayName)}` : '';
    const noneSent = wanted === 1
      ? vs.l10n.t(NONE_SENT_ONE, holds, formatCount(wanted), rest, provider.displayName)
      : vs.l10n.t(NONE_SENT_MANY, holds, formatCount(wanted), rest, provider.displayName);
    void Promise.resolve(
      vs.window.showErrorMessage(noneSent, vs.l10n.t(PRO_BUTTON)),
    ).then((picked) => (picked === vs.l10n.t(PRO_BUTTON) ? vs.env.openExternal(vs.Uri.parse(FLICKR_PRO_URL)) : undefined));
    return trimmed.adds.length ? trimmed : undefined;
  }
  const upload = vs.l10n.t('Upload {0}', formatCount(room));
  const picked = await vs.window.showWarningMessage(
    vs.l10n.t('{0}: room for {1} more, and this sync has {2} new files.', holds, formatCount(room), formatCount(wanted)),
    { modal: true, detail: uploadFirstQuestion(vs.l10n, room, wanted - room, provider.displayName) },
    upload,
  );
  return picked === upload ? trimmed : undefined;
}

/** "Upload the first 3 now? The other 2 stay “to upload”…", in the singular where a count is one. */
export function uploadFirstQuestion(l10n: SyncL10n, room: number, other: number, destination: string): string {
  if (room === 1) {
    return other === 1
      ? l10n.t('Upload the first file now? The other one stays “to upload” until there is room (delete photos on {0}, or upgrade to Flickr Pro).', destination)
      : l10n.t('Upload the first file now? The other {0} stay “to upload” until there is room (delete photos on {1}, or upgrade to Flickr Pro).', formatCount(other), destination);
  }
  return other === 1
    ? l10n.t('Upload the first {0} now? The other one stays “to upload” until there is room (delete photos on {1}, or upgrade to Flickr Pro).', formatCount(room), destination)
    : l10n.t('Upload the first {0} now? The other {1} stay “to upload” until there is room (delete photos on {2}, or upgrade to Flickr Pro).', formatCount(room), formatCount(other), destination);
}
