/** The hostile tests' child application (test/hostile/children/app.ts), for ChildSession's `script`. */
export const HOSTILE_APP = 'test/hostile/children/app.ts';
