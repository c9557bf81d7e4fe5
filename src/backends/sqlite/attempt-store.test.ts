import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAttemptStore } from './attempt-store.js';

const scope = { projectHash: 'p', stageUuid: 's' };

describe('attempt store', () => {
  it('remembers failure counts across opens, per project and stage, until cleared', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'attempts-')), 'state/state.db');
    const first = openAttemptStore(path);
    first.writeAttempts(scope, new Map([['t1', 1], ['t2', 2]]));
    first.close();

    const second = openAttemptStore(path);
    expect(second.readAttempts(scope, ['t1', 't2', 't3'])).toEqual(new Map([['t1', 1], ['t2', 2]]));
    expect(second.readAttempts({ ...scope, stageUuid: 'other' }, ['t1']).size).toBe(0);
    second.clearAttempts(scope, ['t1']);
    second.writeAttempts(scope, new Map([['t2', 3]]));
    second.close();

    const readonly = openAttemptStore(path, { readonly: true });
    expect(readonly.readAttempts(scope, ['t1', 't2'])).toEqual(new Map([['t2', 3]]));
    readonly.writeAttempts(scope, new Map([['t9', 1]]));
    expect(readonly.readAttempts(scope, ['t9']).size).toBe(0);
    readonly.close();
  });

  it('a read-only open of a missing file fails rather than creating it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'attempts-')), 'none.db');
    expect(() => openAttemptStore(path, { readonly: true })).toThrow();
    expect(existsSync(path)).toBe(false);
  });
});
