import { http, seg } from './http.ts';
import type {
  LogicExecuteResult,
  LogicFunction,
  LogicFunctionInput,
  LogicLogEntry,
  LogicRun,
  TestEvent,
} from './logic-types.ts';

/** Logic of one owner; `prefix` is `/v1` or `/v1/orgs/<slug>`. */
export const logicApi = {
  list: async (prefix: string): Promise<LogicFunction[]> =>
    (await http.get<{ logic_functions: LogicFunction[] }>(`${prefix}/logic/functions`)).logic_functions,
  get: async (prefix: string, id: string): Promise<LogicFunction> =>
    (await http.get<{ logic_function: LogicFunction }>(`${prefix}/logic/functions/${seg(id)}`)).logic_function,
  create: async (prefix: string, fn: LogicFunctionInput): Promise<LogicFunction> =>
    (await http.post<{ logic_function: LogicFunction }>(`${prefix}/logic/functions`, { logic_function: fn }))
      .logic_function,
  replace: async (prefix: string, id: string, fn: LogicFunctionInput): Promise<LogicFunction> =>
    (await http.put<{ logic_function: LogicFunction }>(`${prefix}/logic/functions/${seg(id)}`, {
      logic_function: fn,
    })).logic_function,
  remove: (prefix: string, id: string) => http.del(`${prefix}/logic/functions/${seg(id)}`),
  execute: async (
    prefix: string,
    event: TestEvent,
    code: string,
    secrets: readonly string[],
    useEnv = false,
  ): Promise<LogicExecuteResult> =>
    (await http.post<{ result: LogicExecuteResult }>(`${prefix}/logic/execute`, {
      event,
      source: { type: 'JavaScript', code },
      secrets,
      ...(useEnv ? { use_env: true } : {}),
    })).result,
  runs: async (prefix: string, id: string): Promise<LogicRun[]> =>
    (await http.get<{ logic_runs: LogicRun[] }>(`${prefix}/logic/functions/${seg(id)}/runs`)).logic_runs,
  runLogs: async (prefix: string, id: string, runId: string): Promise<LogicLogEntry[]> => {
    const reply = await http.get<{ logic_run_logs?: { logs: LogicLogEntry[] }; logs?: LogicLogEntry[] }>(
      `${prefix}/logic/functions/${seg(id)}/runs/${seg(runId)}/logs`,
    );
    return reply.logic_run_logs?.logs ?? reply.logs ?? [];
  },
};
