import { baseTestConfig } from '../../vitest.base';

export default baseTestConfig;
