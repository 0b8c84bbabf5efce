/**
 * Second entry of the build (see vite.config.ts): a module script of a few kilobytes that
 * index.html runs before the console's main script, so the page's first requests start as
 * soon as the HTML has been parsed, not once the whole console has been downloaded and
 * evaluated. main.tsx picks the requests up from the same module instance.
 */
import { earlyRequests } from './app/early-requests.ts';

earlyRequests();
