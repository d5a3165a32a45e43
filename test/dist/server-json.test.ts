// server.json, the entry for the official MCP registry: it follows the registry's schema (the
// 2025-12-11 release, vendored beside this test) and agrees with package.json and the MCP bundle.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect, it } from 'vitest';
import { manifest, mcpbFileName } from '../../scripts/mcpb.ts';
import { DEFAULT_BASE_URL } from '../../src/core/index.ts';
import { DEFAULT_CALL_WINDOW_SECONDS } from '../../src/mcp/config/index.ts';

const read = (path: string) =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, unknown>;

interface Package {
  registryType: string;
  identifier: string;
  version?: string;
  fileSha256?: string;
  runtimeHint?: string;
  transport: { type: string };
  environmentVariables?: Array<{
    name: string;
    isSecret?: boolean;
    isRequired?: boolean;
    default?: string;
  }>;
}
interface ServerJson {
  $schema: string;
  name: string;
  version: string;
  packages: Package[];
  remotes: Array<{ type: string; url: string }>;
}

const schema = read('./server.schema.2025-12-11.json');
const pkg = read('../../package.json') as unknown as Parameters<typeof manifest>[0] & {
  mcpName: string;
};
const server = read('../../server.json') as unknown as ServerJson;

function validator() {
  const ajv = new Ajv({ allErrors: true });
  addFormats.default(ajv);
  ajv.addKeyword('example'); // an annotation of the registry's schema, unknown to Ajv
  return ajv.compile(schema);
}

it('follows the registry schema it names', () => {
  expect(server.$schema).toBe(schema.$id);
  const validate = validator();
  expect(validate(server), JSON.stringify(validate.errors, null, 2)).toBe(true);
  // The check has teeth: a name without its namespace is refused.
  expect(validate({ ...server, name: 'fay-mcp' })).toBe(false);
});

it('agrees with package.json on name and version', () => {
  expect(server.name).toBe(pkg.mcpName);
  expect(server.version).toBe(pkg.version);
  const npm = server.packages.find((p) => p.registryType === 'npm');
  expect(npm).toMatchObject({
    identifier: pkg.name,
    version: pkg.version,
    runtimeHint: 'npx',
    transport: { type: 'stdio' },
  });
  const mcpb = server.packages.find((p) => p.registryType === 'mcpb');
  expect(mcpb?.version).toBe(pkg.version);
  expect(mcpb?.identifier.endsWith(`/${mcpbFileName(pkg.version)}`)).toBe(true);
  expect(mcpb?.fileSha256).toMatch(/^[a-f0-9]{64}$/);
});

it('lists the environment the MCP bundle sets, with the API key secret', () => {
  const npm = server.packages.find((p) => p.registryType === 'npm')!;
  const names = npm.environmentVariables!.map((variable) => variable.name);
  expect(names.sort()).toEqual(Object.keys(manifest(pkg, []).server.mcp_config.env).sort());
  expect(npm.environmentVariables!.find((v) => v.name === 'FAY_API_KEY')).toMatchObject({
    isSecret: true,
    isRequired: true,
  });
});

it("gives the server's own defaults", () => {
  const variables = server.packages.find((p) => p.registryType === 'npm')!.environmentVariables!;
  const defaultOf = (name: string) => variables.find((v) => v.name === name)?.default;
  expect(defaultOf('FAY_BASE_URL')).toBe(DEFAULT_BASE_URL);
  expect(defaultOf('FAY_CALL_WINDOW_SECONDS')).toBe(String(DEFAULT_CALL_WINDOW_SECONDS));
});

it('offers the Streamable HTTP endpoint of a deployment as a remote', () => {
  expect(server.remotes).toEqual([
    expect.objectContaining({ type: 'streamable-http', url: expect.stringMatching(/\/mcp$/) }),
  ]);
});

it('says the remote supports sign-in: the Authorization header is not required', () => {
  const [remote] = server.remotes as unknown as Array<{
    headers: Array<{ name: string; isRequired?: boolean; description: string }>;
  }>;
  const authorization = remote!.headers.find((header) => header.name === 'Authorization');
  expect(authorization?.isRequired).toBe(false);
  expect(authorization?.description).toMatch(/sign-in \(OAuth 2\.1/);
});
