declare module 'virtual:chartlight/lexicon' {
  import type { CompiledLexicon } from '../engine/types';
  const lexicon: CompiledLexicon;
  export default lexicon;
}

declare module 'virtual:chartlight/panel-data' {
  import type { PanelData } from './panel-data';
  const data: PanelData;
  export default data;
}
