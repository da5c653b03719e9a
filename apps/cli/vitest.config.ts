import { mergeConfig } from 'vitest/config';
import { baseTestConfig } from '../../vitest.base';

// The tests run the built binary as a child process; the global setup builds it when it is stale.
export default mergeConfig(baseTestConfig, { test: { globalSetup: ['test/global-setup.ts'] } });
