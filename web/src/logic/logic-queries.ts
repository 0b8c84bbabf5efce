import { useQuery } from '@tanstack/react-query';
import { logicApi } from '../api/logic-api.ts';
import { useScope } from '../scope/scope-context.tsx';

export function logicKey(scopeKey: string) {
  return ['logic', scopeKey] as const;
}

export function useLogicFunctions() {
  const { prefix, key } = useScope();
  return useQuery({ queryKey: logicKey(key), queryFn: () => logicApi.list(prefix) });
}

export function useLogicFunction(id: string | undefined) {
  const { prefix, key } = useScope();
  return useQuery({
    queryKey: [...logicKey(key), id],
    queryFn: () => logicApi.get(prefix, id!),
    enabled: id !== undefined,
    refetchOnWindowFocus: false,
  });
}

export function useLogicRuns(id: string) {
  const { prefix, key } = useScope();
  return useQuery({ queryKey: [...logicKey(key), id, 'runs'], queryFn: () => logicApi.runs(prefix, id) });
}

export function useLogicRunLogs(id: string, runId: string) {
  const { prefix, key } = useScope();
  return useQuery({
    queryKey: [...logicKey(key), id, 'runs', runId],
    queryFn: () => logicApi.runLogs(prefix, id, runId),
    staleTime: Infinity,
  });
}
