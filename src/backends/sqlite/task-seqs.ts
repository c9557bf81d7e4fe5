/**
 * Remembers each listed task's row id (`seq`), so fetching and committing the tasks a runner
 * just listed read rows by rowid — in page order — instead of probing the random-uuid index,
 * which at a million tasks no longer fits in the page cache. Task rows are never deleted or
 * renumbered, so a remembered seq stays right for the life of the store file.
 */
// Several of the largest pages (10,000 tasks): what fetch-ahead and commits need, and at a
// million-task run a much smaller part of the peak RSS than a limit of 200,000 was.
const LIMIT = 50_000;

export class TaskSeqs {
  private readonly byProject = new Map<string, Map<string, number>>();
  private size = 0;

  remember(projectHash: string, uuid: string, seq: number): void {
    // Past the limit start over: the runner only needs the pages it is working on.
    if (this.size >= LIMIT) {
      this.byProject.clear();
      this.size = 0;
    }
    let seqs = this.byProject.get(projectHash);
    if (!seqs) {
      seqs = new Map();
      this.byProject.set(projectHash, seqs);
    }
    const before = seqs.size;
    seqs.set(uuid, seq);
    this.size += seqs.size - before;
  }

  /** The seq of this task of the project, if this backend listed it. */
  seqOf(projectHash: string, uuid: string): number | undefined {
    return this.byProject.get(projectHash)?.get(uuid);
  }

  /** The seqs of all these tasks, or undefined when any was not listed by this backend. */
  lookup(projectHash: string, uuids: readonly string[]): number[] | undefined {
    const seqs = this.byProject.get(projectHash);
    if (!seqs) return undefined;
    const found: number[] = [];
    for (const uuid of uuids) {
      const seq = seqs.get(uuid);
      if (seq === undefined) return undefined;
      found.push(seq);
    }
    return found;
  }
}
