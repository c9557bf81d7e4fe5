import { describe, expect, it } from 'vitest';
import { findAgentStage, findPathway, findStage, matchStages, type Project, type Stage } from './project.js';

const agent = (uuid: string, title: string): Stage => ({ uuid, title, stageType: 'AGENT', pathways: [] });
const review: Stage = { uuid: 's-review', title: 'Review', stageType: 'REVIEW', pathways: [] };
const label: Stage = {
  uuid: 's-label',
  title: 'label',
  stageType: 'AGENT',
  pathways: [
    { uuid: 'p-ok', name: 'ok', destinationUuid: 's-review' },
    { uuid: 'ok', name: 'tricky', destinationUuid: 's-review' },
  ],
};
const project = {
  workflow: { stages: [label, review, agent('s-twin-1', 'twin'), agent('s-twin-2', 'twin'), agent('s-review-agent', 'Review')] },
} as Project;

describe('stage and pathway lookup', () => {
  it('finds a stage by uuid first, then by exact title', () => {
    expect(findStage(project, 's-label')).toBe(label);
    expect(findStage(project, 'label')).toBe(label);
    expect(findStage(project, 'Label')).toBeUndefined();
    expect(findStage(project, 'Review')).toBe(review);
  });

  it('lists every stage a title may name, so callers can call it ambiguous', () => {
    expect(matchStages(project, 'twin').map((s) => s.uuid)).toEqual(['s-twin-1', 's-twin-2']);
    expect(matchStages(project, 's-twin-2').map((s) => s.uuid)).toEqual(['s-twin-2']);
    expect(matchStages(project, 'nope')).toEqual([]);
  });

  it('finds only agent stages with findAgentStage', () => {
    expect(findAgentStage(project, 'Review')?.uuid).toBe('s-review-agent');
    expect(findAgentStage(project, 's-review')).toBeUndefined();
  });

  it('finds a pathway by uuid first, then by exact name', () => {
    expect(findPathway(label, 'p-ok')?.name).toBe('ok');
    expect(findPathway(label, 'ok')?.name).toBe('tricky');
    expect(findPathway(label, 'tricky')?.uuid).toBe('ok');
    expect(findPathway(label, 'OK')).toBeUndefined();
  });
});
