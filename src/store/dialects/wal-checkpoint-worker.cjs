'use strict';
// Checkpoints the SQLite write-ahead log from its own thread and connection (see
// sqlite-dialect.ts): the copy into the database file and its fsync happen here, so the
// server's event loop never stalls on them. Plain CommonJS: it needs no TypeScript loader.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file);
db.pragma(`busy_timeout = ${Number(workerData.busyTimeoutMs)}`);
let stopped = false;
let timer = null;
const tick = () => {
  if (stopped) return;
  try {
    // PASSIVE never waits on the writer or readers: it copies what it can now, and the next
    // writer restarts the log from the beginning once everything has been copied.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or briefly unavailable: the next tick tries again.
  }
  timer = setTimeout(tick, Number(workerData.intervalMs));
};
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
timer = setTimeout(tick, Number(workerData.intervalMs));
