import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VcrError } from '../errors/vcr-error.js';

/** Releases a lock; safe to call twice. */
export type Unlock = () => Promise<void>;

/**
 * Claims `<cassette>.lock` for this process, so that two recorders never write the same file.
 * A lock left by a process that no longer runs (killed, crashed) is taken over.
 */
export async function lockCassette(file: string): Promise<Unlock> {
  const lock = `${file}.lock`;
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(lock).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new VcrError('CASSETTE_WRITE_FAILED', `Failed to lock cassette "${file}": ${(err as Error).message}`, { file }, { cause: err });
    }
    const owner = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new VcrError('CASSETTE_LOCKED', `Failed to record into cassette "${file}": process ${owner} is recording into it (stop it, or delete "${lock}" if it is gone)`, { file, pid: owner });
    }
    await unlink(lock).catch(() => undefined);
  }
  throw new VcrError('CASSETTE_LOCKED', `Failed to record into cassette "${file}": another recorder claimed "${lock}" at the same moment`, { file });
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
