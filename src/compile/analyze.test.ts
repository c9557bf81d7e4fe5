import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { analyzeExpression } from './analyze.js';
import type { AstNode } from './ast.js';

const needsOf = (text: string) => analyzeExpression(text, jsonata(text).ast() as unknown as AstNode, []).needs;

describe('analyzeExpression: needs', () => {
  it.each([
    // metadata and the task only
    ['$contains($lowercase(data_title), "london")', false, false],
    ['task.status = "NEW" and priority < 0.5', false, false],
    ['$.data_title & $$.task.uuid', false, false],
    ['workflow_graph_node.title = "Pre-label"', false, false],
    ['task.*', false, false],
    // label fields, however they are reached
    ['$count(data_units.*.labels.objects) > 0', true, false],
    ['classification_answers.*.classifications[featureHash = "x"].answers', true, false],
    ['$exists(object_answers)', true, false],
    ['$$.object_actions', true, false],
    ['$answer("Weather") = "Rain"', true, false],
    ['$count($objects()) > 2', true, false],
    ['($f := $objects; $count($f("Car")))', true, false],
    // client metadata
    ['client_metadata.source = "drone"', false, true],
    ['$lookup(client_metadata, "k")', false, true],
    // whole-document reads could reach anything
    ['**.featureHash', true, true],
    ['*.foo', true, true],
    ['$keys($)', true, true],
    ['$string($$)', true, true],
    ['$lookup($, "data_" & "units")', true, true],
    ['($d := $$; $d.x)', true, true],
  ])('%s → labels %s, clientMetadata %s', (text, labels, clientMetadata) => {
    expect(needsOf(text)).toMatchObject({ labels, clientMetadata });
  });

  it.each([
    // Every name, at any depth, sorted: a backend may leave out metadata fields not named.
    ['$contains($lowercase(data_title), "london")', ['data_title']],
    ['task.status = "NEW" and priority < 0.5', ['priority', 'status', 'task']],
    ['$contains(data_title, $params.city)', ['data_title']],
    ['data_title ~> $uppercase() = "X"', ['data_title']],
    ['data_title.$uppercase() = "X"', ['data_title']],
    ['task.$string()', ['task']],
    ['$substring(data_title, 1) & $lookup(client_metadata, "k")', ['client_metadata', 'data_title']],
    // the whole document: no list
    ['$keys($)', undefined],
    ['*.foo', undefined],
    // a string-typed context: given the document it fails (T0411) whatever the document holds
    ['$substring(1) & data_title', ['data_title']],
  ])('%s reads fields %j', (text, fields) => {
    expect(needsOf(text).fields).toEqual(fields);
  });

  it.each([
    // A built-in called short of its arguments gets the context: at the top, the whole document.
    '$string()',
    '$keys()',
    '$lookup("data_units")',
    '$sift(function($v) { $v })',
    '$each(function($v, $k) { $k })',
    '"data_units" ~> $lookup()',
    '$spread()',
  ])('%s reads the whole document', (text) => {
    expect(needsOf(text)).toEqual({ labels: true, clientMetadata: true });
  });
});
