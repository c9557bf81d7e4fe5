/**
 * The document a rule's expressions read for one task. Field by field in docs/expressions.md.
 */
import type { TaskRecord } from '../model/index.js';
import { LABEL_FIELDS } from '../model/index.js';
import type { TaskDocument } from './types.js';

/**
 * Label-row metadata at the top level under Encord's names, the label fields
 * (`data_units`, `classification_answers`, `object_answers`, `object_actions`) at the top
 * level when the label row was fetched, and `task` = the AgentTask. Pure; shares, never
 * copies, the record's nested objects (expressions cannot mutate them).
 */
export function buildTaskDocument(record: TaskRecord): TaskDocument {
  const document: TaskDocument = { ...record.metadata };
  if (record.labelRow) {
    for (const field of LABEL_FIELDS) {
      if (record.labelRow[field] !== undefined) document[field] = record.labelRow[field];
    }
  }
  document.task = record.task;
  return document;
}
