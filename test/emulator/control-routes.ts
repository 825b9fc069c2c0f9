import type { RequestContext } from './context';
import type { FaultSpec } from './faults';
import { clearFlickrFaults, resetFlickr } from './flickr/state';
import { handleFlickrControl } from './flickr/control';
import { invalidArgument, notFound, type Reply } from './http';
import { expireAllAccessTokens } from './oauth';
import type { EmulatorServer } from './server';
import { snapshot } from './snapshot';
import { pickItems } from './picker-state';
import { applyDriveFault, driveControl, resetDrive } from './drive/control';
import { libraryControl } from './library/control';

function applyFault(server: EmulatorServer, spec: FaultSpec): unknown {
  switch (spec.type) {
    case 'status':
      if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) throw invalidArgument('status fault needs an HTTP error status 400-599');
      server.faults.add(spec);
      return { scheduled: spec };
    case 'reset':
      if (!Number.isInteger(spec.afterBytes) || spec.afterBytes < 0) throw invalidArgument('reset fault needs afterBytes >= 0');
      server.faults.add(spec);
      return { scheduled: spec };
    case 'latency':
      if (!(spec.ms >= 0)) throw invalidArgument('latency fault needs ms >= 0');
      server.faults.add(spec);
      return { scheduled: spec };
    case 'bandwidth':
      server.faults.bandwidthMbps = spec.mbps && spec.mbps > 0 ? spec.mbps : undefined;
      return { bandwidthMbps: server.faults.bandwidthMbps ?? null };
    case 'dailyQuota':
      server.quota.dailyLimit = spec.limit;
      return { dailyLimit: spec.limit };
    case 'writesPerMinute':
      server.quota.writesPerMinute = spec.limit;
      return { writesPerMinute: spec.limit };
    case 'expireTokens':
      return { expired: expireAllAccessTokens(server.state) };
    case 'advanceClock':
      server.state.clock.advance(spec.ms);
      return { now: server.state.clock.iso() };
    case 'publishingStatus':
      server.state.publishingStatus = spec.status;
      return { publishingStatus: spec.status };
    case 'apiEnabled':
      if (spec.api !== 'library' && spec.api !== 'picker') throw invalidArgument('apiEnabled.api must be "library" or "picker"');
      if (spec.enabled) server.faults.disabledApis.delete(spec.api);
      else server.faults.disabledApis.add(spec.api);
      return { disabledApis: [...server.faults.disabledApis] };
    case 'videoProcessing':
      if (!(Number.isFinite(spec.ms) && spec.ms >= 0)) throw invalidArgument('videoProcessing fault needs ms >= 0');
      server.state.videoProcessingMs = spec.ms;
      return { videoProcessingMs: spec.ms };
    case 'clear':
      server.faults.clear();
      clearFlickrFaults(server.state);
      return { cleared: true };
    default: {
      const drive = applyDriveFault(server.state, spec);
      if (drive !== undefined) return drive;
      throw invalidArgument(`Unknown fault type ${JSON.stringify((spec as { type?: unknown }).type)}`);
    }
  }
}

/** `{control}/…`: test-only state, fault and picking switches. Never reachable from the Google paths. */
export async function handleControl(ctx: RequestContext, server: EmulatorServer): Promise<Reply> {
  const { method, path } = ctx;
  if (path === '/flickr' || path.startsWith('/flickr/')) return handleFlickrControl(ctx, path.slice('/flickr'.length));
  if (method === 'GET' && (path === '/state' || path === '' || path === '/')) return { status: 200, body: snapshot(server) };
  if (method === 'GET' && path === '/revocations') return { status: 200, body: { revocations: server.state.revocations } };
  if (method === 'POST' && path === '/faults') {
    const body = await ctx.json();
    const list = Array.isArray(body.faults) ? (body.faults as FaultSpec[]) : [body as unknown as FaultSpec];
    return { status: 200, body: { applied: list.map((spec) => applyFault(server, spec)) } };
  }
  if (method === 'POST' && path === '/reset') {
    server.state.reset();
    resetDrive(server.state);
    resetFlickr(server.state);
    server.faults.clear();
    server.quota.reset();
    return { status: 200, body: { reset: true } };
  }
  const pick = /^\/picker\/([^/]+)\/pick$/.exec(path);
  if (method === 'POST' && pick) {
    const body = await ctx.json();
    const ids = body.mediaItemIds;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw invalidArgument('Body must be {"mediaItemIds":["…"]}');
    pickItems(server.state, decodeURIComponent(pick[1]), ids as string[]);
    return { status: 200, body: { picked: ids.length } };
  }
  const library = await libraryControl(ctx, server.state);
  if (library) return library;
  const drive = await driveControl(ctx, server.state);
  if (drive) return drive;
  throw notFound(`No control endpoint ${method} ${path}`);
}
