import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { version } from '../../package.json';
import type { BackendReport } from '../backend';
import type { CliContext } from '../context';
import { printJson, printLine } from '../output';

/** `resnet info --json` prints this. */
export interface InfoReport {
  cli: string;
  tfjs: string;
  node: string;
  platform: string;
  backend: BackendReport;
}

export function registerInfo(program: Command, context: CliContext): void {
  program
    .command('info')
    .description('show the tfjs version, the active backend, SIMD and threads, and which backends were skipped and why')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const info: InfoReport = {
        cli: version,
        tfjs: tf.version.tfjs,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        backend: await context.backend(),
      };
      if (options.json) printJson(info);
      else printLine(formatInfo(info));
    });
}

function formatInfo(info: InfoReport): string {
  const { backend } = info;
  const yesNo = (value: boolean | null) => (value === null ? 'n/a' : value ? 'yes' : 'no');
  const rows: [string, string][] = [
    ['resnet', info.cli],
    ['tfjs', info.tfjs],
    ['node', `${info.node} (${info.platform})`],
    ['backend', `${backend.backend} (requested: ${backend.requested}; tfjs name: ${backend.tfjsBackend})`],
    ['simd', yesNo(backend.simd)],
    ['threads', backend.threads === null ? 'backend default' : String(backend.threads)],
    ['can train convs', yesNo(backend.canTrain)],
  ];
  for (const skip of backend.skipped) {
    rows.push([`skipped ${skip.backend}`, skip.installHint ? `${skip.reason} (${skip.installHint})` : skip.reason]);
  }
  for (const note of backend.notes) rows.push(['note', note]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
