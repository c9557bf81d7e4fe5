export * from './project.js';
export * from './task.js';
export * from './decision.js';
