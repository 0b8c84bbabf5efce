// Starts node-entry-script.ts the way bin/hush.js starts Hush: tsx registered from code.
import { register } from 'tsx/esm/api';

register();
await import('./node-entry-script.ts');
