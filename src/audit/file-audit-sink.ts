import fs from 'node:fs';
import path from 'node:path';
import type { AuditSink } from './audit-stream-types.ts';

/** How often an unwritable file is tried again while nothing is written. */
const PROBE_MS = 1000;

/**
 * Appends JSON lines to `file` (mode 0600), renaming it to `<file>.1` (and older ones up
 * to `<file>.<keep>`) before a line would take it past `maxBytes`. Written synchronously,
 * because fail-closed must know before the change commits whether the entry was written;
 * rotating-file-stream and pino-roll report errors later, on a stream. Entries are short
 * and only changes are audited, so the write is cheap.
 */
export function createFileAuditSink(opts: { file: string; maxBytes: number; keep: number }): AuditSink {
  let fd: number | null = null;
  let size = 0;
  let failedAt = 0;
  const open = () => {
    fd = fs.openSync(opts.file, 'a', 0o600);
    size = fs.fstatSync(fd).size;
  };
  const closeFd = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
  };
  const rotate = () => {
    closeFd();
    fs.rmSync(`${opts.file}.${opts.keep}`, { force: true });
    for (let i = opts.keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${opts.file}.${i}`)) fs.renameSync(`${opts.file}.${i}`, `${opts.file}.${i + 1}`);
    }
    if (opts.keep > 0) fs.renameSync(opts.file, `${opts.file}.1`);
    else fs.rmSync(opts.file, { force: true });
    open();
  };
  const write = (line: string): boolean => {
    const data = Buffer.from(line + '\n', 'utf8');
    try {
      if (fd === null) open();
      if (size > 0 && size + data.length > opts.maxBytes) rotate();
      fs.writeSync(fd!, data);
      size += data.length;
      failedAt = 0;
      return true;
    } catch {
      // A full disk, a removed directory, lost permissions: closed so the next write reopens.
      try {
        closeFd();
      } catch {
        fd = null;
      }
      failedAt = Date.now();
      return false;
    }
  };
  return {
    name: `file ${path.basename(opts.file)}`,
    write,
    writable() {
      if (failedAt === 0) return true;
      if (Date.now() - failedAt < PROBE_MS) return false;
      try {
        open();
        failedAt = 0;
        return true;
      } catch {
        failedAt = Date.now();
        return false;
      }
    },
    async close() {
      try {
        closeFd();
      } catch {
        // already gone
      }
    },
  };
}
