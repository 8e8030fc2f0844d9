// The version of the app this device runs, as the build stamped it (vite.config.ts): the package
// version and the commit. The device reports it with every sync, so a supervisor sees which
// handhelds still run an old release. `dev` outside a build (tests, the dev server without it).
declare const __DOCKHAND_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __DOCKHAND_VERSION__ === 'string' ? __DOCKHAND_VERSION__ : 'dev';
