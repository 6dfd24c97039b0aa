import type { Command } from '../../intercept/children/runtime.js';
export const callbackCommands: Record<string, Command> = {};
