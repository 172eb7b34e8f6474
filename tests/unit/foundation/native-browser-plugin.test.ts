/**
 * The content script's build, and only it, takes the browser's own `browser` instead of
 * webextension-polyfill (the size check holds the built script to it).
 */
import { describe, expect, it } from 'vitest';
import { isContentEntry } from '../../../scripts/native-browser-plugin';

describe('the content script build', () => {
  it('is told by its entry, however the build names it', () => {
    expect(isContentEntry('/work/app/entrypoints/content/index.ts')).toBe(true);
    expect(isContentEntry(['/work/app/entrypoints/content/index.ts'])).toBe(true);
    expect(isContentEntry({ content: 'C:\\app\\entrypoints\\content\\index.ts' })).toBe(true);
  });

  it('is not the background, the panel or the options page', () => {
    expect(isContentEntry('/work/app/entrypoints/background.ts')).toBe(false);
    expect(isContentEntry({ sidepanel: '/work/app/entrypoints/sidepanel/index.html' })).toBe(false);
    expect(isContentEntry(['/work/app/entrypoints/options/index.html'])).toBe(false);
    expect(isContentEntry('/work/app/entrypoints/content-helpers/index.ts')).toBe(false);
    expect(isContentEntry(undefined)).toBe(false);
  });
});
