/**
 * Keyset cursors for stage listings: the token names the project, the stage and the last
 * row returned, so a page never skips or repeats a task even while others are moved out.
 */
import { BackendError } from '../backend.js';

interface Cursor {
  projectHash: string;
  stageUuid: string;
  afterSeq: number;
}

/** Encodes a cursor as an opaque token; pure. */
export function encodePageToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([1, cursor.projectHash, cursor.stageUuid, cursor.afterSeq])).toString('base64url');
}

/** Decodes a token made by encodePageToken for this project and stage; throws BackendError otherwise. */
export function decodePageToken(token: string, projectHash: string, stageUuid: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== 1 ||
    parsed[1] !== projectHash ||
    parsed[2] !== stageUuid ||
    !Number.isSafeInteger(parsed[3])
  ) {
    throw new BackendError('backend/bad-page-token', 'the page token is not one this store issued for this stage', 'start the listing again without a page token');
  }
  return parsed[3] as number;
}
