// Test double for a sandbox worker that cannot even start.
throw new Error('simulated startup failure');
