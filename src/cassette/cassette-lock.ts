import { VcrError } from '../errors/vcr-error.js';
import { lockFile, LockHeld, type Unlock } from '../model/file-lock.js';

export type { Unlock } from '../model/file-lock.js';

/**
 * Claims `<cassette>.lock` for this process, so that two recorders never write the same file.
 * A lock left by a process that no longer runs (killed, crashed) is taken over.
 */
export async function lockCassette(file: string): Promise<Unlock> {
  try {
    return await lockFile(file);
  } catch (err) {
    if (!(err instanceof LockHeld))
      throw new VcrError('CASSETTE_WRITE_FAILED', `Failed to lock cassette "${file}": ${(err as Error).message}`, { file }, { cause: err });
    if (err.owner === null)
      throw new VcrError('CASSETTE_LOCKED', `Failed to record into cassette "${file}": another recorder claimed "${err.lock}" at the same moment`, { file });
    throw new VcrError(
      'CASSETTE_LOCKED',
      `Failed to record into cassette "${file}": process ${err.owner} is recording into it (stop it, or delete "${err.lock}" if it is gone)`,
      { file, pid: err.owner },
    );
  }
}
