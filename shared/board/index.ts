export * from './layout';
export * from './order';
export * from './read';
export * from './commands';
export * from './template';
export * from './goals';
export * from './daytoday';
export * from './commitments';
