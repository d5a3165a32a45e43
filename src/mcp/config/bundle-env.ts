// An MCP bundle's manifest maps each user_config option onto an environment variable as
// `${user_config.NAME}`. Hosts substitute the options the user set; one left empty (optional, no
// default) stays that literal text: @anthropic-ai/mcpb's getMcpConfigForManifest, the reference
// host code, keeps variables it has no value for. Such a value means "not set", as if the variable
// were absent, so the server's own defaults apply.
const UNSET_OPTION = /^\$\{user_config\.[^}]*\}$/;

/** Removes every variable whose value is an unsubstituted `${user_config.…}` placeholder. */
export function dropUnsetBundleOptions(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && UNSET_OPTION.test(value)) delete env[name];
  }
}
