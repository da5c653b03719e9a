import os from 'node:os';

export const name = 'machine';

export async function run(context) {
  return {
    rows: [{ cpu: os.cpus()[0]?.model ?? 'unknown', cores: context.cores, node: process.version, memoryGiB: Math.round(os.totalmem() / 2 ** 30) }],
  };
}
