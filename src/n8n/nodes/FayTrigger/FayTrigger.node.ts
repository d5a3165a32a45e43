import type {
  IDataObject,
  IHookFunctions,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  FayError,
  verifyWebhook,
  type FayWebhookEvent,
} from '../../../core/portable.js';
import { acceptOnce } from './dedupe.js';
import { readSecrets, withSecrets } from './secrets.js';

const EVENT_TYPES = ['Status', 'Output', 'Error'] as const;

/** What n8n's webhook server hands us: Express's request, with the body as received. */
interface WebhookRequest {
  rawBody?: Buffer;
  readRawBody?: () => Promise<void>;
}

interface WebhookReply {
  status(code: number): WebhookReply;
  json(body: unknown): unknown;
}

/** The body bytes exactly as received: the signature covers them, not re-serialised JSON. */
async function rawBody(request: WebhookRequest): Promise<Buffer> {
  if (!request.rawBody && request.readRawBody) await request.readRawBody();
  return request.rawBody ?? Buffer.alloc(0);
}

/**
 * Every answer is the node's own JSON, never n8n's default body. Answering here also makes n8n
 * save the static data that records the event: n8n saves it when a node has answered, but not
 * after it starts a webhook's execution (setting up the execution resets the "changed" flag).
 */
function answer(fn: IWebhookFunctions, status: number, body: IDataObject): void {
  const reply = fn.getResponseObject() as unknown as WebhookReply;
  reply.status(status).json(body);
}

/** Starts nothing: 400 for a signed non-event, 401 for anything unproven. */
function refuseDelivery(fn: IWebhookFunctions, error: unknown): IWebhookResponseData {
  const code = error instanceof FayError ? error.code : 'WEBHOOK_REJECTED';
  const message = error instanceof Error ? error.message : String(error);
  answer(fn, code === 'WEBHOOK_INVALID_EVENT' ? 400 : 401, { error: message, code });
  return { noWebhookResponse: true };
}

/** Acknowledged (so Fay does not retry) and not run. */
function ignore(fn: IWebhookFunctions, why: IDataObject): IWebhookResponseData {
  answer(fn, 200, { received: true, ...why });
  return { noWebhookResponse: true };
}

export class FayTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Fay Trigger',
    name: 'fayTrigger',
    icon: { light: 'file:../../icons/fay.svg', dark: 'file:../../icons/fay.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{"Events: " + $parameter["events"].join(", ")}}',
    description: 'Starts the workflow when Fay reports a research status, output or error',
    defaults: { name: 'Fay Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'fayApi', required: true }],
    webhooks: [
      {
        name: 'default',
        httpMethod: 'POST',
        responseMode: 'onReceived',
        path: '={{$parameter["path"]}}',
        // The URL is <n8n>/webhook/<path>, the address to paste into the Fay dashboard.
        isFullPath: true,
      },
    ],
    properties: [
      {
        displayName:
          "In the Fay dashboard, register this node's webhook URL (above; use the Production URL once the workflow is active) with the events you want, then put the signing secret Fay shows into the Webhook Secret field of the Fay API credential. Events that are unsigned, wrongly signed or older than 5 minutes are refused with HTTP 401; a repeated delivery of an event starts the workflow only once.",
        name: 'setupNotice',
        type: 'notice',
        default: '',
      },
      {
        displayName: 'Path',
        name: 'path',
        type: 'string',
        required: true,
        default: 'fay',
        placeholder: 'fay',
        description:
          'The last part of the webhook URL. Each active workflow needs its own: change it when another Fay Trigger uses it.',
      },
      {
        displayName: 'Events',
        name: 'events',
        type: 'multiOptions',
        required: true,
        options: [
          {
            name: 'Status',
            value: 'Status',
            description: 'A research changed state (queued, processing, completed, failed…)',
          },
          { name: 'Output', value: 'Output', description: 'A research completed, with its answer' },
          { name: 'Error', value: 'Error', description: 'A research failed, with the reason' },
        ],
        default: [...EVENT_TYPES],
        description: 'Which Fay events start the workflow; others are acknowledged and ignored',
      },
    ],
  };

  // Fay has no API for webhooks: they are registered by hand in its dashboard, so there is nothing
  // to look up or delete. Activation only checks that a secret is set, since every unsigned event
  // would be refused: better to say so now than to drop Fay's deliveries silently later.
  webhookMethods = {
    default: {
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return false;
      },
      async create(this: IHookFunctions): Promise<boolean> {
        if ((await readSecrets(this)).length === 0) {
          throw new NodeOperationError(
            this.getNode(),
            'The Fay API credential has no Webhook Secret. Paste the signing secret Fay showed when you registered this webhook in the Fay dashboard: without it every event is refused.',
          );
        }
        return true;
      },
      async delete(this: IHookFunctions): Promise<boolean> {
        return true;
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    // One clock reading for the staleness check and the duplicate check: read again after the
    // awaits below, a redelivery that just passed the first could find its record expired.
    const nowMs = Date.now();
    let event: FayWebhookEvent;
    try {
      const header = this.getHeaderData()['x-fay-signature'];
      const signature = Array.isArray(header) ? header[0] : header;
      const body = await rawBody(this.getRequestObject() as WebhookRequest);
      event = await withSecrets(
        this,
        (secrets) => verifyWebhook({ rawBody: body, signature, secrets, nowMs }),
        nowMs,
      );
    } catch (error) {
      return refuseDelivery(this, error);
    }
    const wanted = this.getNodeParameter('events', [...EVENT_TYPES]) as string[];
    if (!wanted.includes(event.type)) {
      return ignore(this, { ignored: `${event.type} events are not selected in this trigger` });
    }
    const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
    const staticData = this.getWorkflowStaticData('node');
    if (!acceptOnce(staticData, scope, event, DEFAULT_WEBHOOK_TOLERANCE_SECONDS, nowMs / 1000)) {
      return ignore(this, {
        duplicate: true,
        ignored: `event ${event.id} was received before; it starts the workflow once`,
      });
    }
    answer(this, 200, { received: true });
    return { noWebhookResponse: true, workflowData: [[{ json: event as unknown as IDataObject }]] };
  }
}
