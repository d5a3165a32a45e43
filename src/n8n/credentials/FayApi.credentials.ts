import type {
  IAuthenticateGeneric,
  Icon,
  ICredentialTestRequest,
  ICredentialType,
  INodeProperties,
} from 'n8n-workflow';

// Fay has no "who am I" endpoint and every other call either creates (and bills) a job or needs a
// job id. A status call on the nil UUID creates nothing: a working key gets 404 REQUEST_NOT_FOUND,
// a rejected key 401 INVALID_API_KEY. HTTP errors are therefore not failures here; the rules
// below decide, on the answer's body, like n8n's own ConvertAPI and WhatsApp credentials do.
const PROBE_REQUEST_ID = '00000000-0000-4000-8000-000000000000';

export class FayApi implements ICredentialType {
  name = 'fayApi';

  displayName = 'Fay API';

  icon: Icon = { light: 'file:../icons/fay.svg', dark: 'file:../icons/fay.dark.svg' };

  documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-fay';

  properties: INodeProperties[] = [
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'The API key from your Fay dashboard (API Keys page)',
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: 'https://api.fay.work',
      required: true,
      description: 'Address of the Fay API. Change it only for a proxy or a self-hosted gateway.',
    },
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description:
        'Only for the Fay Trigger: the signing secret Fay shows once when you register the webhook in its dashboard. While rotating, enter the old and the new secret separated by a comma.',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        Authorization: '=Bearer {{$credentials.apiKey}}',
      },
    },
  };

  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl}}',
      url: `/api/v1/conversation/${PROBE_REQUEST_ID}/status`,
      method: 'GET',
      ignoreHttpStatusErrors: true,
    },
    rules: [
      {
        type: 'responseSuccessBody',
        properties: {
          key: 'error.code',
          value: 'INVALID_API_KEY',
          message:
            'Fay rejected this API key. Check it in the Fay dashboard: it may be mistyped, expired or revoked.',
        },
      },
      {
        // Every Fay answer, success or error, has a boolean `status`: an answer without one
        // (an HTML page, another API) means the Base URL does not point at Fay.
        type: 'responseSuccessBody',
        properties: {
          key: 'status',
          value: undefined,
          message:
            'The Base URL did not answer like the Fay API. Check it (the default is https://api.fay.work).',
        },
      },
    ],
  };
}
