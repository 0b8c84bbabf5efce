#!/usr/bin/env node
// Entry point of the `hush` command. Hush runs its TypeScript sources through tsx's
// loader, so a checkout needs no separate compile step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
