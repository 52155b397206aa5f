import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { diagnose, type Diagnosis, type SpecDiagnosis } from '../../api/diagnose.js';
import { EXIT } from '../exit-codes.js';
import { fallbackOptions, replayFlags, serverOptions, type ReplayArgs } from '../shared-options.js';

/**
 * `doctor`: one block with what a bug report needs; takes replay's flags, so that it shows what
 * `replay` with them would use. Exit 0 when replay would start on a verified spec, 2 otherwise.
 */
export function doctorCommand(setExitCode: (code: number) => void): CommandModule<object, ReplayArgs> {
  return {
    command: 'doctor',
    describe: 'Print the version, Node, OS, spec (and whether its sha256 verifies) and the options replay would use, for a bug report',
    builder: (yargs) => fallbackOptions(serverOptions(yargs)),
    handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
      const diagnosis = await diagnose(replayFlags(args));
      process.stdout.write(renderDiagnosis(diagnosis));
      setExitCode(diagnosis.problems.length > 0 ? EXIT.usage : EXIT.ok);
    },
  };
}

function renderDiagnosis(d: Diagnosis): string {
  const o = d.options;
  const rows: [string, string[]][] = [
    ['package', [`appwrite-vcr ${d.version} (${d.packageRoot})`]],
    ['node', [`${d.node.version} (${d.node.execPath})`]],
    ['os', [`${d.os.platform} ${d.os.release} ${d.os.arch}`]],
    ['spec', specLines(d.spec)],
    ['cassettes', [`${d.cassettes.dir} (${cassettesState(d.cassettes)})`]],
    [
      'options',
      [
        `port ${o.port}, host ${o.host}, cassette "${o.cassette}", fallback ${o.fallback}, strict ${onOff(o.strict)}, state ${o.state ?? 'none'}, seed ${o.seed ?? 'none'}`,
        `max body ${o.maxBodyBytes} bytes, store file limit ${o.storeFileLimit} bytes, request timeout ${o.requestTimeoutMs} ms`,
        `redact ${o.redact.length > 0 ? o.redact.join(' ') : 'none'}, id map ${onOff(o.idMap)}, admin token ${o.adminToken ? 'set' : 'not set'}`,
      ],
    ],
    ['problems', d.problems.length > 0 ? [...d.problems] : ['none']],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.flatMap(([label, values]) => values.map((value, i) => `  ${(i === 0 ? label : '').padEnd(width)}${value}`));
  return `appwrite-vcr doctor\n${lines.join('\n')}\n`;
}

function specLines(spec: SpecDiagnosis): string[] {
  const pinned = spec.pin ? `Appwrite ${spec.pin.version}` : 'Appwrite';
  const about = spec.version === null ? 'does not load (see problems)' : `${spec.title} ${spec.version}, ${spec.operations} operations`;
  let digest: string;
  if (spec.sha256 === null) digest = 'sha256 unknown: the file cannot be read';
  else if (spec.verified) digest = `sha256 ${spec.sha256}, verified: the ${pinned} spec that spec/pin.json pins`;
  else if (spec.bundled) digest = `sha256 ${spec.sha256}, DOES NOT MATCH spec/pin.json (${spec.pin?.sha256 ?? 'unreadable'})`;
  else digest = `sha256 ${spec.sha256}, not the pinned ${pinned} spec`;
  return [`${spec.file}${spec.bundled ? ' (bundled)' : ''}`, about, digest];
}

function cassettesState({ exists, files }: Diagnosis['cassettes']): string {
  if (!exists) return 'no such folder yet: replay starts empty, record creates it';
  if (files === null) return 'cannot be read, see problems';
  return `${files} cassette file${files === 1 ? '' : 's'}`;
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}
