import { defineWebExtConfig } from 'wxt';

// `wxt dev` would try to open a browser window; on servers and CI there is no display.
// The demo script (scripts/demo.ts) launches Chromium itself instead.
export default defineWebExtConfig({ disabled: true });
