/**
 * The audit log as a JSONL file (default `.encord-rules/audit.jsonl`): an AuditSink
 * (run-state.ts) that appends each batch's lines in one write.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditLogError, type AuditSink } from './run-state.js';

/**
 * One write() for the whole buffer, so a batch's lines land together (appendFile would split a
 * large batch into chunks); a short write (a full disk) goes on from where it stopped.
 */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset);
    if (bytesWritten === 0) throw new Error('the file took no bytes');
    offset += bytesWritten;
  }
}

/**
 * Appends to a JSONL file, one write per batch so a crash leaves whole lines. The file (and
 * its folder) is created on the first write: a run that changes nothing leaves no trace.
 * Writes are queued and run on libuv's thread pool, in order, so writing one batch's lines
 * overlaps with working on the next (at a run's scale, tens of MB, that write is a tenth of the
 * main thread's time when done synchronously).
 */
export function openAuditLog(path: string): AuditSink {
  let file: FileHandle | undefined;
  let failure: AuditLogError | undefined;
  let queue: Promise<void> = Promise.resolve();
  const append = async (text: string | Uint8Array): Promise<void> => {
    if (failure) return;
    try {
      if (!file) {
        await mkdir(dirname(path), { recursive: true });
        // Append mode: every write lands at the end, even with another writer.
        file = await open(path, 'a');
      }
      await writeAll(file, typeof text === 'string' ? Buffer.from(text) : text);
    } catch (error) {
      failure = new AuditLogError(path, error);
    }
  };
  const flush = async (): Promise<void> => {
    await queue;
    if (failure) throw failure;
  };
  return {
    writeText: (text) => {
      if (text === '') return;
      queue = queue.then(() => append(text));
    },
    writeBytes: (bytes) => {
      if (bytes.length === 0) return;
      queue = queue.then(() => append(bytes));
    },
    flush,
    close: async () => {
      await queue;
      const closing = file;
      file = undefined;
      await closing?.close().catch(() => undefined);
    },
  };
}
