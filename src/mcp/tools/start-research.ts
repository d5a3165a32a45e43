// fay_start_research: create a research and answer at once with its request_id.
import { defineTool, STARTS_RESEARCH } from './define.js';
import { researchInput, researchInputOf } from './input.js';
import { researchFacts, stateResult } from '../research/state.js';
import { createResearch } from '../research/create.js';

export const startResearchTool = defineTool({
  name: 'fay_start_research',
  title: 'Start a Fay research (no waiting)',
  description:
    'Start a Fay web research in the background and return its request_id at once, without ' +
    'waiting for the answer. Use it to run several researches in parallel, or when the research ' +
    'may take many minutes; then collect each answer with fay_get_research. To start one ' +
    'research and wait for its answer, use fay_research instead.',
  inputSchema: researchInput,
  outputSchema: researchFacts,
  annotations: STARTS_RESEARCH,
  handler: (ctx) => async (args) => {
    const created = await createResearch(ctx, researchInputOf(args));
    return stateResult({
      request_id: created.requestId,
      status: created.status,
      created_at: created.createdAt,
      message:
        `Research started (status ${created.status}). Call fay_get_research with request_id ` +
        `"${created.requestId}" in a minute or two to get the answer.`,
    });
  },
});
