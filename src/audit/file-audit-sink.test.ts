import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileAuditSink } from './file-audit-sink.ts';

describe('file audit sink', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-audit-file-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('rotates before a line would pass the size, keeps `keep` old files and loses no line in between', async () => {
    const file = path.join(tmp(), 'audit.log');
    const sink = createFileAuditSink({ file, maxBytes: 100, keep: 2 });
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ n: i, pad: 'p'.repeat(20) }));
    for (const l of lines) expect(sink.write(l)).toBe(true);
    await sink.close();
    const read = (f: string) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean);
    const kept = [...read(`${file}.2`), ...read(`${file}.1`), ...read(file)];
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(fs.statSync(f).size).toBeLessThanOrEqual(100);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
    expect(kept).toEqual(lines.slice(lines.length - kept.length));
    // Reopened, it appends to the current file rather than starting over.
    const again = createFileAuditSink({ file, maxBytes: 100, keep: 2 });
    const prev = read(file);
    const next = '{"n":"next"}';
    const fits = fs.statSync(file).size + next.length + 1 <= 100;
    expect(again.write(next)).toBe(true);
    await again.close();
    if (fits) expect(read(file)).toEqual([...prev, next]);
    else expect([read(`${file}.1`), read(file)]).toEqual([prev, [next]]);
  });

  it('reports a file it cannot write, and becomes writable once it can', async () => {
    const dir = path.join(tmp(), 'later');
    const sink = createFileAuditSink({ file: path.join(dir, 'audit.log'), maxBytes: 1000, keep: 1 });
    expect(sink.write('{"a":1}')).toBe(false);
    expect(sink.writable()).toBe(false);
    fs.mkdirSync(dir);
    // Probed again after a pause, not on every call.
    await new Promise((r) => setTimeout(r, 1100));
    expect(sink.writable()).toBe(true);
    expect(sink.write('{"a":2}')).toBe(true);
    await sink.close();
    expect(fs.readFileSync(path.join(dir, 'audit.log'), 'utf8')).toBe('{"a":2}\n');
  });
});
