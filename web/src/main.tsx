import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { earlyRequests } from './app/early-requests.ts';
import { primeQueryClient } from './app/prime-query-client.ts';
import { createQueryClient, installFocusRefetch } from './app/query-client.ts';
import { routes } from './app/routes.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/pages.css';
import './styles/controls.css';
import './styles/overlays.css';
import './styles/tables.css';
import './styles/toggles.css';
import './styles/feedback.css';

installFocusRefetch();
const queryClient = createQueryClient();
// The session and secrets requests that src/early.ts started (or starts now, without it).
primeQueryClient(queryClient, earlyRequests());
const router = createBrowserRouter(routes);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
