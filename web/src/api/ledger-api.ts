import { http, seg } from './http.ts';

export type LedgerScope = 'Owner' | 'Product' | 'Device';
/** `CloudOnly`, `Upstream` (device to cloud), `Downstream` (cloud to device). */
export type LedgerDirection = 'CloudOnly' | 'Upstream' | 'Downstream';
export type SetMode = 'Replace' | 'Merge';

export interface LedgerDefinition {
  readonly name: string;
  readonly description: string;
  readonly scope: LedgerScope;
  readonly direction: LedgerDirection;
  readonly created_at: string;
  readonly updated_at: string;
  readonly archived_at: string | null;
}

export interface LedgerInstance {
  readonly name: string;
  readonly scope: { readonly type: LedgerScope; readonly value: string };
  readonly size_bytes: number;
  readonly data: Record<string, unknown>;
  readonly created_at: string;
  readonly updated_at: string;
  /** Who wrote it: a user id or `logic:<function id>` (null for contents written before authors were kept). */
  readonly updated_by?: string | null;
  /** Kept versions only: when it was replaced. */
  readonly replaced_at?: string;
}

const base = (prefix: string, name?: string) => `${prefix}/ledgers${name === undefined ? '' : `/${seg(name)}`}`;
const inst = (prefix: string, name: string, value: string) => `${base(prefix, name)}/instances/${seg(value)}`;

/** Ledgers of one owner; `prefix` is `/v1` or `/v1/orgs/<slug>`. */
export const ledgerApi = {
  list: async (prefix: string): Promise<LedgerDefinition[]> =>
    (await http.get<{ ledger_definitions: LedgerDefinition[] }>(`${base(prefix)}?archived=false&per_page=100`)).ledger_definitions,
  get: (prefix: string, name: string) => http.get<LedgerDefinition>(base(prefix, name)),
  create: (prefix: string, ledger: { name: string; description: string; scope: LedgerScope; direction: LedgerDirection }) =>
    http.post<LedgerDefinition>(base(prefix), { ledger }),
  archive: (prefix: string, name: string) => http.del(base(prefix, name)),
  instances: async (prefix: string, name: string): Promise<LedgerInstance[]> =>
    (await http.get<{ instances: LedgerInstance[] }>(`${base(prefix, name)}/instances?per_page=100`)).instances,
  instance: (prefix: string, name: string, value: string) => http.get<LedgerInstance>(inst(prefix, name, value)),
  set: (prefix: string, name: string, value: string, data: Record<string, unknown>, mode: SetMode) =>
    http.put<LedgerInstance>(`${inst(prefix, name, value)}?set_mode=${mode}`, { instance: { data } }),
  remove: (prefix: string, name: string, value: string) => http.del(inst(prefix, name, value)),
  /** Earlier contents, newest first (the last 20 by default). */
  versions: async (prefix: string, name: string, value: string): Promise<LedgerInstance[]> =>
    (await http.get<{ versions: LedgerInstance[] }>(`${inst(prefix, name, value)}/versions`)).versions,
};
