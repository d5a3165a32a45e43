// Discovery: RFC 9728 protected-resource metadata (what /mcp is and who signs in for it) and
// RFC 8414 authorization-server metadata (this server's endpoints and what it supports), typed by
// the MCP SDK's own schemas. With a path in FAY_MCP_PUBLIC_URL (https://host/fay), the documents
// are found where RFC 9728 and RFC 8414 put them (/.well-known/<name>/fay/mcp, /.well-known/<name>/fay),
// and also below the path, so a proxy that routes only /fay/* still serves discovery.
import type {
  OAuthMetadata,
  OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthSettings } from '../../config/index.js';

export function protectedResourceMetadata(settings: OAuthSettings): OAuthProtectedResourceMetadata {
  return {
    resource: settings.resource,
    authorization_servers: [settings.issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'Fay research',
  };
}

export function authorizationServerMetadata(settings: OAuthSettings): OAuthMetadata {
  const { issuer } = settings;
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/** RFC 9728 §3.1: the metadata URL of the resource, sent in every 401's WWW-Authenticate. */
export function resourceMetadataUrl(settings: OAuthSettings): string {
  const resource = new URL(settings.resource);
  return `${resource.origin}/.well-known/oauth-protected-resource${resource.pathname}`;
}

export type Route =
  'protected-resource' | 'authorization-server' | 'authorize' | 'token' | 'register' | 'mcp';

/** The routes this server answers, keyed by request path (with and without the public path). */
export function routeTable(settings: OAuthSettings): Map<string, Route> {
  const prefix = new URL(settings.issuer).pathname.replace(/\/+$/, '');
  const routes = new Map<string, Route>();
  for (const base of new Set(['', prefix])) {
    routes.set(`${base}/authorize`, 'authorize');
    routes.set(`${base}/token`, 'token');
    routes.set(`${base}/register`, 'register');
    routes.set(`${base}/mcp`, 'mcp');
    for (const suffix of new Set(['', '/mcp', `${prefix}/mcp`])) {
      routes.set(`${base}/.well-known/oauth-protected-resource${suffix}`, 'protected-resource');
    }
    for (const suffix of new Set(['', prefix])) {
      routes.set(`${base}/.well-known/oauth-authorization-server${suffix}`, 'authorization-server');
    }
  }
  return routes;
}
