import type { Spec } from '../spec/load-spec.js';
import { shortSha256, specPin } from '../spec/spec-pin.js';
import { VERSION } from '../version.js';

/** What `--version` prints: this package and the Appwrite spec it pins, as a bug report needs them. */
export function versionLine(): string {
  const pin = specPin();
  return `appwrite-vcr ${VERSION} (${pin ? `Appwrite spec ${pin.version}, sha256 ${shortSha256(pin.sha256)}` : 'spec/pin.json cannot be read'})`;
}

/** The first line of `replay` and `record`: which version runs, on which spec, and where. */
export function startLine(command: 'replay' | 'record', spec: Spec, endpoint: string): string {
  const digest = spec.sha256 === null ? '' : `, sha256 ${shortSha256(spec.sha256)}${spec.pinned ? ' pinned' : ''}`;
  return `appwrite-vcr ${VERSION} ${command}: ${spec.title} ${spec.version} (${spec.operations.length} operations${digest}) at ${endpoint}`;
}
