// The package version, for the User-Agent. Read from package.json at runtime so the same code
// works from src/ (vitest) and dist/ (both sit two levels below the package root).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const PACKAGE_NAME = 'n8n-nodes-fay';
export const PACKAGE_VERSION: string = (require('../../package.json') as { version: string })
  .version;
