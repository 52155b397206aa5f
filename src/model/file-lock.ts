import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Releases a lock; safe to call twice. */
export type Unlock = () => Promise<void>;

/** Why a lock could not be taken: another running process holds it (`owner`), or two claimed it at once (`owner` null). */
export class LockHeld extends Error {
  constructor(
    readonly lock: string,
    readonly owner: number | null,
  ) {
    super(owner === null ? `another process claimed "${lock}" at the same moment` : `process ${owner} holds "${lock}"`);
  }
}

/**
 * Claims `<file>.lock` for this process (created exclusively, holding the process ID), so that two
 * processes never write the same file. A lock left by a process that no longer runs (killed,
 * crashed) is taken over. Throws `LockHeld`, or the file system's error.
 */
export async function lockFile(file: string): Promise<Unlock> {
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
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) throw new LockHeld(lock, owner);
    await unlink(lock).catch(() => undefined);
  }
  throw new LockHeld(lock, null);
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
