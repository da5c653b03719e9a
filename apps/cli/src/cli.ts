import { flushOutput } from './output';
import { run } from './run';

// `resnet ... | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const exitCode = await run(process.argv);
await flushOutput();
// Exit explicitly: wasm worker threads and native thread pools would otherwise keep the process alive.
process.exit(exitCode);
