import { FlickrError } from './format';
import { arg, me, type MethodDef } from './methods';
import { maxDisplayPx } from './photo-view';
import { MAX_PHOTO_BYTES, MAX_VIDEO_BYTES } from './state';

const MONTHLY_BYTES = 2_147_483_648;

/** flickr.test.*, flickr.people.*: who is signed in and what the account may upload. */
export const PEOPLE_METHODS: Record<string, MethodDef> = {
  'flickr.test.echo': {
    perms: 'none',
    post: false,
    handle: (m) => Object.fromEntries(m.req.params.filter(([k]) => k !== 'oauth_signature').map(([k, v]) => [k, { _content: v }])),
  },

  'flickr.test.login': {
    perms: 'read',
    post: false,
    handle: (m) => {
      const account = m.fs.account(me(m));
      return { user: { id: account?.nsid ?? '', username: { _content: account?.username ?? '' } } };
    },
  },

  'flickr.people.getLimits': {
    perms: 'read',
    post: false,
    handle: (m) => {
      const account = m.fs.account(me(m));
      return {
        person: {
          nsid: account?.nsid ?? '',
          photos: { maxdisplaypx: String(maxDisplayPx(account)), maxupload: String(MAX_PHOTO_BYTES) },
          videos: { maxduration: '180', maxupload: String(MAX_VIDEO_BYTES) },
        },
      };
    },
  },

  'flickr.people.getUploadStatus': {
    perms: 'read',
    post: false,
    handle: (m) => {
      const nsid = me(m);
      const account = m.fs.account(nsid);
      const pro = account?.accountType === 'pro';
      const monthStart = Date.UTC(new Date(m.nowMs).getUTCFullYear(), new Date(m.nowMs).getUTCMonth(), 1);
      let used = 0;
      let videos = 0;
      for (const p of m.fs.photos.values()) {
        if (p.owner !== nsid) continue;
        if (p.datePosted * 1000 >= monthStart) used += p.size;
        if (p.media === 'video') videos++;
      }
      const sets = [...m.fs.photosets.values()].filter((s) => s.owner === nsid).length;
      return {
        user: {
          id: nsid,
          ispro: pro ? 1 : 0,
          username: { _content: account?.username ?? '' },
          bandwidth: {
            maxbytes: MONTHLY_BYTES,
            maxkb: MONTHLY_BYTES / 1024,
            usedbytes: used,
            usedkb: Math.floor(used / 1024),
            remainingbytes: Math.max(0, MONTHLY_BYTES - used),
            remainingkb: Math.floor(Math.max(0, MONTHLY_BYTES - used) / 1024),
          },
          filesize: { maxbytes: String(MAX_PHOTO_BYTES), maxkb: String(MAX_PHOTO_BYTES / 1024) },
          sets: { created: sets, remaining: 'lots' },
          videos: { uploaded: videos, remaining: pro ? 'lots' : String(Math.max(0, 2 - videos)) },
        },
      };
    },
  },

  // photos.count is how a client learns how close a free account is to its 1,000 items.
  'flickr.people.getInfo': {
    perms: 'none',
    post: false,
    handle: (m) => {
      const account = m.fs.account(arg(m, 'user_id'));
      if (!account) throw new FlickrError(1, 'User not found');
      const photos = [...m.fs.photos.values()].filter((p) => p.owner === account.nsid);
      const first = photos.reduce<number | undefined>((min, p) => (min === undefined || p.datePosted < min ? p.datePosted : min), undefined);
      const firstTaken = photos.map((p) => p.dateTaken).sort()[0];
      return {
        person: {
          id: account.nsid,
          nsid: account.nsid,
          ispro: account.accountType === 'pro' ? 1 : 0,
          iconserver: '0',
          iconfarm: 0,
          username: { _content: account.username },
          realname: { _content: account.fullname },
          photosurl: { _content: `https://www.flickr.com/photos/${account.nsid}/` },
          profileurl: { _content: `https://www.flickr.com/people/${account.nsid}/` },
          photos: {
            firstdate: { _content: first === undefined ? '' : String(first) },
            firstdatetaken: { _content: firstTaken ?? '' },
            count: { _content: photos.length },
          },
        },
      };
    },
  },
};
