// Pure statistics behind problem management, one module per question so each function bundles only what it asks:
// did a fix work (effect-stats.ts), is today's volume a spike (spike-stats.ts), which complaints read alike (similarity.ts).
export * from './effect-stats';
export * from './spike-stats';
export * from './similarity';
