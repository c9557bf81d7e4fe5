import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OntologyAttribute } from '../model/index.js';
import { createEmptyLabelRow } from '../labels/label-row.js';
import {
  DEMO_CLASSIFICATIONS,
  generateDemoProject,
  generateDemoTaskAt,
  streamDemoProject,
  streamDemoProjectInput,
} from './index.js';

const demo = generateDemoProject({ tasks: 400, seed: 11 });

describe('generateDemoProject', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateDemoProject({ tasks: 50, seed: 11 })).toEqual(generateDemoProject({ tasks: 50, seed: 11 }));
    const other = generateDemoProject({ tasks: 50, seed: 12 });
    expect(other.project.projectHash).not.toBe(demo.project.projectHash);
    expect(other.tasks[0]?.task.uuid).not.toBe(demo.tasks[0]?.task.uuid);
  });

  it('generates exactly the same project as before for a given seed', () => {
    // Pinned: stores, docs and benches are built from these projects; a change to the generator
    // or to util/random.ts that alters them must be deliberate (update the digests then).
    const digest = (seed: number | string) => createHash('sha256').update(JSON.stringify(generateDemoProject({ tasks: 50, seed }))).digest('hex');
    expect(digest(1)).toBe('5fb692fad5e26230d45f3e10666937c2407288f217803b8a8f5c6466268456db');
    expect(digest('x')).toBe('332958988c3d5210da7a00e197a3c50248cc9954c5a51b94f6e25e29b6805ff7');
  });

  it('gives the first N tasks of a larger demo the same N tasks', () => {
    const small = generateDemoProject({ tasks: 30, seed: 11 });
    expect(small.tasks).toEqual(demo.tasks.slice(0, 30));
    expect(generateDemoTaskAt({ seed: 11 }, 123)).toEqual(demo.tasks[123]);
  });

  it('has the workflow of the task-agent guide', () => {
    const stages = demo.project.workflow.stages;
    expect(stages.map((s) => [s.title, s.stageType])).toEqual([
      ['pre-label', 'AGENT'],
      ['Annotate', 'ANNOTATION'],
      ['Review', 'REVIEW'],
      ['Complete', 'DONE'],
    ]);
    expect(stages[0]?.pathways).toEqual([expect.objectContaining({ name: 'annotate', destinationUuid: stages[1]?.uuid })]);
    expect(demo.tasks.every((t) => t.metadata.workflow_graph_node?.uuid === stages[0]?.uuid)).toBe(true);
  });

  it('has one classification of each attribute type and two object classes with attributes', () => {
    const { classifications, objects } = demo.project.ontology;
    const roots = classifications.map((c) => c.attributes[0] as OntologyAttribute);
    expect(roots.map((a) => [a.name, a.type])).toEqual([
      [DEMO_CLASSIFICATIONS.weather, 'radio'],
      [DEMO_CLASSIFICATIONS.sceneTags, 'checklist'],
      [DEMO_CLASSIFICATIONS.notes, 'text'],
      [DEMO_CLASSIFICATIONS.quality, 'numeric'],
    ]);
    expect(roots[0]?.options?.map((o) => o.label)).toEqual(['Sunny', 'Cloudy', 'Rainy', 'Snowy']);
    expect(objects.map((o) => [o.name, o.shape, o.attributes?.length])).toEqual([
      ['Car', 'bounding_box', 1],
      ['Pedestrian', 'polygon', 1],
    ]);
    const hashes = [...classifications.flatMap((c) => [c.featureNodeHash, ...c.attributes.map((a) => a.featureNodeHash)]), ...objects.map((o) => o.featureNodeHash)];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('has unique task uuids and data hashes, and titles with "london" in mixed case', () => {
    expect(new Set(demo.tasks.map((t) => t.task.uuid)).size).toBe(400);
    expect(new Set(demo.tasks.map((t) => t.task.dataHash)).size).toBe(400);
    const titles = demo.tasks.map((t) => t.task.dataTitle);
    const london = titles.filter((t) => t.toLowerCase().includes('london'));
    expect(london.length).toBeGreaterThan(10);
    expect(london.length).toBeLessThan(200);
    expect(london.some((t) => t.includes('London'))).toBe(true);
    expect(london.some((t) => t.includes('london'))).toBe(true);
    expect(london.some((t) => t.includes('LONDON'))).toBe(true);
  });

  it('varies statuses, priorities and client metadata', () => {
    expect(new Set(demo.tasks.map((t) => t.task.status)).size).toBeGreaterThan(3);
    expect(new Set(demo.tasks.map((t) => t.metadata.priority)).size).toBeGreaterThan(10);
    expect(demo.tasks.some((t) => Object.keys(t.metadata.client_metadata ?? {}).length > 0)).toBe(true);
  });

  it('builds uninitialised rows as Encord creates them, and pre-labels the others consistently', () => {
    const fresh = demo.tasks.filter((t) => t.metadata.label_hash === null);
    const labelled = demo.tasks.filter((t) => t.metadata.label_hash !== null);
    expect(fresh.length).toBeGreaterThan(0);
    expect(labelled.length).toBeGreaterThan(0);
    for (const t of fresh) expect(t.labelRow).toEqual(createEmptyLabelRow(t.metadata, null));
    const ontology = demo.project.ontology;
    for (const t of labelled) {
      expect(t.labelRow.label_hash).toBe(t.metadata.label_hash);
      const unit = t.labelRow.data_units[t.task.dataHash] as { labels: { classifications: { classificationHash: string; featureHash: string }[]; objects: { objectHash: string }[] } };
      for (const entry of unit.labels.classifications) {
        const answer = t.labelRow.classification_answers[entry.classificationHash] as { featureHash: string; classifications: { featureHash: string; answers: unknown }[] };
        const classification = ontology.classifications.find((c) => c.featureNodeHash === entry.featureHash);
        expect(answer.featureHash).toBe(entry.featureHash);
        expect(answer.classifications[0]?.featureHash).toBe(classification?.attributes[0]?.featureNodeHash);
        if (classification?.attributes[0]?.type === 'radio') expect(answer.classifications[0]?.answers).toHaveLength(1);
      }
      expect(Object.keys(t.labelRow.classification_answers)).toHaveLength(unit.labels.classifications.length);
      expect(Object.keys(t.labelRow.object_answers).sort()).toEqual(unit.labels.objects.map((o) => o.objectHash).sort());
    }
  });

  it('never repeats a task uuid or data hash, even where 32-bit stream seeds would collide', () => {
    // 150,000 tasks: with one 32-bit seed per task, a repeat would be more likely than not.
    const uuids = new Set<string>();
    let count = 0;
    for (const t of streamDemoProjectInput({ tasks: 150_000, seed: 11 }).tasks) {
      uuids.add(t.task.uuid);
      uuids.add(t.task.dataHash);
      count += 2;
    }
    expect(uuids.size).toBe(count);
  }, 60_000);

  it('streams a million tasks without generating them up front', () => {
    const stream = streamDemoProject({ tasks: 1_000_000, seed: 11 });
    expect(stream.taskCount).toBe(1_000_000);
    const iterator = stream.tasks[Symbol.iterator]();
    expect(iterator.next().value).toEqual(demo.tasks[0]);
    const input = streamDemoProjectInput({ tasks: 5, seed: 11 });
    const inputs = [...input.tasks];
    expect(inputs.map((t) => t.labelRow ?? createEmptyLabelRow(t.metadata, null))).toEqual(demo.tasks.slice(0, 5).map((t) => t.labelRow));
  });
});
