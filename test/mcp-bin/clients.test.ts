// Real clients we are judged with, driving the built server: LangChain's MCP adapter and the AI
// SDK's MCP client. What each hands its model must carry the answer exactly once, and what each
// checks against the declared input schema before sending must match what the server accepts.
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { loadMcpTools } from '@langchain/mcp-adapters';
import { ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LIMIT, partsOf, untilCompleted } from '../support/long-answers.ts';
import { builtBin, serverEnv, useLocalFay } from '../support/mcp.ts';

const local = useLocalFay();

/** The AI SDK's MCP client on a server process of its own. */
const aiSdkClient = () =>
  createMCPClient({
    transport: new Experimental_StdioMCPTransport({
      command: process.execPath,
      args: [builtBin()],
      env: serverEnv(local.fay.url),
    }),
  });

/** A completed research (of the file's session) whose answer comes in many parts. */
async function longResearch(prompt: string): Promise<{ id: string; parts: number }> {
  const started = (await local.session.client.callTool({
    name: 'fay_start_research',
    arguments: { prompt: `${prompt} [fay:long=600000] [fay:duration=50]` },
  })) as CallToolResult;
  const id = partsOf(started).request_id;
  await untilCompleted(local.fay, id);
  const first = (await local.session.client.callTool({
    name: 'fay_get_research',
    arguments: { request_id: id },
  })) as CallToolResult;
  return { id, parts: partsOf(first).parts };
}

/** How many times `needle` occurs in `haystack`. */
const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

async function langchainTool(name: string, client: Client = local.session.client) {
  const tools = await loadMcpTools('fay', client);
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`LangChain did not load ${name}`);
  return tool;
}

describe('LangChain (@langchain/mcp-adapters)', () => {
  it('the ToolMessage its model reads carries a Markdown answer once', async () => {
    const tool = await langchainTool('fay_research');
    const message = (await tool.invoke({
      type: 'tool_call',
      id: 'call-1',
      name: 'fay_research',
      args: { prompt: 'Kelp forests [fay:duration=1000]' },
    })) as ToolMessage;
    expect(message).toBeInstanceOf(ToolMessage);
    const modelSees = JSON.stringify(message.content);
    expect(occurrences(modelSees, '# Research: Kelp forests')).toBe(1);
  });

  it('what its model reads of a long answer stays under the limit, part after part', async () => {
    const { id, parts } = await longResearch('LangChain long');
    expect(parts).toBeGreaterThan(5);
    const tool = await langchainTool('fay_get_research');
    for (const part of [1, 2, parts]) {
      const message = (await tool.invoke({
        type: 'tool_call',
        id: `call-${part}`,
        name: 'fay_get_research',
        args: { request_id: id, part },
      })) as ToolMessage;
      const modelSees = JSON.stringify(message.content);
      expect(modelSees.length).toBeLessThan(LIMIT);
      expect(modelSees).toContain(`part ${part} of ${parts}`);
    }
  });

  it('an output_schema object passes its own check of the declared schema', async () => {
    const own = await local.ownSession();
    const tool = await langchainTool('fay_start_research', own.client);
    // LangChain flattens the declared "object, or JSON text" to its object form for the model.
    expect(JSON.stringify(tool.schema)).toContain('"output_schema":{');
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    await tool.invoke({ prompt: 'Tides', output_schema: schema });
    expect(own.calls().create).toBe(1);
    const create = local.fay.requests.find((r) => r.endpoint === 'create' && r.apiKey === own.key);
    expect(create?.body).toMatchObject({ output_schema: schema });
  });

  it('refuses a blank prompt itself, from the declared pattern: nothing reaches Fay', async () => {
    const own = await local.ownSession();
    const tool = await langchainTool('fay_start_research', own.client);
    await expect(tool.invoke({ prompt: '   ' })).rejects.toThrow(/did not match expected schema/);
    expect(own.calls()).toEqual({ create: 0, status: 0, output: 0, stop: 0 });
  });
});

describe('AI SDK (@ai-sdk/mcp)', () => {
  it('the output its model reads carries a structured answer once', async () => {
    const client = await aiSdkClient();
    try {
      const tools = await client.tools();
      const research = tools.fay_research;
      if (!research?.execute) throw new Error('the AI SDK did not load fay_research');
      const schema = {
        type: 'object',
        properties: { city: { type: 'string' }, population: { type: 'number' } },
        required: ['city', 'population'],
      };
      const output: unknown = await research.execute(
        { prompt: 'Largest city in Chile', output_schema: schema },
        { toolCallId: 'call-1', messages: [] },
      );
      const modelOutput = await research.toModelOutput?.({
        toolCallId: 'call-1',
        input: {},
        output: output as never,
      });
      const modelSees = JSON.stringify(modelOutput);
      const answer = JSON.parse(
        (output as { content: Array<{ text: string }> }).content[0]?.text ?? '',
      ) as { city: string };
      expect(typeof answer.city).toBe('string');
      expect(occurrences(modelSees, answer.city)).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('AI SDK (@ai-sdk/mcp), long answers', () => {
  it('what its model reads of each part stays under the limit', async () => {
    const { id, parts } = await longResearch('AI SDK long');
    const client = await aiSdkClient();
    try {
      const get = (await client.tools()).fay_get_research;
      if (!get?.execute) throw new Error('the AI SDK did not load fay_get_research');
      for (const part of [1, 2, parts]) {
        const output: unknown = await get.execute(
          { request_id: id, part },
          { toolCallId: `call-${part}`, messages: [] },
        );
        const modelOutput = await get.toModelOutput?.({
          toolCallId: `call-${part}`,
          input: {},
          output: output as never,
        });
        const modelSees = JSON.stringify(modelOutput ?? output);
        expect(modelSees.length).toBeLessThan(LIMIT);
        expect(modelSees).toContain(`part ${part} of ${parts}`);
      }
    } finally {
      await client.close();
    }
  });
});
