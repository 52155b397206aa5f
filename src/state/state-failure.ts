import type { AppwriteErrorType, UnlistedErrorType } from '../model/appwrite-error.js';

/**
 * How a service of the state refuses a request: Appwrite's error type and, where Appwrite words it
 * otherwise than its error table, the message. The state turns it into Appwrite's error answer.
 */
export class StateFailure extends Error {
  readonly type: AppwriteErrorType | UnlistedErrorType;
  readonly status: number | undefined;

  constructor(type: AppwriteErrorType | UnlistedErrorType, message?: string, status?: number) {
    super(message ?? '');
    this.type = type;
    this.status = status;
  }
}

export function fail(type: AppwriteErrorType | UnlistedErrorType, message?: string, status?: number): never {
  throw new StateFailure(type, message, status);
}
