// Functional forms of the ops: `ops.add(a, b)` is `a.add(b)`.
export * from './elementwise.js';
export * from './reduce.js';
export * from './movement.js';
export * from './matmul.js';
export * from './conv.js';
export * from './pool.js';
export * from './nn.js';
