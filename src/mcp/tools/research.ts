// fay_research: start a research and wait for its answer, within a call window short enough for
// clients that give a tool call about 60 s. Task-aware clients get an MCP task instead.
import { FayAbortedError } from '../../core/index.js';
import { researchInput, researchInputOf } from '../args.js';
import { researchTaskHandler } from '../research-task.js';
import { researchFacts } from '../research-state.js';
import { createAndFollow } from '../run-research.js';
import { guarded, STARTS_RESEARCH, type ToolModule } from '../tool.js';
import type { ResearchArgs } from '../args.js';
import { progressNotifier } from '../wait.js';

// The one spelling of the name; the registration below reads it.
const NAME = 'fay_research';

export const researchTool: ToolModule = {
  name: NAME,
  register(server, ctx) {
    const windowSeconds = Math.round(ctx.config.callWindowMs / 1000);
    const tool = server.experimental.tasks.registerToolTask(
      NAME,
      {
        title: 'Research with Fay',
        description:
          'Research a question on the web with Fay and get a sourced answer: Markdown with ' +
          'headings and links to sources, or a JSON value shaped by output_schema. Use it for ' +
          'questions that need current or cited information gathered from several sources. A ' +
          'research takes from tens of seconds to several minutes; this call waits up to ' +
          `${windowSeconds} s. If the answer is not ready by then, it returns the request_id and ` +
          'the status (not an error): the research keeps running, and fay_get_research with that ' +
          'request_id returns the answer later.',
        inputSchema: researchInput,
        outputSchema: researchFacts,
        annotations: STARTS_RESEARCH,
        execution: { taskSupport: 'optional' },
      },
      researchTaskHandler(ctx),
    );

    // A plain call: wait within the call window, with progress; the client's cancel (extra.signal)
    // only ends the wait, never the job.
    server.serveWithoutTask(
      NAME,
      tool,
      guarded<ResearchArgs>(ctx, async (args, extra) => {
        try {
          return await createAndFollow(ctx, researchInputOf(args), {
            signal: extra.signal,
            maxWaitMs: ctx.config.callWindowMs,
            onProgress: progressNotifier(extra),
          });
        } catch (error) {
          if (error instanceof FayAbortedError) {
            ctx.log.log(
              'info',
              `fay_research call cancelled by the client; research ${error.requestId ?? '(not created)'} keeps running.`,
            );
          }
          throw error;
        }
      }),
    );
  },
};
