// Functional forms of the ops: `ops.add(a, b)` is `a.add(b)`.

export * from './conv.js';
export * from './elementwise.js';
export * from './linear.js';
export * from './matmul.js';
export * from './movement.js';
export * from './nn.js';
export * from './pool.js';
export * from './reduce.js';
