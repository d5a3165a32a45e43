// The bin reads an MCP bundle option the user left empty (its `${user_config.…}` placeholder,
// unsubstituted by the host) as unset.
import { expect, it } from 'vitest';
import { dropUnsetBundleOptions } from '../../src/mcp/config/bundle-env.ts';

it('drops unsubstituted ${user_config.…} placeholders and keeps every real value', () => {
  const env: NodeJS.ProcessEnv = {
    FAY_API_KEY: 'fay_key',
    FAY_BASE_URL: '${user_config.base_url}',
    FAY_CALL_WINDOW_SECONDS: '${user_config.call_window_seconds}',
    FAY_STATUS_CALLS_PER_HOUR: '',
    NOTE: 'see ${user_config.base_url}',
    PATH: '/usr/bin',
  };
  dropUnsetBundleOptions(env);
  expect(env).toEqual({
    FAY_API_KEY: 'fay_key',
    FAY_STATUS_CALLS_PER_HOUR: '',
    NOTE: 'see ${user_config.base_url}',
    PATH: '/usr/bin',
  });
});
