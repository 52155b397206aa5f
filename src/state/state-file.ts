import { readFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { AtomicDataFile } from '../model/atomic-file.js';
import { lockFile, LockHeld, type Unlock } from '../model/file-lock.js';
import { VcrError } from '../errors/vcr-error.js';
import { parseState, stringifyState } from './state-codec.js';
import { emptyData, type StateData } from './state-data.js';

/** Reads a state or seed file; a missing file is null when `optional`, anything unreadable is `STATE_MALFORMED`. */
export async function readStateFile(file: string, optional: boolean): Promise<StateData | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VcrError('STATE_MALFORMED', `Failed to read state "${file}": ${(err as Error).message}`, { file }, { cause: err });
  }
  try {
    return parseState(text);
  } catch (err) {
    throw new VcrError('STATE_MALFORMED', `Failed to read state "${file}": ${(err as Error).message}`, { file }, { cause: err });
  }
}

/** Writes the state through lowdb (a temporary file under a fresh name, renamed over the old one). */
export function stateWriter(file: string): Low<StateData> {
  return new Low<StateData>(new AtomicDataFile<StateData>(file, { parse: parseState, stringify: stringifyState }), emptyData());
}

/**
 * Claims `<state>.lock` for this process: two servers writing one state file would each overwrite
 * what the other saved. A lock left by a process that no longer runs is taken over.
 */
export async function lockStateFile(file: string): Promise<Unlock> {
  try {
    return await lockFile(file);
  } catch (err) {
    if (!(err instanceof LockHeld))
      throw new VcrError('STATE_WRITE_FAILED', `Failed to lock state "${file}": ${(err as Error).message}`, { file }, { cause: err });
    const holder =
      err.owner === null
        ? 'another process claimed it at the same moment'
        : `process ${err.owner} is using it (stop it, or delete "${err.lock}" if it is gone)`;
    throw new VcrError('STATE_LOCKED', `Failed to use state "${file}": ${holder}`, { file, pid: err.owner });
  }
}
