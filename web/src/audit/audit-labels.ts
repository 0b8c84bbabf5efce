/** Human labels for audit actions (the API keeps the codes, which stay in a tooltip and the filter's value). */
const LABELS: Readonly<Record<string, string>> = {
  'secret.create': 'Created secret',
  'secret.replace': 'Replaced secret value',
  'secret.restore': 'Restored secret version',
  'secret.delete': 'Deleted secret',
  'secret.stage': 'Staged pending value',
  'secret.promote': 'Promoted pending value',
  'secret.discard': 'Discarded pending value',
  'secret.expiry': 'Changed expiry',
  'integration.create': 'Created integration',
  'integration.replace': 'Changed integration',
  'integration.delete': 'Deleted integration',
  'integration.test': 'Tested integration',
  'logic.create': 'Created Logic function',
  'logic.update': 'Changed Logic function',
  'logic.delete': 'Deleted Logic function',
  'logic.execute': 'Ran Logic code',
  'ledger.create': 'Created ledger',
  'ledger.update': 'Changed ledger',
  'ledger.archive': 'Archived ledger',
  'ledger.set': 'Wrote ledger instance',
  'ledger.delete': 'Deleted ledger instance',
  'ledger.read': 'Read ledger',
  'ledger.get': 'Read ledger instance',
  'env.set': 'Set environment variable',
  'env.delete': 'Removed environment variable',
  'env.update': 'Changed environment variables',
  'env.rollout': 'Rolled out environment variables',
  'env.read': 'Read environment variables',
  'product.create': 'Created product',
  'device.add': 'Added device',
  'device.remove': 'Removed device',
  'device.claim': 'Claimed device',
  'event.publish': 'Published event',
  'member.set': 'Set member role',
  'member.remove': 'Removed member',
  'member.list': 'Listed members',
  'org.create': 'Created organization',
  'audit.read': 'Read audit trail',
};

/** The action families the filter offers, in the order of the console's navigation. */
export const ACTION_FAMILIES: readonly { readonly id: string; readonly label: string }[] = [
  { id: 'secret', label: 'Secrets' },
  { id: 'integration', label: 'Integrations' },
  { id: 'logic', label: 'Logic' },
  { id: 'ledger', label: 'Ledger' },
  { id: 'env', label: 'Environment variables' },
  { id: 'product', label: 'Products' },
  { id: 'device', label: 'Devices' },
  { id: 'event', label: 'Events' },
  { id: 'member', label: 'Members' },
  { id: 'org', label: 'Organization' },
  { id: 'audit', label: 'Audit' },
];

/** Every known action of a family, for the filter's second level. */
export const actionsOf = (family: string): string[] => Object.keys(LABELS).filter((a) => a.startsWith(`${family}.`));

/** "Created secret" for `secret.create`; an unknown code reads as its words ("Widget frobnicate"). */
export function actionLabel(action: string): string {
  const known = LABELS[action];
  if (known !== undefined) return known;
  const words = action.replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
