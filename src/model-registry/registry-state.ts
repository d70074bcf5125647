import { ShapeError, readInteger, readObject, readString } from '../common/json-shape';
import { isVersionName } from './model-version';

/** After a promotion, the new champion is watched over this many labelled predictions. */
export interface WatchState {
  champion: string;
  /** The champion it replaced, scored on the same rows. */
  previous: string;
  started_at: string;
  labels_needed: number;
}

/** registry.json: which version serves, which served before it, and which may never serve. */
export interface RegistryState {
  active: string;
  /** The version a rollback returns to (the last of `history`), or null. */
  previous: string | null;
  /** Earlier active versions, oldest first: each rollback steps one back. */
  history: string[];
  /** Versions that lost a promotion gate or a watch; they cannot be promoted. */
  rejected: string[];
  /** Challengers that won their gate but wait for an admin to promote them (see the healing policy's holds). */
  held: string[];
  watch: WatchState | null;
  updated_at: string;
}

export type VersionStatus = 'active' | 'previous' | 'archived' | 'rejected' | 'held';

export function statusOf(state: RegistryState | null, version: string): VersionStatus {
  if (state?.active === version) return 'active';
  if (state?.rejected.includes(version)) return 'rejected';
  if (state?.held.includes(version)) return 'held';
  if (state?.previous === version) return 'previous';
  return 'archived';
}

export function initialState(version: string, now: Date): RegistryState {
  return { active: version, previous: null, history: [], rejected: [], held: [], watch: null, updated_at: now.toISOString() };
}

/** `version` becomes active; the one it replaces goes on the history stack. */
export function promoteState(state: RegistryState | null, version: string, now: Date, watch: WatchState | null): RegistryState {
  if (state === null) return { ...initialState(version, now), watch };
  const history = state.active === version ? state.history : [...state.history.filter((v) => v !== version), state.active];
  return {
    active: version,
    previous: history[history.length - 1] ?? null,
    history,
    rejected: state.rejected.filter((v) => v !== version),
    held: state.held.filter((v) => v !== version),
    watch,
    updated_at: now.toISOString(),
  };
}

/** The previous version becomes active again; the one rolled back from may be marked rejected. */
export function rollbackState(state: RegistryState, now: Date, rejectCurrent: boolean): RegistryState {
  if (state.history.length === 0) throw new Error('there is no previous version to roll back to');
  const history = state.history.slice(0, -1);
  return {
    active: state.history[state.history.length - 1],
    previous: history[history.length - 1] ?? null,
    history,
    rejected: rejectCurrent && !state.rejected.includes(state.active) ? [...state.rejected, state.active] : state.rejected,
    held: state.held,
    watch: null,
    updated_at: now.toISOString(),
  };
}

export function rejectState(state: RegistryState, version: string, now: Date): RegistryState {
  if (state.rejected.includes(version)) return state;
  return { ...state, rejected: [...state.rejected, version], held: state.held.filter((v) => v !== version), updated_at: now.toISOString() };
}

/**
 * `version` waits for an admin. Only the newest held challenger is kept waiting: the ones held
 * before it (`superseded`) are rejected, so held challengers cannot pile up under traffic.
 */
export function holdState(state: RegistryState, version: string, now: Date): { state: RegistryState; superseded: string[] } {
  const superseded = state.held.filter((v) => v !== version);
  return {
    state: {
      ...state,
      held: [version],
      rejected: [...state.rejected, ...superseded.filter((v) => !state.rejected.includes(v))],
      updated_at: now.toISOString(),
    },
    superseded,
  };
}

export function withWatch(state: RegistryState, watch: WatchState | null, now: Date): RegistryState {
  return { ...state, watch, updated_at: now.toISOString() };
}

function readVersion(value: unknown, at: string): string {
  const version = readString(value, at);
  if (!isVersionName(version)) throw new ShapeError(`${at} must be a version name such as "v1"`);
  return version;
}

function readVersionList(value: unknown, at: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && isVersionName(v))) {
    throw new ShapeError(`${at} must be a list of version names`);
  }
  return value as string[];
}

/** Checks registry.json; files written before history/rejected/held/watch existed read with defaults. */
export function readRegistryState(json: unknown): RegistryState {
  const doc = readObject(json, 'registry');
  const active = readString(doc.active, 'active');
  if (!isVersionName(active)) throw new ShapeError('active must be a version name such as "v1"');
  if (doc.previous !== null && doc.previous !== undefined && (typeof doc.previous !== 'string' || !isVersionName(doc.previous))) {
    throw new ShapeError('previous must be a version name or null');
  }
  const history = doc.history === undefined && typeof doc.previous === 'string' ? [doc.previous] : readVersionList(doc.history, 'history');
  let watch: WatchState | null = null;
  if (doc.watch !== null && doc.watch !== undefined) {
    const w = readObject(doc.watch, 'watch');
    watch = {
      champion: readVersion(w.champion, 'watch.champion'),
      previous: readVersion(w.previous, 'watch.previous'),
      started_at: readString(w.started_at, 'watch.started_at'),
      labels_needed: readInteger(w.labels_needed, 'watch.labels_needed', 1),
    };
  }
  return {
    active,
    previous: history[history.length - 1] ?? null,
    history,
    rejected: readVersionList(doc.rejected, 'rejected'),
    held: readVersionList(doc.held, 'held'),
    watch,
    updated_at: typeof doc.updated_at === 'string' ? doc.updated_at : new Date(0).toISOString(),
  };
}
