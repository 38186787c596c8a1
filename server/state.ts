// In-memory state of the one project: its channels, its instances, which instance each channel has been
// synchronised to, and a bounded log of sync calls (so force_sync is recorded somewhere observable).

import { buildChannels, buildInstances, type ChannelRecord, type InstanceRecord, type JsonObject } from './channels.ts';
import type { Fixtures } from './fixtures.ts';

export interface SyncRecord {
  at: string; // ISO time of the call
  vpcChannelIds: string[];
  instanceIds: string[];
  forceSync: boolean;
}

export interface SyncRequest {
  vpcChannelId?: string;
  instanceIds?: string[];
  forceSync: boolean;
}

export type SyncOutcome =
  | { ok: true; entries: JsonObject[]; channelIds: string[]; instanceIds: string[] }
  | { ok: false; code: 'APIG.3023' | 'APIG.3030'; msg: string };

const MAX_LOG = 1000; // keep the log bounded: the server may run for a long fuzz session

export class ProjectState {
  readonly channels: ChannelRecord[];
  readonly instances: InstanceRecord[];
  private readonly channelById = new Map<string, ChannelRecord>();
  private readonly instanceById = new Map<string, InstanceRecord>();
  /** channel id -> instance ids it has been synchronised to. */
  private readonly synced = new Map<string, Set<string>>();
  private readonly log: SyncRecord[] = [];

  constructor(fixtures: Fixtures) {
    this.channels = buildChannels(fixtures.vpcChannelIds);
    this.instances = buildInstances(fixtures.instanceIds);
    for (const c of this.channels) this.channelById.set(c.id, c);
    for (const i of this.instances) this.instanceById.set(i.id, i);
  }

  /**
   * Works out what a sync would do, without doing it: entries are channels outer, instances in request order.
   * With ignoreUnknown (the unknown-ids-accepted fault) an id that does not exist selects nothing instead of failing;
   * with 'among-known' (a harmless switch) only an instance id named among known ones does.
   */
  plan(req: SyncRequest, ignoreUnknown: boolean | 'among-known' = false): SyncOutcome {
    let channels = this.channels;
    if (req.vpcChannelId !== undefined) {
      const c = this.channelById.get(req.vpcChannelId);
      if (!c && ignoreUnknown !== true)
        return { ok: false, code: 'APIG.3023', msg: `The VPC channel does not exist,id:${clip(req.vpcChannelId)}` };
      channels = c ? [c] : [];
    }
    let instances = this.instances;
    if (req.instanceIds !== undefined) {
      const picked: InstanceRecord[] = [];
      const passOver =
        ignoreUnknown === true ||
        (ignoreUnknown === 'among-known' && req.instanceIds.some((id) => this.instanceById.has(id)));
      for (const id of new Set(req.instanceIds)) {
        // duplicates are de-duplicated, first occurrence wins
        const inst = this.instanceById.get(id);
        if (!inst && passOver) continue;
        if (!inst) return { ok: false, code: 'APIG.3030', msg: `The instance does not exist,id:${clip(id)}` };
        picked.push(inst);
      }
      instances = picked;
    }
    const entries: JsonObject[] = [];
    for (const c of channels) for (const inst of instances) entries.push(entryFor(c, inst));
    return { ok: true, entries, channelIds: channels.map((c) => c.id), instanceIds: instances.map((i) => i.id) };
  }

  /** Applies a planned sync: records the associations and the call (force_sync included). */
  commit(plan: Extract<SyncOutcome, { ok: true }>, forceSync: boolean): void {
    for (const channelId of plan.channelIds) {
      const set = this.synced.get(channelId) ?? new Set<string>();
      for (const id of plan.instanceIds) set.add(id);
      this.synced.set(channelId, set);
    }
    this.log.push({
      at: new Date().toISOString(),
      vpcChannelIds: [...plan.channelIds],
      instanceIds: [...plan.instanceIds],
      forceSync,
    });
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  /** Whether a planned sync names at least one pair and every one of them is synchronized already. */
  alreadySynced(plan: Extract<SyncOutcome, { ok: true }>): boolean {
    const pairs = plan.channelIds.flatMap((c) => plan.instanceIds.map((i) => [c, i] as const));
    return pairs.length > 0 && pairs.every(([c, i]) => this.synced.get(c)?.has(i));
  }

  /** plan + commit. */
  sync(req: SyncRequest): SyncOutcome {
    const plan = this.plan(req);
    if (plan.ok) this.commit(plan, req.forceSync);
    return plan;
  }

  syncLog(): readonly SyncRecord[] {
    return this.log.map((r) => ({ ...r, vpcChannelIds: [...r.vpcChannelIds], instanceIds: [...r.instanceIds] }));
  }

  syncedInstances(channelId: string): string[] {
    return [...(this.synced.get(channelId) ?? [])];
  }

  channel(id: string): ChannelRecord | undefined {
    return this.channelById.get(id);
  }

  instance(id: string): InstanceRecord | undefined {
    return this.instanceById.get(id);
  }
}

/** One ProjectVpcChannelInfo: a deep copy of the channel plus the instance it was synced to. */
export function entryFor(c: ChannelRecord, inst: InstanceRecord): JsonObject {
  const copy = structuredClone(c) as JsonObject;
  return { ...copy, instance_id: inst.id, instance_name: inst.name };
}

/** Client-supplied text quoted in an error message is clipped so a huge id cannot bloat the answer. */
function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
