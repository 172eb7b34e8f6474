/**
 * Vite plugin: knowledge/ compiled at build time into two virtual modules, so the content script
 * imports only the compact lexicon and the panel only its data. A schema error fails the build
 * with the file and field named.
 */
import type { Plugin } from 'vite';
import { knowledgeFilePaths, loadKnowledge } from './load-knowledge';

const LEXICON = 'virtual:chartlight/lexicon';
const PANEL = 'virtual:chartlight/panel-data';

export function knowledgePlugin(): Plugin {
  return {
    name: 'chartlight-knowledge',
    resolveId(id) {
      if (id === LEXICON || id === PANEL) return '\0' + id;
      return null;
    },
    load(id) {
      if (id !== '\0' + LEXICON && id !== '\0' + PANEL) return null;
      for (const f of knowledgeFilePaths()) this.addWatchFile(f);
      const compiled = loadKnowledge();
      const data = id === '\0' + LEXICON ? compiled.lexicon : compiled.panel;
      // JSON.parse of a string literal is faster to start than an object literal of the same size.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(data))});`;
    },
  };
}
