/**
 * Pure rules of the dossier lifecycle (issues 4 and 5): the state machine, deadline bookkeeping and step SLAs.
 * Split in `rules/` by concern; this module is the room's single entry point for them.
 */
export * from './rules/types.ts';
export * from './rules/refusals.ts';
export * from './rules/deadline.ts';
export * from './rules/machine.ts';
export * from './rules/control-sheet.ts';
